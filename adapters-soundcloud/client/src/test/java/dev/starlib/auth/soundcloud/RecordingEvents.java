package dev.starlib.auth.soundcloud;

import dev.starlib.auth.application.port.AuthEvents;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Remembers the upstream calls reported to it. */
final class RecordingEvents implements AuthEvents {

    record UpstreamCall(UpstreamEndpoint endpoint, String outcome, Duration duration) {
    }

    final List<UpstreamCall> upstreamCalls = new CopyOnWriteArrayList<>();

    @Override
    public void upstreamCall(UpstreamEndpoint endpoint, String outcome, Duration duration) {
        upstreamCalls.add(new UpstreamCall(endpoint, outcome, duration));
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
    public void storeError(String operation) {
    }
}
