package dev.starlib.auth.http.observe;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/** One call to SoundCloud as it was observed in real traffic: which endpoint, how it ended, how long it took. */
public record UpstreamCall(String endpoint, String outcome, Duration latency, Instant at) {

    public UpstreamCall {
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(latency, "latency");
        Objects.requireNonNull(at, "at");
    }

    /**
     * Whether SoundCloud answered. A rejection (say, an expired refresh token) or a rate limit is SoundCloud working
     * as it should; only no answer, an unreadable one or a 5xx says SoundCloud is in trouble.
     */
    public boolean answered() {
        return isAnswer(outcome);
    }

    static boolean isAnswer(String outcome) {
        return "success".equals(outcome) || "rejected".equals(outcome) || "rate_limited".equals(outcome);
    }
}
