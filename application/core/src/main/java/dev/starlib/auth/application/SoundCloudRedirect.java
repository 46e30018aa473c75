package dev.starlib.auth.application;

import dev.starlib.auth.domain.AuthorizationCode;
import dev.starlib.auth.domain.State;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/** What SoundCloud's redirect to {@code /redirect} says: the user approved (a code) or it did not (an error). */
public sealed interface SoundCloudRedirect {

    State state();

    record Approved(State state, AuthorizationCode code) implements SoundCloudRedirect {
        public Approved {
            Objects.requireNonNull(state, "state");
            Objects.requireNonNull(code, "code");
        }
    }

    /**
     * SoundCloud's {@code error} (RFC 6749 §4.1.2.1) and optional description, both untrusted: the error is
     * kept only if it is a plain token, the description only if it is short, printable ASCII free of markup
     * characters (angle brackets, quotes, backtick, ampersand, backslash): the frontend shows it to the user.
     */
    record Refused(State state, String error, Optional<String> description) implements SoundCloudRedirect {

        private static final Pattern ERROR_CODE = Pattern.compile("[a-z0-9_.-]{1,64}");
        private static final Pattern SAFE_TEXT = Pattern.compile("[\\x20-\\x7E&&[^<>\"'`&\\\\]]{1,200}");

        public Refused {
            Objects.requireNonNull(state, "state");
            Objects.requireNonNull(description, "description");
            error = error == null ? "" : error.toLowerCase(Locale.ROOT);
            if (!ERROR_CODE.matcher(error).matches()) {
                error = "access_denied";
            }
            description = description.map(String::strip).filter(d -> SAFE_TEXT.matcher(d).matches());
        }
    }
}
