package dev.starlib.auth.store;

import dev.starlib.auth.application.port.SessionStore.ConsumeOutcome;
import dev.starlib.auth.application.port.SessionStore.PickUpOutcome;
import dev.starlib.auth.application.port.SessionStore.SessionSummary;
import dev.starlib.auth.domain.FinishedLogin;
import dev.starlib.auth.domain.StateHash;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The rules of the {@link dev.starlib.auth.application.port.SessionStore} lifecycle, apart from where sessions
 * are kept: given what is stored under one key, what to store there next and what to answer. Every store
 * applies these atomically per key; a durable store also writes down each change before answering.
 */
final class Lifecycle {

    private static final Comparator<SessionSummary> OLDEST_FIRST =
            Comparator.comparing(SessionSummary::createdAt).thenComparing(summary -> summary.key().hex());

    private Lifecycle() {
    }

    static Step<ConsumeOutcome> consume(Session current, Instant now, Duration resultTtl) {
        return switch (current) {
            case null -> Step.drop(new ConsumeOutcome.Unknown());
            case Session.Pending pending when pending.isExpiredAt(now) -> Step.drop(new ConsumeOutcome.Expired());
            case Session.Pending pending -> Step.become(pending.consumedAt(now, resultTtl),
                    new ConsumeOutcome.Consumed(pending.authorization()));
            case Session marker when marker.isExpiredAt(now) -> Step.drop(new ConsumeOutcome.Unknown());
            case Session marker -> Step.keep(marker, new ConsumeOutcome.AlreadyUsed());
        };
    }

    /**
     * Stores anew when the consumed marker is gone (the exchange outlived it): the user's result matters more
     * than the capacity, which may then be overshot until this result expires.
     */
    static Step<Void> finish(Session current, FinishedLogin finished) {
        return switch (current) {
            case null -> Step.become(new Session.Finished(finished, ""), null);
            case Session.Exchanging marker -> Step.become(new Session.Finished(finished, marker.returnToOrigin()), null);
            case Session.Pending pending -> throw new IllegalStateException(
                    "a result for state " + finished.stateHint() + "… arrived before the login was consumed");
            case Session.Finished earlier -> throw secondResult(finished);
            case Session.PickedUp earlier -> throw secondResult(finished);
        };
    }

    static Step<PickUpOutcome> pickUp(Session current, Instant now) {
        return switch (current) {
            case null -> Step.drop(new PickUpOutcome.NotReady());
            case Session.Finished result when result.isExpiredAt(now) -> Step.drop(new PickUpOutcome.NotReady());
            case Session.Finished result -> Step.become(result.pickedUp(), new PickUpOutcome.Ready(result.login()));
            case Session.PickedUp marker when marker.isExpiredAt(now) -> Step.drop(new PickUpOutcome.NotReady());
            case Session.PickedUp marker -> Step.keep(marker, new PickUpOutcome.AlreadyPickedUp());
            case Session.Pending waiting -> Step.keep(waiting, new PickUpOutcome.NotReady());
            case Session.Exchanging marker -> Step.keep(marker, new PickUpOutcome.NotReady());
        };
    }

    static Step<Boolean> cancel(Session current) {
        return current instanceof Session.Pending ? Step.drop(true) : Step.keep(current, false);
    }

    static Step<Boolean> purge(Session current, Instant now) {
        return current != null && current.isExpiredAt(now) ? Step.drop(true) : Step.keep(current, false);
    }

    static List<SessionSummary> summaries(Map<StateHash, Session> sessions, Instant now) {
        return sessions.entrySet().stream()
                .filter(entry -> !entry.getValue().isExpiredAt(now))
                .map(entry -> entry.getValue().summary(entry.getKey()))
                .sorted(OLDEST_FIRST)
                .toList();
    }

    private static IllegalStateException secondResult(FinishedLogin finished) {
        return new IllegalStateException("state " + finished.stateHint() + "… already has a result");
    }
}
