package dev.starlib.auth.store;

import dev.starlib.auth.application.port.SessionStore;
import dev.starlib.auth.domain.FinishedLogin;
import dev.starlib.auth.domain.PendingAuthorization;
import dev.starlib.auth.domain.StateHash;

import java.time.Duration;
import java.time.Instant;
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
        return transition(key, current -> Lifecycle.consume(current, now, resultTtl));
    }

    @Override
    public void saveFinished(FinishedLogin finished) {
        Objects.requireNonNull(finished, "finished");
        transition(finished.key(), current -> Lifecycle.finish(current, finished));
    }

    @Override
    public PickUpOutcome pickUp(StateHash key, Instant now) {
        return transition(key, current -> Lifecycle.pickUp(current, now));
    }

    @Override
    public boolean cancelPending(StateHash key) {
        return transition(key, Lifecycle::cancel);
    }

    @Override
    public int purgeExpired(Instant now) {
        int purged = 0;
        for (StateHash key : sessions.keySet()) {
            boolean removed = transition(key, current -> Lifecycle.purge(current, now));
            if (removed) {
                purged++;
            }
        }
        return purged;
    }

    @Override
    public List<SessionSummary> summaries(Instant now) {
        return Lifecycle.summaries(sessions, now);
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
}
