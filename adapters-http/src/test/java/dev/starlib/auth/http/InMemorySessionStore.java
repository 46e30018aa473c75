package dev.starlib.auth.http;

import dev.starlib.auth.application.port.SessionStore;
import dev.starlib.auth.application.port.SessionStoreException;
import dev.starlib.auth.domain.FinishedLogin;
import dev.starlib.auth.domain.PendingAuthorization;
import dev.starlib.auth.domain.StateHash;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A small store that follows the {@link SessionStore} contract, with a cap and a switch to make it fail. */
final class InMemorySessionStore implements SessionStore {

    private sealed interface Entry {
        Instant expiresAt();
    }

    private record Pending(PendingAuthorization pending) implements Entry {
        public Instant expiresAt() {
            return pending.expiresAt();
        }
    }

    private record Exchanging(PendingAuthorization pending, Instant expiresAt) implements Entry {
    }

    private record Finished(FinishedLogin finished) implements Entry {
        public Instant expiresAt() {
            return finished.expiresAt();
        }
    }

    private record PickedUp(Instant expiresAt) implements Entry {
    }

    private final Map<StateHash, Entry> entries = new HashMap<>();
    private final Duration resultTtl;
    private int capacity = 100;
    private boolean broken;

    InMemorySessionStore(Duration resultTtl) {
        this.resultTtl = resultTtl;
    }

    synchronized void reset() {
        entries.clear();
        capacity = 100;
        broken = false;
    }

    synchronized void capacity(int capacity) {
        this.capacity = capacity;
    }

    /** From now on every call fails as a broken disk would. */
    synchronized void breakDown() {
        broken = true;
    }

    @Override
    public synchronized SaveOutcome savePending(PendingAuthorization pending) {
        failIfBroken();
        if (entries.size() >= capacity) {
            return new SaveOutcome.Full(capacity);
        }
        entries.put(pending.key(), new Pending(pending));
        return new SaveOutcome.Saved();
    }

    @Override
    public synchronized ConsumeOutcome consumePending(StateHash key, Instant now) {
        failIfBroken();
        Entry entry = entries.get(key);
        return switch (entry) {
            case null -> new ConsumeOutcome.Unknown();
            case Pending pending when pending.pending().isExpiredAt(now) -> {
                entries.remove(key);
                yield new ConsumeOutcome.Expired();
            }
            case Pending pending -> {
                entries.put(key, new Exchanging(pending.pending(), pending.expiresAt().plus(resultTtl)));
                yield new ConsumeOutcome.Consumed(pending.pending());
            }
            case Exchanging exchanging -> new ConsumeOutcome.AlreadyUsed();
            case Finished finished -> new ConsumeOutcome.AlreadyUsed();
            case PickedUp pickedUp -> new ConsumeOutcome.AlreadyUsed();
        };
    }

    @Override
    public synchronized void saveFinished(FinishedLogin finished) {
        failIfBroken();
        entries.put(finished.key(), new Finished(finished));
    }

    @Override
    public synchronized PickUpOutcome pickUp(StateHash key, Instant now) {
        failIfBroken();
        Entry entry = entries.get(key);
        return switch (entry) {
            case Finished finished when !finished.finished().isExpiredAt(now) -> {
                entries.put(key, new PickedUp(finished.expiresAt()));
                yield new PickUpOutcome.Ready(finished.finished());
            }
            case PickedUp pickedUp -> new PickUpOutcome.AlreadyPickedUp();
            case null, default -> new PickUpOutcome.NotReady();
        };
    }

    @Override
    public synchronized boolean cancelPending(StateHash key) {
        failIfBroken();
        return entries.get(key) instanceof Pending && entries.remove(key) != null;
    }

    @Override
    public synchronized int purgeExpired(Instant now) {
        failIfBroken();
        int before = entries.size();
        entries.values().removeIf(entry -> !now.isBefore(entry.expiresAt()));
        return before - entries.size();
    }

    @Override
    public synchronized List<SessionSummary> summaries(Instant now) {
        failIfBroken();
        List<SessionSummary> summaries = new ArrayList<>();
        entries.forEach((key, entry) -> {
            if (entry instanceof Pending pending) {
                PendingAuthorization p = pending.pending();
                summaries.add(new SessionSummary(key, p.stateHint(), SessionSummary.Stage.PENDING,
                        p.returnTo().origin().toString(), p.createdAt(), p.expiresAt()));
            }
        });
        return summaries;
    }

    @Override
    public synchronized StoreCounts counts(Instant now) {
        failIfBroken();
        int[] stages = new int[4];
        entries.values().stream().filter(entry -> now.isBefore(entry.expiresAt())).forEach(entry -> stages[switch (entry) {
            case Pending pending -> 0;
            case Exchanging exchanging -> 1;
            case Finished finished -> 2;
            case PickedUp pickedUp -> 3;
        }]++);
        return new StoreCounts(stages[0], stages[1], stages[2], stages[3]);
    }

    @Override
    public synchronized void probeWritable() {
        failIfBroken();
    }

    private void failIfBroken() {
        if (broken) {
            throw new SessionStoreException("disk full (test)", new java.io.IOException("no space left on device"));
        }
    }
}
