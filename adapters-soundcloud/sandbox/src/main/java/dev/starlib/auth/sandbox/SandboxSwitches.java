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
 */
public record SandboxSwitches(boolean denyConsent, TokenFailure tokenFailure, Duration slow,
                              RefreshFailure refreshFailure, Optional<Duration> expiresIn) {

    /** Longer than the backend's default upstream timeout (10 s), so a default {@code slow} is a timeout. */
    public static final Duration DEFAULT_SLOW = Duration.ofSeconds(15);
    public static final Duration MAX_SLOW = Duration.ofMinutes(2);
    public static final Duration MAX_EXPIRES_IN = Duration.ofDays(366);

    public static final SandboxSwitches DEFAULTS =
            new SandboxSwitches(false, TokenFailure.NONE, DEFAULT_SLOW, RefreshFailure.NONE, Optional.empty());

    public SandboxSwitches {
        Objects.requireNonNull(tokenFailure, "tokenFailure");
        Objects.requireNonNull(slow, "slow");
        Objects.requireNonNull(refreshFailure, "refreshFailure");
        Objects.requireNonNull(expiresIn, "expiresIn");
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
