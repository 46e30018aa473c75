package dev.starlib.auth.application;

import dev.starlib.auth.application.port.AuthEvents;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Records what the use cases report. */
final class RecordingAuthEvents implements AuthEvents {

    record LoginFinished(Flow flow, String outcome, String stateHint) {
    }

    int loginsStarted;
    final List<LoginFinished> loginsFinished = new ArrayList<>();
    final List<String> refreshesFinished = new ArrayList<>();
    final List<String> storeErrors = new ArrayList<>();
    final List<String> appTokenRenewals = new java.util.concurrent.CopyOnWriteArrayList<>();
    final List<String> appTokenRequests = new java.util.concurrent.CopyOnWriteArrayList<>();

    @Override
    public void loginStarted() {
        loginsStarted++;
    }

    @Override
    public void loginFinished(Flow flow, String outcome, String stateHint) {
        loginsFinished.add(new LoginFinished(flow, outcome, stateHint));
    }

    @Override
    public void refreshFinished(String outcome) {
        refreshesFinished.add(outcome);
    }

    @Override
    public void upstreamCall(UpstreamEndpoint endpoint, String outcome, Duration duration) {
        // reported by the SoundCloud adapter, not by the use cases
    }

    @Override
    public void storeError(String operation) {
        storeErrors.add(operation);
    }

    @Override
    public void appTokenRenewal(String method, String outcome) {
        appTokenRenewals.add(method + ":" + outcome);
    }

    @Override
    public void appTokenRequest(String outcome) {
        appTokenRequests.add(outcome);
    }
}
