package dev.starlib.auth.http.observe;

import dev.starlib.auth.application.port.SessionStore;
import dev.starlib.auth.application.port.SessionStoreException;
import dev.starlib.auth.domain.FinishedLogin;
import dev.starlib.auth.domain.PendingAuthorization;
import dev.starlib.auth.domain.StateHash;

import java.io.IOException;
import java.time.Instant;
import java.util.List;

/** A store that only answers what observing it asks: its counts and whether it can be written. */
final class StubStore implements SessionStore {

    private volatile StoreCounts counts = new StoreCounts(0, 0, 0, 0);
    private volatile boolean broken;

    void holds(StoreCounts counts) {
        this.counts = counts;
    }

    void breakDown() {
        broken = true;
    }

    @Override
    public StoreCounts counts(Instant now) {
        failIfBroken();
        return counts;
    }

    @Override
    public void probeWritable() {
        failIfBroken();
    }

    private void failIfBroken() {
        if (broken) {
            throw new SessionStoreException("the session store in /var/lib/starlib is stopped: disk full",
                    new IOException("No space left on device"));
        }
    }

    @Override
    public SaveOutcome savePending(PendingAuthorization pending) {
        throw new UnsupportedOperationException();
    }

    @Override
    public ConsumeOutcome consumePending(StateHash key, Instant now) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void saveFinished(FinishedLogin finished) {
        throw new UnsupportedOperationException();
    }

    @Override
    public PickUpOutcome pickUp(StateHash key, Instant now) {
        throw new UnsupportedOperationException();
    }

    @Override
    public boolean cancelPending(StateHash key) {
        throw new UnsupportedOperationException();
    }

    @Override
    public int purgeExpired(Instant now) {
        throw new UnsupportedOperationException();
    }

    @Override
    public List<SessionSummary> summaries(Instant now) {
        throw new UnsupportedOperationException();
    }
}
