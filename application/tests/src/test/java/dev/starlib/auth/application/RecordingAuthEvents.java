package dev.starlib.auth.application;

import dev.starlib.auth.application.port.AuthEvents;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Records what the use cases report. Thread-safe: refreshes report from background threads too. */
final class RecordingAuthEvents implements AuthEvents {

    record LoginFinished(Flow flow, String outcome, String stateHint) {
    }

    volatile int loginsStarted;
    final List<LoginFinished> loginsFinished = new CopyOnWriteArrayList<>();
    final List<String> refreshesFinished = new CopyOnWriteArrayList<>();
    final List<String> signOutsFinished = new CopyOnWriteArrayList<>();
    final List<Duration> breakerOpenings = new CopyOnWriteArrayList<>();
    final List<UpstreamEndpoint> breakerRefusals = new CopyOnWriteArrayList<>();
    final List<String> storeErrors = new CopyOnWriteArrayList<>();
    final List<String> appTokenRenewals = new CopyOnWriteArrayList<>();
    final List<String> appTokenRequests = new CopyOnWriteArrayList<>();

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
    public void signOutFinished(String outcome) {
        signOutsFinished.add(outcome);
    }

    @Override
    public void breakerOpened(Duration openFor) {
        breakerOpenings.add(openFor);
    }

    @Override
    public void breakerRefused(UpstreamEndpoint endpoint) {
        breakerRefusals.add(endpoint);
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
