package dev.starlib.auth.store;

import dev.starlib.auth.application.port.AuthEvents;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Keeps the store errors reported, to check that skipped records are counted. */
final class RecordingEvents implements AuthEvents {

    final List<String> storeErrors = new CopyOnWriteArrayList<>();

    long storeErrors(String operation) {
        return storeErrors.stream().filter(operation::equals).count();
    }

    @Override
    public void loginStarted() {
    }

    @Override
    public void loginFinished(Flow flow, String outcome, String stateHint) {
    }

    @Override
    public void refreshFinished(String outcome) {
    }

    @Override
    public void upstreamCall(UpstreamEndpoint endpoint, String outcome, Duration duration) {
    }

    @Override
    public void storeError(String operation) {
        storeErrors.add(operation);
    }
}
