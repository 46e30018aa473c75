package dev.starlib.auth.store;

import dev.starlib.auth.application.port.SessionStore;
import dev.starlib.auth.domain.FinishedLogin;
import dev.starlib.auth.domain.PendingAuthorization;
import dev.starlib.auth.domain.StateHash;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * Sessions in this process's memory: lost on restart, which costs users in the middle of a login one retry.
 * Every change to a session runs inside {@link ConcurrentHashMap#compute}, so it is atomic per key.
 */
public final class MemorySessionStore implements SessionStore {

    private static final Comparator<SessionSummary> OLDEST_FIRST =
            Comparator.comparing(SessionSummary::createdAt).thenComparing(summary -> summary.key().hex());

    private final int capacity;
    private final Duration resultTtl;
    private final ConcurrentHashMap<StateHash, Session> sessions = new ConcurrentHashMap<>();
    /** Places taken, counted ahead of the insert so that concurrent saves cannot overshoot the capacity. */
    private final AtomicInteger taken = new AtomicInteger();

    /**
     * @param capacity  how many sessions, in any stage, may be held at once
     * @param resultTtl how long a consumed login stays "already used" while its code exchange runs
     */
    public MemorySessionStore(int capacity, Duration resultTtl) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1");
        }
        Objects.requireNonNull(resultTtl, "resultTtl");
        if (resultTtl.isNegative() || resultTtl.isZero()) {
            throw new IllegalArgumentException("resultTtl must be positive");
        }
        this.capacity = capacity;
        this.resultTtl = resultTtl;
    }

    @Override
    public SaveOutcome savePending(PendingAuthorization pending) {
        Objects.requireNonNull(pending, "pending");
        if (!takePlace()) {
            purgeExpired(pending.createdAt());
            if (!takePlace()) {
                return new SaveOutcome.Full(capacity);
            }
        }
        if (sessions.putIfAbsent(pending.key(), new Session.Pending(pending)) != null) {
            taken.decrementAndGet();
            throw new IllegalStateException("a session is already stored under state " + pending.stateHint() + "…");
        }
        return new SaveOutcome.Saved();
    }

    @Override
    public ConsumeOutcome consumePending(StateHash key, Instant now) {
        return transition(key, current -> switch (current) {
            case null -> Step.drop(new ConsumeOutcome.Unknown());
            case Session.Pending pending when pending.isExpiredAt(now) -> Step.drop(new ConsumeOutcome.Expired());
            case Session.Pending pending -> Step.become(pending.consumedAt(now, resultTtl),
                    new ConsumeOutcome.Consumed(pending.authorization()));
            case Session marker when marker.isExpiredAt(now) -> Step.drop(new ConsumeOutcome.Unknown());
            case Session marker -> Step.keep(marker, new ConsumeOutcome.AlreadyUsed());
        });
    }

    /**
     * Stores anew when the consumed marker is gone (the exchange outlived it): the user's result matters more
     * than the capacity, which may then be overshot until this result expires.
     */
    @Override
    public void saveFinished(FinishedLogin finished) {
        Objects.requireNonNull(finished, "finished");
        transition(finished.key(), current -> switch (current) {
            case null -> Step.become(new Session.Finished(finished, ""), null);
            case Session.Exchanging marker -> Step.become(new Session.Finished(finished, marker.returnToOrigin()), null);
            case Session.Pending pending -> throw new IllegalStateException(
                    "a result for state " + finished.stateHint() + "… arrived before the login was consumed");
            case Session.Finished earlier -> throw secondResult(finished);
            case Session.PickedUp earlier -> throw secondResult(finished);
        });
    }

    @Override
    public PickUpOutcome pickUp(StateHash key, Instant now) {
        return transition(key, current -> switch (current) {
            case null -> Step.drop(new PickUpOutcome.NotReady());
            case Session.Finished result when result.isExpiredAt(now) -> Step.drop(new PickUpOutcome.NotReady());
            case Session.Finished result -> Step.become(result.pickedUp(), new PickUpOutcome.Ready(result.login()));
            case Session.PickedUp marker when marker.isExpiredAt(now) -> Step.drop(new PickUpOutcome.NotReady());
            case Session.PickedUp marker -> Step.keep(marker, new PickUpOutcome.AlreadyPickedUp());
            case Session.Pending waiting -> Step.keep(waiting, new PickUpOutcome.NotReady());
            case Session.Exchanging marker -> Step.keep(marker, new PickUpOutcome.NotReady());
        });
    }

    @Override
    public boolean cancelPending(StateHash key) {
        return transition(key, current -> current instanceof Session.Pending
                ? Step.drop(true)
                : Step.keep(current, false));
    }

    @Override
    public int purgeExpired(Instant now) {
        int purged = 0;
        for (StateHash key : sessions.keySet()) {
            boolean removed = transition(key, current -> current != null && current.isExpiredAt(now)
                    ? Step.drop(true)
                    : Step.keep(current, false));
            if (removed) {
                purged++;
            }
        }
        return purged;
    }

    @Override
    public List<SessionSummary> summaries(Instant now) {
        return sessions.entrySet().stream()
                .filter(entry -> !entry.getValue().isExpiredAt(now))
                .map(entry -> entry.getValue().summary(entry.getKey()))
                .sorted(OLDEST_FIRST)
                .toList();
    }

    @Override
    public String toString() {
        return "MemorySessionStore[capacity=" + capacity + ", sessions=" + sessions.size() + "]";
    }

    private boolean takePlace() {
        int held;
        do {
            held = taken.get();
            if (held >= capacity) {
                return false;
            }
        } while (!taken.compareAndSet(held, held + 1));
        return true;
    }

    /** Applies one step to the session under {@code key} atomically, keeping the count of places in step. */
    private <R> R transition(StateHash key, Function<Session, Step<R>> step) {
        AtomicReference<R> answer = new AtomicReference<>();
        sessions.compute(key, (k, current) -> {
            Step<R> next = step.apply(current);
            if (current == null && next.session() != null) {
                taken.incrementAndGet();
            } else if (current != null && next.session() == null) {
                taken.decrementAndGet();
            }
            answer.set(next.answer());
            return next.session();
        });
        return answer.get();
    }

    private static IllegalStateException secondResult(FinishedLogin finished) {
        return new IllegalStateException("state " + finished.stateHint() + "… already has a result");
    }

    /** What a transition leaves under its key ({@code null}: nothing) and what it answers. */
    private record Step<R>(Session session, R answer) {

        static <R> Step<R> become(Session next, R answer) {
            return new Step<>(next, answer);
        }

        static <R> Step<R> keep(Session current, R answer) {
            return new Step<>(current, answer);
        }

        static <R> Step<R> drop(R answer) {
            return new Step<>(null, answer);
        }
    }
}
