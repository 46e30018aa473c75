package dev.starlib.auth.http.observe;

import java.time.Instant;
import java.util.Objects;

/** How one login ended, as the dashboard lists it: a state hint of at most 8 characters, never the state. */
public record RecentLogin(Instant at, String flow, String outcome, String stateHint) {

    static final int HINT_LENGTH = 8;

    public RecentLogin {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(flow, "flow");
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(stateHint, "stateHint");
        // The events already carry a hint; cutting again keeps a careless caller from putting a state on a page.
        stateHint = stateHint.length() > HINT_LENGTH ? stateHint.substring(0, HINT_LENGTH) : stateHint;
    }

    public boolean succeeded() {
        return "success".equals(outcome);
    }
}
