package dev.starlib.auth.http;

import dev.starlib.auth.application.LookUpLogin;
import dev.starlib.auth.domain.State;

import java.util.Objects;
import java.util.Optional;

/**
 * What {@code /done} says. It claims a sign-in only when the store knows the state it came back with as finished:
 * a bare {@code /done}, or a state it does not know, says so instead. An error the redirect carried is shown as it
 * came (escaped by the template, cut short so a crafted link cannot fill the page); the state is never shown.
 */
record DonePage(Kind kind, String error, String message) {

    static final int MAX_ERROR_LENGTH = 64;
    static final int MAX_DESCRIPTION_LENGTH = 300;

    enum Kind {
        /** Finished with tokens; the app picks them up. */
        SIGNED_IN,
        /** Finished, and the app has already picked the outcome up. */
        COLLECTED,
        FAILED,
        /** SoundCloud has not sent the user back here yet, or the exchange is running. */
        UNDERWAY,
        /** A state this service does not know (now). */
        UNKNOWN,
        /** The store could not be asked. */
        UNAVAILABLE,
        /** No state and no error: nothing to report. */
        NOTHING
    }

    DonePage {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(error, "error");
        Objects.requireNonNull(message, "message");
    }

    static DonePage from(QueryParameters query, Optional<LookUpLogin> lookUp) {
        Optional<String> error = query.optional("error").map(String::strip).filter(e -> !e.isEmpty());
        Optional<String> description = query.optional("error_description").map(String::strip).filter(d -> !d.isEmpty());
        Optional<String> state = query.optional("state");
        if (error.isPresent()) {
            return redirectedError(error.get(), description);
        }
        if (state.isEmpty()) {
            return of(Kind.NOTHING);
        }
        Optional<State> parsed = State.parse(state.get());
        if (parsed.isEmpty() || lookUp.isEmpty()) {
            return of(Kind.UNKNOWN);
        }
        return switch (lookUp.get().lookUp(parsed.get())) {
            case LookUpLogin.Result.SignedIn signedIn -> of(Kind.SIGNED_IN);
            case LookUpLogin.Result.Collected collected -> of(Kind.COLLECTED);
            case LookUpLogin.Result.Failed failed -> failed(failed.failure().reason().code(),
                    failed.failure().description());
            case LookUpLogin.Result.Underway underway -> of(Kind.UNDERWAY);
            case LookUpLogin.Result.Unknown unknown -> of(Kind.UNKNOWN);
            case LookUpLogin.Result.Unavailable unavailable -> of(Kind.UNAVAILABLE);
        };
    }

    boolean signedIn() {
        return kind == Kind.SIGNED_IN;
    }

    boolean failed() {
        return kind == Kind.FAILED;
    }

    /** The error the redirect carried, as it came but cut short. */
    static DonePage redirectedError(String error, Optional<String> description) {
        return failed(shorten(error, MAX_ERROR_LENGTH), description.map(d -> shorten(d, MAX_DESCRIPTION_LENGTH))
                .orElse("SoundCloud did not complete the sign-in."));
    }

    static DonePage of(Kind kind) {
        return new DonePage(kind, "", "");
    }

    private static DonePage failed(String error, String message) {
        return new DonePage(Kind.FAILED, error, message);
    }

    private static String shorten(String value, int max) {
        return value.length() <= max ? value : value.substring(0, max) + "…";
    }
}
