package dev.starlib.auth.sandbox;

import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * The fault switches, as one immutable value. See {@link SandboxSoundCloud} for what each one does.
 *
 * @param denyConsent    auto-approval and the consent page's Approve both end in {@code access_denied}
 * @param tokenFailure   how {@code POST /oauth/token} misbehaves, for every grant type
 * @param slow           how long {@link TokenFailure#SLOW} waits before answering normally
 * @param refreshFailure how a refresh grant is refused
 * @param expiresIn      lifetime of newly issued access tokens, instead of the configured one; empty: configured
 * @param appTokenFailure how a client-credentials grant (the app token) is refused
 */
public record SandboxSwitches(boolean denyConsent, TokenFailure tokenFailure, Duration slow,
                              RefreshFailure refreshFailure, Optional<Duration> expiresIn,
                              AppTokenFailure appTokenFailure) {

    /** Longer than the backend's default upstream timeout (10 s), so a default {@code slow} is a timeout. */
    public static final Duration DEFAULT_SLOW = Duration.ofSeconds(15);
    public static final Duration MAX_SLOW = Duration.ofMinutes(2);
    public static final Duration MAX_EXPIRES_IN = Duration.ofDays(366);

    public static final SandboxSwitches DEFAULTS = new SandboxSwitches(false, TokenFailure.NONE, DEFAULT_SLOW,
            RefreshFailure.NONE, Optional.empty(), AppTokenFailure.NONE);
    /** How far ahead a {@link AppTokenFailure#RATE_LIMITED} answer says the limit resets. */
    public static final Duration RATE_LIMIT_RESET = Duration.ofSeconds(60);

    public SandboxSwitches {
        Objects.requireNonNull(tokenFailure, "tokenFailure");
        Objects.requireNonNull(slow, "slow");
        Objects.requireNonNull(refreshFailure, "refreshFailure");
        Objects.requireNonNull(expiresIn, "expiresIn");
        Objects.requireNonNull(appTokenFailure, "appTokenFailure");
        if (slow.isNegative() || slow.compareTo(MAX_SLOW) > 0) {
            throw new IllegalArgumentException("slow must lie between 0 and " + MAX_SLOW.toMillis() + " ms");
        }
        if (expiresIn.filter(d -> d.isNegative() || d.compareTo(MAX_EXPIRES_IN) > 0).isPresent()) {
            throw new IllegalArgumentException("expires_in must lie between 0 and " + MAX_EXPIRES_IN.toSeconds() + " s");
        }
    }

    /** How the token endpoint fails; names on the wire are the lower-case constant names. */
    public enum TokenFailure {
        /** Answer normally. */
        NONE,
        /** 500 with an OAuth-style JSON error body. */
        SERVER_ERROR,
        /** 503 with {@code Retry-After} and an HTML body, as a load balancer would. */
        UNAVAILABLE,
        /** 200 whose body is not JSON. */
        GARBAGE,
        /** Wait {@code slow_ms}, then answer normally. */
        SLOW;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Optional<TokenFailure> fromWireName(String name) {
            return Arrays.stream(values()).filter(v -> v.wireName().equals(name)).findFirst();
        }
    }

    /** How a client-credentials grant is refused; names on the wire are the lower-case constant names. */
    public enum AppTokenFailure {
        /** Grant normally. */
        NONE,
        /** 429 with SoundCloud's rate-limit body, whose {@code reset_time} is {@link #RATE_LIMIT_RESET} ahead. */
        RATE_LIMITED,
        /** 401 {@code invalid_client}, as for credentials SoundCloud does not accept. */
        INVALID_CLIENT;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Optional<AppTokenFailure> fromWireName(String name) {
            return Arrays.stream(values()).filter(v -> v.wireName().equals(name)).findFirst();
        }
    }

    /** How a refresh grant is refused. */
    public enum RefreshFailure {
        /** Refresh normally. */
        NONE,
        /** 400 {@code invalid_grant}, and the presented refresh token is revoked, as if the user had disconnected. */
        INVALID_GRANT;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Optional<RefreshFailure> fromWireName(String name) {
            return Arrays.stream(values()).filter(v -> v.wireName().equals(name)).findFirst();
        }
    }
}
