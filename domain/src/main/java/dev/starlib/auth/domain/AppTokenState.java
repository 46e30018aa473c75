package dev.starlib.auth.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything kept about the app token, shared by every instance on one store: the token (if any), the credentials it
 * was obtained with, and the last failure to renew it. {@link #plan} decides, from this alone, whether a request
 * for the token is served, held off or renews it; the rest are the states that follow each outcome.
 */
public record AppTokenState(CredentialsFingerprint credentials, Optional<AppToken> token,
                            Optional<RenewalFailure> lastFailure) {

    public AppTokenState {
        Objects.requireNonNull(credentials, "credentials");
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(lastFailure, "lastFailure");
    }

    public static AppTokenState empty(CredentialsFingerprint credentials) {
        return new AppTokenState(credentials, Optional.empty(), Optional.empty());
    }

    /**
     * What is stored, as the given credentials see it: a state kept for other credentials counts as nothing, so its
     * token is never served under these and its failures do not hold these back. Returns the stored state itself
     * when it is theirs.
     */
    public static AppTokenState seenBy(CredentialsFingerprint credentials, Optional<AppTokenState> stored) {
        Objects.requireNonNull(credentials, "credentials");
        return stored.filter(state -> state.credentials.equals(credentials)).orElseGet(() -> empty(credentials));
    }

    /** What to do about a request for the token at {@code now}. */
    public sealed interface Plan {

        /** The token is valid and not yet due for renewal: hand it out. */
        record Serve(AppToken token) implements Plan {
        }

        /**
         * The token is missing, expired or due, but the last attempt failed lately: no call until
         * {@code failure.retryAt()}. A token that is still valid is handed out meanwhile.
         */
        record HoldOff(RenewalFailure failure, Optional<AppToken> stillValid) implements Plan {
        }

        /**
         * Obtain a new token: by refreshing with {@code refreshToken} when there is one (it spares SoundCloud's
         * client-credentials quota), by a new grant otherwise.
         */
        record Renew(Optional<RefreshToken> refreshToken, Optional<AppToken> stillValid) implements Plan {
        }
    }

    public Plan plan(Instant now, Duration renewBefore) {
        Optional<AppToken> valid = validAt(now);
        if (valid.isPresent() && !valid.get().isDueAt(now, renewBefore)) {
            return new Plan.Serve(valid.get());
        }
        Optional<RenewalFailure> holdingOff = lastFailure.filter(failure -> failure.holdsOffAt(now));
        if (holdingOff.isPresent()) {
            return new Plan.HoldOff(holdingOff.get(), valid);
        }
        // An expired access token's refresh token usually still works: using it spares a grant.
        return new Plan.Renew(token.flatMap(AppToken::refreshToken), valid);
    }

    /** The token, if SoundCloud still accepts it at {@code now}. */
    public Optional<AppToken> validAt(Instant now) {
        return token.filter(t -> t.isValidAt(now));
    }

    /** A new token replaces the old one and clears the failure. */
    public AppTokenState renewed(AppToken fresh) {
        return new AppTokenState(credentials, Optional.of(Objects.requireNonNull(fresh, "fresh")), Optional.empty());
    }

    /** The attempt failed: the token stays (it may still be valid), the failure holds later attempts off. */
    public AppTokenState failed(RenewalFailure failure) {
        return new AppTokenState(credentials, token, Optional.of(Objects.requireNonNull(failure, "failure")));
    }

    /** SoundCloud refused the refresh token: it is dropped, and the next renewal is a grant. */
    public AppTokenState withoutRefreshToken() {
        return new AppTokenState(credentials, token.map(AppToken::withoutRefreshToken), lastFailure);
    }

    /** What this state says about CLIENT_ID/CLIENT_SECRET. */
    public CredentialsVerdict credentialsVerdict() {
        if (lastFailure.filter(failure -> failure.cause() == RenewalFailure.Cause.INVALID_CLIENT).isPresent()) {
            return CredentialsVerdict.REFUSED;
        }
        return token.isPresent() ? CredentialsVerdict.ACCEPTED : CredentialsVerdict.UNKNOWN;
    }

    /** SoundCloud's latest word on the app's credentials, as the app token grant is the one call that proves them. */
    public enum CredentialsVerdict {
        /** SoundCloud granted a token for them. */
        ACCEPTED,
        /** SoundCloud answered {@code invalid_client} to the last attempt. */
        REFUSED,
        /** Nothing has been granted or refused for them yet. */
        UNKNOWN
    }
}
