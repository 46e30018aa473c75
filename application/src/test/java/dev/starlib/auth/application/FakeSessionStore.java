package dev.starlib.auth.application;

import dev.starlib.auth.application.port.SessionStore;
import dev.starlib.auth.domain.FinishedLogin;
import dev.starlib.auth.domain.PendingAuthorization;
import dev.starlib.auth.domain.StateHash;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An in-memory {@link SessionStore} with the lifecycle the port documents:
 * savePending -> [pending] -consumePending-> [consumed] -saveFinished-> [finished] -pickUp-> [picked up].
 * It refuses transitions the port does not allow, so a use case that skips a step fails its test.
 */
final class FakeSessionStore implements SessionStore {

    private enum Stage { PENDING, CONSUMED, FINISHED, PICKED_UP }

    private static final class Entry {
        final PendingAuthorization pending;
        Stage stage = Stage.PENDING;
        FinishedLogin finished;

        Entry(PendingAuthorization pending) {
            this.pending = pending;
        }
    }

    private final int capacity;
    private final Map<StateHash, Entry> entries = new LinkedHashMap<>();
    private final List<FinishedLogin> savedFinished = new ArrayList<>();
    private int savePendingCalls;

    FakeSessionStore(int capacity) {
        this.capacity = capacity;
    }

    FakeSessionStore() {
        this(1_000);
    }

    @Override
    public SaveOutcome savePending(PendingAuthorization pending) {
        savePendingCalls++;
        if (entries.size() >= capacity) {
            return new SaveOutcome.Full(capacity);
        }
        if (entries.containsKey(pending.key())) {
            throw new IllegalStateException("a state was issued twice");
        }
        entries.put(pending.key(), new Entry(pending));
        return new SaveOutcome.Saved();
    }

    @Override
    public ConsumeOutcome consumePending(StateHash key, Instant now) {
        Entry entry = entries.get(key);
        if (entry == null) {
            return new ConsumeOutcome.Unknown();
        }
        if (entry.stage != Stage.PENDING) {
            return new ConsumeOutcome.AlreadyUsed();
        }
        if (entry.pending.isExpiredAt(now)) {
            return new ConsumeOutcome.Expired();
        }
        entry.stage = Stage.CONSUMED;
        return new ConsumeOutcome.Consumed(entry.pending);
    }

    @Override
    public void saveFinished(FinishedLogin finished) {
        Entry entry = entries.get(finished.key());
        if (entry == null || entry.stage != Stage.CONSUMED) {
            throw new IllegalStateException("only a consumed login can finish");
        }
        entry.stage = Stage.FINISHED;
        entry.finished = finished;
        savedFinished.add(finished);
    }

    @Override
    public PickUpOutcome pickUp(StateHash key, Instant now) {
        Entry entry = entries.get(key);
        if (entry == null) {
            return new PickUpOutcome.NotReady();
        }
        return switch (entry.stage) {
            case PENDING, CONSUMED -> new PickUpOutcome.NotReady();
            case PICKED_UP -> new PickUpOutcome.AlreadyPickedUp();
            case FINISHED -> {
                if (entry.finished.isExpiredAt(now)) {
                    yield new PickUpOutcome.NotReady();
                }
                entry.stage = Stage.PICKED_UP;
                yield new PickUpOutcome.Ready(entry.finished);
            }
        };
    }

    @Override
    public boolean cancelPending(StateHash key) {
        Entry entry = entries.get(key);
        if (entry == null || entry.stage != Stage.PENDING) {
            return false;
        }
        entries.remove(key);
        return true;
    }

    @Override
    public int purgeExpired(Instant now) {
        int before = entries.size();
        entries.values().removeIf(e -> e.stage == Stage.PENDING ? e.pending.isExpiredAt(now)
                : e.finished != null && e.finished.isExpiredAt(now));
        return before - entries.size();
    }

    @Override
    public List<SessionSummary> summaries(Instant now) {
        return entries.values().stream().map(e -> new SessionSummary(e.pending.key(), e.pending.stateHint(),
                switch (e.stage) {
                    case PENDING -> SessionSummary.Stage.PENDING;
                    case CONSUMED -> SessionSummary.Stage.EXCHANGING;
                    case FINISHED -> SessionSummary.Stage.FINISHED;
                    case PICKED_UP -> SessionSummary.Stage.PICKED_UP;
                }, e.pending.returnTo().origin().toString(), e.pending.createdAt(),
                e.finished != null ? e.finished.expiresAt() : e.pending.expiresAt())).toList();
    }

    @Override
    public StoreCounts counts(Instant now) {
        List<SessionSummary> all = summaries(now);
        return new StoreCounts(count(all, SessionSummary.Stage.PENDING), count(all, SessionSummary.Stage.EXCHANGING),
                count(all, SessionSummary.Stage.FINISHED), count(all, SessionSummary.Stage.PICKED_UP));
    }

    @Override
    public void probeWritable() {
    }

    private static int count(List<SessionSummary> summaries, SessionSummary.Stage stage) {
        return (int) summaries.stream().filter(summary -> summary.stage() == stage).count();
    }

    // ---- what tests look at ----

    Optional<PendingAuthorization> pending(StateHash key) {
        return Optional.ofNullable(entries.get(key)).map(e -> e.pending);
    }

    List<PendingAuthorization> allPending() {
        return entries.values().stream().map(e -> e.pending).toList();
    }

    List<FinishedLogin> savedFinished() {
        return List.copyOf(savedFinished);
    }

    int size() {
        return entries.size();
    }

    int savePendingCalls() {
        return savePendingCalls;
    }
}
