package dev.starlib.auth.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * Wrong passwords from one client: the first {@link #FREE_ATTEMPTS} cost nothing, each further one makes the client
 * wait twice as long as the last (1 s, 2 s, 4 s, ... up to {@link #LONGEST_WAIT}). A right password clears the
 * tally; so does a quiet {@link #MEMORY}. Only the guessing client waits: the rule knows nothing of the others.
 */
public record GuessingBackoff(int failures, Instant lastFailure, Instant waitUntil) {

    public static final int FREE_ATTEMPTS = 5;
    public static final Duration FIRST_WAIT = Duration.ofSeconds(1);
    public static final Duration LONGEST_WAIT = Duration.ofMinutes(15);
    /** How long wrong passwords are remembered after the last one. */
    public static final Duration MEMORY = Duration.ofMinutes(15);

    public GuessingBackoff {
        Objects.requireNonNull(lastFailure, "lastFailure");
        Objects.requireNonNull(waitUntil, "waitUntil");
        if (failures < 1) {
            throw new IllegalArgumentException("a back-off counts at least one failure");
        }
    }

    /** The answer to {@link #check}: try the credentials, or wait. */
    public sealed interface Verdict {
        record MayTry() implements Verdict {
        }

        /** @param failures wrong passwords so far; {@link #FREE_ATTEMPTS} on the one that started the waiting */
        record Wait(Duration retryAfter, int failures) implements Verdict {
        }
    }

    /** Before the credentials are compared: a client in its waiting time is not even heard. */
    public static ClientRule<GuessingBackoff, Verdict> check() {
        return (current, now) -> {
            if (current == null) {
                return new ClientRule.Outcome<>(null, now, new Verdict.MayTry());
            }
            Verdict verdict = now.isBefore(current.waitUntil)
                    ? new Verdict.Wait(Duration.between(now, current.waitUntil), current.failures)
                    : new Verdict.MayTry();
            return new ClientRule.Outcome<>(current, current.forgetAt(), verdict);
        };
    }

    /**
     * A wrong password: one more failure, and from the {@link #FREE_ATTEMPTS}th on a wait that doubles.
     * The answer says whether this failure is the one that started the waiting, for a single log line.
     */
    public static ClientRule<GuessingBackoff, Verdict> failed() {
        return (current, now) -> {
            int failures = current == null ? 1 : current.failures + 1;
            Instant waitUntil = failures < FREE_ATTEMPTS ? now : now.plus(waitAfter(failures));
            GuessingBackoff next = new GuessingBackoff(failures, now, waitUntil);
            Verdict verdict = failures < FREE_ATTEMPTS ? new Verdict.MayTry()
                    : new Verdict.Wait(Duration.between(now, waitUntil), failures);
            return new ClientRule.Outcome<>(next, next.forgetAt(), verdict);
        };
    }

    /** The right password: the client's slate is clean. */
    public static ClientRule<GuessingBackoff, Verdict> succeeded() {
        return (current, now) -> new ClientRule.Outcome<>(null, now, new Verdict.MayTry());
    }

    /** The wait after the {@code failures}th wrong password (the first {@link #FREE_ATTEMPTS} - 1 have none). */
    static Duration waitAfter(int failures) {
        int doublings = failures - FREE_ATTEMPTS;
        if (doublings >= 30) {
            return LONGEST_WAIT;
        }
        Duration wait = FIRST_WAIT.multipliedBy(1L << Math.max(0, doublings));
        return wait.compareTo(LONGEST_WAIT) > 0 ? LONGEST_WAIT : wait;
    }

    private Instant forgetAt() {
        Instant remembered = lastFailure.plus(MEMORY);
        return remembered.isAfter(waitUntil) ? remembered : waitUntil;
    }
}
