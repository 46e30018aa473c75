package dev.starlib.auth.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Why the last attempt to obtain or renew the app token failed, and until when no instance tries again. Holding
 * off is what keeps an outage or a rate limit from turning every request for the token into a call to SoundCloud.
 *
 * @param at      when the attempt failed
 * @param retryAt the earliest moment the next attempt may go out
 */
public record RenewalFailure(Cause cause, Instant at, Instant retryAt) {

    /** After an outage or a timeout: SoundCloud is asked again this soon, by one caller at most. */
    public static final Duration HOLD_OFF_AFTER_OUTAGE = Duration.ofSeconds(10);
    /** After a refusal (wrong credentials, say): nothing changes by itself, so asking again often is pointless. */
    public static final Duration HOLD_OFF_AFTER_REFUSAL = Duration.ofMinutes(1);
    /** After a 429 that gives no reset time. */
    public static final Duration HOLD_OFF_WHEN_RATE_LIMITED = Duration.ofMinutes(5);
    /** A reset time further out than SoundCloud's own longest window (12 h) is not believed. */
    public static final Duration LONGEST_RATE_LIMIT = Duration.ofHours(12);

    public enum Cause {
        /** SoundCloud refuses CLIENT_ID/CLIENT_SECRET: a configuration error only an operator can fix. */
        INVALID_CLIENT,
        /** SoundCloud's rate limit for this grant was hit (HTTP 429). */
        RATE_LIMITED,
        /** SoundCloud refused the request for another reason (an OAuth error other than invalid_client). */
        REFUSED,
        /** SoundCloud could not be reached, answered 5xx, or answered something unreadable. */
        UPSTREAM_UNAVAILABLE,
        /** SoundCloud did not answer in time. */
        UPSTREAM_TIMEOUT;

        /** The stable label for metrics, logs and the dashboard. */
        public String code() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public RenewalFailure {
        Objects.requireNonNull(cause, "cause");
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(retryAt, "retryAt");
        if (retryAt.isBefore(at)) {
            throw new IllegalArgumentException("retryAt must not come before the failure");
        }
    }

    /** A failure other than a rate limit, holding off for as long as its cause deserves. */
    public static RenewalFailure of(Cause cause, Instant at) {
        Duration holdOff = switch (cause) {
            case UPSTREAM_UNAVAILABLE, UPSTREAM_TIMEOUT -> HOLD_OFF_AFTER_OUTAGE;
            case INVALID_CLIENT, REFUSED -> HOLD_OFF_AFTER_REFUSAL;
            case RATE_LIMITED -> HOLD_OFF_WHEN_RATE_LIMITED;
        };
        return new RenewalFailure(cause, at, at.plus(holdOff));
    }

    /** A 429: hold off until the reset time SoundCloud gave, within reason, or a few minutes when it gave none. */
    public static RenewalFailure rateLimited(Instant at, Optional<Instant> resetAt) {
        Instant latest = at.plus(LONGEST_RATE_LIMIT);
        Instant retryAt = resetAt.filter(reset -> reset.isAfter(at))
                .map(reset -> reset.isAfter(latest) ? latest : reset)
                .orElse(at.plus(HOLD_OFF_WHEN_RATE_LIMITED));
        return new RenewalFailure(Cause.RATE_LIMITED, at, retryAt);
    }

    /** Whether an attempt at {@code now} must wait. */
    public boolean holdsOffAt(Instant now) {
        return now.isBefore(retryAt);
    }

    /** Whole seconds until the next attempt may go out, at least one: what a {@code Retry-After} says. */
    public long retryAfterSeconds(Instant now) {
        Duration wait = Duration.between(now, retryAt);
        long seconds = wait.toSeconds() + (wait.toNanosPart() > 0 ? 1 : 0);
        return Math.max(1, seconds);
    }
}
