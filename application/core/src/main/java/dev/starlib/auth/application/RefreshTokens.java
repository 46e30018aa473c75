package dev.starlib.auth.application;

import dev.starlib.auth.application.port.AuthEvents;
import dev.starlib.auth.application.port.RotationLedger;
import dev.starlib.auth.application.port.RotationLedger.Awaited;
import dev.starlib.auth.application.port.RotationLedger.Claim;
import dev.starlib.auth.application.port.RotationLedger.Lease;
import dev.starlib.auth.application.port.SessionStoreException;
import dev.starlib.auth.application.port.SoundCloud;
import dev.starlib.auth.application.port.SoundCloud.UpstreamResult;
import dev.starlib.auth.domain.LoginFailure;
import dev.starlib.auth.domain.LoginFailure.Reason;
import dev.starlib.auth.domain.RefreshToken;
import dev.starlib.auth.domain.Rotation;
import dev.starlib.auth.domain.RotationSeal;
import dev.starlib.auth.domain.SealedRotation;
import dev.starlib.auth.domain.TokenHash;
import dev.starlib.auth.domain.Tokens;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code POST /refresh}: trades a single-use refresh token for new tokens, so that no caller is signed out by
 * accident (decision 0008):
 * <ul>
 *   <li><b>Single flight.</b> Of concurrent refreshes with one token, one calls SoundCloud; the others wait for its
 *       answer and get the same new pair, or the same failure.</li>
 *   <li><b>Reuse window.</b> A token rotated less than {@link Settings#reuseWindow()} ago gets the same new pair
 *       again, without calling SoundCloud: a client whose answer was lost, or that restarted, is not signed out.
 *       The answer is remembered {@link RotationSeal sealed under the old token}, durably before anyone gets it.</li>
 *   <li><b>A late answer is not lost.</b> A client is answered within {@link Settings#answerWithin()} (504 when
 *       SoundCloud has not answered by then), while the call itself may run on up to
 *       {@link Settings#lateAnswerWithin()}. If SoundCloud rotated after all, the answer is remembered and the
 *       client's retry gets it; if it said no, the retry asks SoundCloud afresh.</li>
 *   <li><b>An outage is not amplified.</b> The {@link TokenEndpointBreaker} fails calls fast while SoundCloud's
 *       token endpoint is down.</li>
 * </ul>
 */
public final class RefreshTokens {

    private static final System.Logger LOG = System.getLogger(RefreshTokens.class.getName());

    /**
     * @param reuseWindow      how long a rotation's answer is handed out again; zero turns reuse off
     * @param answerWithin     the longest a client waits for an answer (SOUNDCLOUD_TIMEOUT_MS)
     * @param lateAnswerWithin the longest the SoundCloud call itself may take (the adapter's bound for a refresh)
     */
    public record Settings(Duration reuseWindow, Duration answerWithin, Duration lateAnswerWithin) {
        public Settings {
            Objects.requireNonNull(reuseWindow, "reuseWindow");
            Objects.requireNonNull(answerWithin, "answerWithin");
            Objects.requireNonNull(lateAnswerWithin, "lateAnswerWithin");
            if (reuseWindow.isNegative() || !answerWithin.isPositive() || lateAnswerWithin.compareTo(answerWithin) < 0) {
                throw new IllegalArgumentException("reuseWindow must not be negative, answerWithin must be positive "
                        + "and lateAnswerWithin at least answerWithin");
            }
        }

        /** The lease outlives the call it covers, so that nobody else calls with the same token meanwhile. */
        Duration leaseFor() {
            return lateAnswerWithin.plus(answerWithin);
        }
    }

    public sealed interface Result {
        record Refreshed(Tokens tokens) implements Result {
        }

        /** {@link Reason#INVALID_GRANT} means the user must sign in again; the others are worth a retry. */
        record Failed(LoginFailure failure) implements Result {
        }
    }

    private final RotationLedger ledger;
    private final SoundCloud soundCloud;
    private final TokenEndpointBreaker breaker;
    private final Settings settings;
    private final Clock clock;
    private final SecureRandom random;
    private final AuthEvents events;

    public RefreshTokens(RotationLedger ledger, SoundCloud soundCloud, TokenEndpointBreaker breaker, Settings settings,
                         Clock clock, SecureRandom random, AuthEvents events) {
        this.ledger = Objects.requireNonNull(ledger, "ledger");
        this.soundCloud = Objects.requireNonNull(soundCloud, "soundCloud");
        this.breaker = Objects.requireNonNull(breaker, "breaker");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.random = Objects.requireNonNull(random, "random");
        this.events = Objects.requireNonNull(events, "events");
    }

    /** @throws SessionStoreException when the ledger cannot be reached: nothing was sent to SoundCloud */
    public Result refresh(RefreshToken refreshToken) {
        TokenHash key = refreshToken.hash();
        long deadline = System.nanoTime() + settings.answerWithin().toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return finish(failed(Failures.timedOut(Failures.Call.REFRESH)), "waited for another caller's rotation");
            }
            Instant now = clock.instant();
            switch (ledger.claim(key, now, now.plus(settings.leaseFor()))) {
                case Claim.Remembered remembered -> {
                    Optional<Rotation> answer = RotationSeal.open(refreshToken, remembered.answer());
                    if (answer.isPresent() && answer.get() instanceof Rotation.Rotated rotated) {
                        return finish(new Outcome(new Result.Refreshed(rotated.tokensAt(now)), "reused"), "");
                    }
                    // Cannot be opened with the token it is kept under: damaged. Forget it and ask SoundCloud.
                    LOG.log(System.Logger.Level.WARNING, "a remembered rotation could not be opened; forgetting it");
                    ledger.forget(key);
                }
                case Claim.Granted granted -> {
                    return finish(rotate(refreshToken, granted.lease(), deadline), "");
                }
                case Claim.Underway underway -> {
                    Optional<Outcome> shared = awaitOther(refreshToken, underway.lease(), Duration.ofNanos(left));
                    if (shared.isPresent()) {
                        return finish(shared.get(), "");
                    }
                }
            }
        }
    }

    /** This call holds the lease: ask the breaker, call SoundCloud in the background, wait for it until the deadline. */
    private Outcome rotate(RefreshToken refreshToken, Lease lease, long deadline) {
        TokenEndpointBreaker.Permit.Call call;
        switch (breaker.permit(AuthEvents.UpstreamEndpoint.TOKEN_REFRESH)) {
            case TokenEndpointBreaker.Permit.Refused refused -> {
                abandonQuietly(lease);
                return failed(Failures.breakerOpen(refused.retryAfter()));
            }
            case TokenEndpointBreaker.Permit.Call granted -> call = granted;
        }
        CompletableFuture<Rotation> rotation = new CompletableFuture<>();
        Thread.ofVirtual().name("refresh-rotation").start(() -> rotateInBackground(refreshToken, lease, call, rotation));
        try {
            return outcomeOf(rotation.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS), "success");
        } catch (TimeoutException late) {
            LOG.log(System.Logger.Level.INFO, "refresh: SoundCloud has not answered within {0} ms; the call goes on "
                    + "for up to {1} ms and a retry gets its answer", settings.answerWithin().toMillis(),
                    settings.lateAnswerWithin().toMillis());
            return failed(Failures.timedOut(Failures.Call.REFRESH));
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            return failed(Failures.timedOut(Failures.Call.REFRESH));
        } catch (ExecutionException failed) {
            throw failed.getCause() instanceof RuntimeException bug ? bug : new IllegalStateException(failed.getCause());
        }
    }

    /**
     * The SoundCloud call, however long it takes (the adapter bounds it), then its answer: remembered under the
     * old token (durably) and handed to every waiter, then to the caller that started it, if it still waits.
     */
    private void rotateInBackground(RefreshToken refreshToken, Lease lease, TokenEndpointBreaker.Permit.Call call,
                                    CompletableFuture<Rotation> rotation) {
        UpstreamResult<Tokens> upstream;
        try {
            upstream = soundCloud.refresh(refreshToken);
        } catch (RuntimeException e) {
            breaker.recordThrown(call);
            abandonQuietly(lease);
            rotation.completeExceptionally(e);
            return;
        }
        breaker.record(call, upstream);
        Instant at = clock.instant();
        Rotation answer = switch (upstream) {
            case UpstreamResult.Success<Tokens> success -> new Rotation.Rotated(success.value(), at);
            case UpstreamResult.Failure<Tokens> failure -> new Rotation.Failed(Failures.of(failure, Failures.Call.REFRESH));
        };
        try {
            publish(refreshToken, lease, answer, at);
        } catch (SessionStoreException e) {
            // The waiters have the answer regardless; handing out a new pair that is not remembered is still better
            // than keeping it from the only client that can use it.
            events.storeError("rotation");
            LOG.log(System.Logger.Level.WARNING, "refresh: the rotation's answer could not be remembered; "
                    + "a lost answer cannot be handed out again");
        } catch (RuntimeException e) {
            abandonQuietly(lease);
            throw e;
        } finally {
            rotation.complete(answer);
        }
    }

    private void publish(RefreshToken refreshToken, Lease lease, Rotation answer, Instant at) {
        SealedRotation sealed = RotationSeal.seal(refreshToken, answer, random);
        Instant keepUntil = at;
        Set<TokenHash> handsOut = Set.of();
        if (answer instanceof Rotation.Rotated rotated) {
            keepUntil = at.plus(settings.reuseWindow());
            handsOut = Set.of(rotated.tokens().accessToken().hash(), rotated.tokens().refreshToken().hash());
        }
        RotationLedger.Publication publication = ledger.publish(lease, sealed, handsOut, at, keepUntil);
        if (answer instanceof Rotation.Rotated && publication == RotationLedger.Publication.FULL) {
            LOG.log(System.Logger.Level.WARNING, "refresh: the rotation ledger is full; this answer is handed out "
                    + "once and cannot be reused");
        }
    }

    /** Another call rotates this token: its answer, or empty when it ended without one (claim again). */
    private Optional<Outcome> awaitOther(RefreshToken refreshToken, Lease lease, Duration atMost) {
        Awaited awaited;
        try {
            awaited = ledger.await(lease, atMost);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            return Optional.of(failed(Failures.timedOut(Failures.Call.REFRESH)));
        }
        return switch (awaited) {
            case Awaited.Published published -> {
                Optional<Rotation> answer = RotationSeal.open(refreshToken, published.answer());
                if (answer.isEmpty()) {
                    LOG.log(System.Logger.Level.WARNING, "a published rotation could not be opened; claiming again");
                }
                yield answer.map(opened -> outcomeOf(opened, "shared"));
            }
            case Awaited.Ended ended -> Optional.empty();
            case Awaited.StillUnderway underway -> Optional.of(failed(Failures.timedOut(Failures.Call.REFRESH)));
        };
    }

    private void abandonQuietly(Lease lease) {
        try {
            ledger.abandon(lease);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "refresh: a lease could not be given back (" + e.getClass().getSimpleName()
                    + "); it lapses by itself");
        }
    }

    /** What the caller is told, and the outcome reported for it. */
    private record Outcome(Result result, String outcome) {
    }

    private Outcome outcomeOf(Rotation answer, String successOutcome) {
        return switch (answer) {
            case Rotation.Rotated rotated -> new Outcome(new Result.Refreshed(rotated.tokensAt(clock.instant())),
                    successOutcome);
            case Rotation.Failed failed -> failed(failed.failure());
        };
    }

    private static Outcome failed(LoginFailure failure) {
        return new Outcome(new Result.Failed(failure), failure.reason().code());
    }

    private Result finish(Outcome outcome, String note) {
        events.refreshFinished(outcome.outcome());
        LOG.log(System.Logger.Level.INFO, "refresh finished outcome={0}{1}", outcome.outcome(),
                note.isEmpty() ? "" : " (" + note + ")");
        return outcome.result();
    }
}
