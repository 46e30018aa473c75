package dev.starlib.auth.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * A client's allowance on one endpoint: {@link Budget#requests()} requests at once, refilled evenly over
 * {@link Budget#per()}. A client that has nothing tallied has a full bucket.
 */
public record TokenBucket(double tokens, Instant at) {

    private static final double ROUNDING = 1e-9;

    public TokenBucket {
        Objects.requireNonNull(at, "at");
        if (!(tokens >= 0)) {
            throw new IllegalArgumentException("a bucket holds zero or more tokens");
        }
    }

    /** {@code requests} per {@code per}, all of them available at once (the burst). */
    public record Budget(int requests, Duration per) {

        public Budget {
            Objects.requireNonNull(per, "per");
            if (requests < 1 || per.isNegative() || per.isZero()) {
                throw new IllegalArgumentException("a budget allows at least one request per positive period");
            }
        }

        double perNano() {
            return requests / (double) per.toNanos();
        }

        @Override
        public String toString() {
            return requests + " per " + per.toSeconds() + " s";
        }
    }

    /** What a request is told: go ahead, or wait this long for the next token. */
    public sealed interface Admission {
        record Admitted() implements Admission {
        }

        record Refused(Duration retryAfter) implements Admission {
            public Refused {
                Objects.requireNonNull(retryAfter, "retryAfter");
            }
        }
    }

    /** One request takes one token, or is refused without changing the bucket. */
    public static ClientRule<TokenBucket, Admission> take(Budget budget) {
        Objects.requireNonNull(budget, "budget");
        return (current, now) -> {
            double available = current == null ? budget.requests() : current.refilledAt(budget, now);
            // A hair under one token counts as one: waiting exactly the Retry-After given must be enough.
            if (available >= 1 - ROUNDING) {
                TokenBucket next = new TokenBucket(Math.max(0, available - 1), now);
                return new ClientRule.Outcome<>(next, next.fullAt(budget), new Admission.Admitted());
            }
            TokenBucket next = new TokenBucket(available, now);
            // Never longer than one token takes: the division can land a nanosecond past it (1M54.000000001S
            // for 1 per 114 s, found by FairShareRulePropertyTest), and the rounding above covers the difference.
            long wait = Math.min((long) Math.ceil((1 - available) / budget.perNano()),
                    Math.ceilDiv(budget.per().toNanos(), budget.requests()));
            return new ClientRule.Outcome<>(next, next.fullAt(budget), new Admission.Refused(Duration.ofNanos(wait)));
        };
    }

    private double refilledAt(Budget budget, Instant now) {
        long elapsed = Math.max(0, Duration.between(at, now).toNanos());
        return Math.min(budget.requests(), tokens + elapsed * budget.perNano());
    }

    /** From then on the bucket is full, the same as no bucket at all. */
    private Instant fullAt(Budget budget) {
        double missing = budget.requests() - tokens;
        return at.plusNanos((long) Math.ceil(missing / budget.perNano()));
    }
}
