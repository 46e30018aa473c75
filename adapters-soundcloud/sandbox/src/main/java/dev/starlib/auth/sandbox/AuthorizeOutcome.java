package dev.starlib.auth.sandbox;

import java.net.URI;
import java.util.Objects;

/** What the sandbox's authorization endpoint does with a request: refuse it on the spot, ask, or redirect back. */
sealed interface AuthorizeOutcome {

    /**
     * The request cannot be trusted or understood: an error page, and no redirect to a URI that may not be the
     * client's (RFC 6749 §4.1.2.1).
     */
    record Refused(String error, String detail) implements AuthorizeOutcome {
        public Refused {
            Objects.requireNonNull(error, "error");
            Objects.requireNonNull(detail, "detail");
        }
    }

    /** Show the consent page. */
    record AskConsent(ConsentPage page) implements AuthorizeOutcome {
        public AskConsent {
            Objects.requireNonNull(page, "page");
        }
    }

    /** Send the browser back to the client, with a code or an error. Carries a code: never log it. */
    record RedirectBack(URI location) implements AuthorizeOutcome {
        public RedirectBack {
            Objects.requireNonNull(location, "location");
        }

        @Override
        public String toString() {
            return "RedirectBack[redacted]";
        }
    }
}
