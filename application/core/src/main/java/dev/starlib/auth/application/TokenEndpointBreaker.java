package dev.starlib.auth.application;

import dev.starlib.auth.application.port.AuthEvents;
import dev.starlib.auth.application.port.AuthEvents.UpstreamEndpoint;
import dev.starlib.auth.application.port.SoundCloud.UpstreamResult;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * A circuit breaker around SoundCloud's token endpoint (code exchanges, refreshes and the app token's grant and
 * refresh), so that an outage is passed
 * on to SoundCloud as a few probes rather than one call per client retry. Policy, not I/O:
 * <ul>
 *   <li>Only answers that say SoundCloud is down count: unavailable (5xx, unreadable, reset, refused connection)
 *       and timed out. Any answer from SoundCloud, a 4xx (429 included) or a success, ends a run of failures, so a
 *       dead grant never opens the breaker.</li>
 *   <li>{@link Settings#failuresToOpen()} outage failures in a row open it: calls then fail fast, told when the next
 *       one goes through.</li>
 *   <li>When the wait is over, one call at a time is let through as a probe (the others fail fast for a second).
 *       A probe that gets an answer closes the breaker; one that does not opens it again for twice as long as
 *       before, up to {@link Settings#maxOpenFor()}.</li>
 * </ul>
 * Helidon's {@code CircuitBreaker} was the first choice and does not fit; decision 0009 says why.
 */
public final class TokenEndpointBreaker {

    private static final System.Logger LOG = System.getLogger(TokenEndpointBreaker.class.getName());
    /** While a probe is under way nobody knows when the next call can go through; a second is a fair guess. */
    static final Duration WHILE_PROBING = Duration.ofSeconds(1);

    /**
     * @param failuresToOpen outage failures in a row that open the breaker
     * @param openFor        how long the first opening lasts
     * @param maxOpenFor     the longest an opening lasts, however often it reopened
     */
    public record Settings(int failuresToOpen, Duration openFor, Duration maxOpenFor) {
        public Settings {
            if (failuresToOpen < 1) {
                throw new IllegalArgumentException("failuresToOpen must be at least 1");
            }
            Objects.requireNonNull(openFor, "openFor");
            Objects.requireNonNull(maxOpenFor, "maxOpenFor");
            if (!openFor.isPositive() || maxOpenFor.compareTo(openFor) < 0) {
                throw new IllegalArgumentException("openFor must be positive and maxOpenFor at least openFor");
            }
        }
    }

    public enum State {
        /** Calls go through. */
        CLOSED,
        /** Calls fail fast until the wait is over. */
        OPEN,
        /** One probe is under way; other calls fail fast. */
        HALF_OPEN;

        /** As health and the dashboard show it: {@code closed}, {@code open}, {@code half_open}. */
        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        /** The gauge's value: 0 closed, 1 half open, 2 open (the higher, the less goes through). */
        public int ordinalForMetrics() {
            return switch (this) {
                case CLOSED -> 0;
                case HALF_OPEN -> 1;
                case OPEN -> 2;
            };
        }
    }

    /**
     * What operators see: the state, the outage failures in the current run, how many times in a row it opened,
     * and while open, when the next call goes through.
     */
    public record Status(State state, int failuresInARow, int opensInARow, Optional<Instant> nextTryAt) {
    }

    /** A call's permission: go ahead (and report how it went), or fail fast. */
    sealed interface Permit {
        /** Go ahead. {@code generation} tells calls of this closed or probing period from older ones. */
        record Call(boolean probe, long generation) implements Permit {
        }

        record Refused(Duration retryAfter) implements Permit {
        }
    }

    /** How a call through the breaker ended: SoundCloud's answer, or the open breaker's wait (nothing was sent). */
    sealed interface Guarded<T> {
        record Answered<T>(UpstreamResult<T> result) implements Guarded<T> {
        }

        record Refused<T>(Duration retryAfter) implements Guarded<T> {
        }
    }

    private final Settings settings;
    private final Clock clock;
    private final AuthEvents events;
    private State state = State.CLOSED;
    private int failuresInARow;
    private int opensInARow;
    private Instant openUntil = Instant.MIN;
    private long generation;

    public TokenEndpointBreaker(Settings settings, Clock clock, AuthEvents events) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.events = Objects.requireNonNull(events, "events");
    }

    /** Whether a call to {@code endpoint} may go to SoundCloud now. */
    synchronized Permit permit(UpstreamEndpoint endpoint) {
        Instant now = clock.instant();
        switch (state) {
            case CLOSED -> {
                return new Permit.Call(false, generation);
            }
            case OPEN -> {
                if (now.isBefore(openUntil)) {
                    return refused(endpoint, Duration.between(now, openUntil));
                }
                state = State.HALF_OPEN;
                generation++;
                LOG.log(System.Logger.Level.INFO, "SoundCloud token endpoint: letting one probe through");
                return new Permit.Call(true, generation);
            }
            default -> {
                return refused(endpoint, WHILE_PROBING);
            }
        }
    }

    /**
     * A call made on the caller's thread: asks for a permit, then sends, then records how it went (a call that throws
     * is recorded as {@link #recordThrown}). The breaker's lock is not held while the call runs.
     */
    <T> Guarded<T> call(UpstreamEndpoint endpoint, Supplier<UpstreamResult<T>> send) {
        Permit.Call call;
        switch (permit(endpoint)) {
            case Permit.Refused refused -> {
                return new Guarded.Refused<>(refused.retryAfter());
            }
            case Permit.Call granted -> call = granted;
        }
        UpstreamResult<T> result;
        try {
            result = send.get();
        } catch (RuntimeException e) {
            recordThrown(call);
            throw e;
        }
        record(call, result);
        return new Guarded.Answered<>(result);
    }

    /** How the permitted call ended. A call from before the breaker last opened or closed changes nothing. */
    synchronized void record(Permit.Call call, UpstreamResult<?> result) {
        boolean outage = result instanceof UpstreamResult.Unavailable<?> || result instanceof UpstreamResult.TimedOut<?>;
        if (call.generation() != generation) {
            return;
        }
        if (call.probe() && state == State.HALF_OPEN) {
            if (outage) {
                open();
            } else {
                close();
            }
        } else if (!call.probe() && state == State.CLOSED) {
            failuresInARow = outage ? failuresInARow + 1 : 0;
            if (failuresInARow >= settings.failuresToOpen()) {
                open();
            }
        }
    }

    /**
     * The permitted call threw instead of answering (a bug, not SoundCloud): it says nothing about SoundCloud, but a
     * probe must end, so a probe that threw counts as one that got no answer.
     */
    synchronized void recordThrown(Permit.Call call) {
        if (call.probe() && call.generation() == generation && state == State.HALF_OPEN) {
            open();
        }
    }

    public synchronized Status status() {
        Optional<Instant> nextTry = state == State.OPEN ? Optional.of(openUntil) : Optional.empty();
        return new Status(state, failuresInARow, opensInARow, nextTry);
    }

    /** Closed, with no history: for tests that share one service. */
    public synchronized void reset() {
        state = State.CLOSED;
        failuresInARow = 0;
        opensInARow = 0;
        openUntil = Instant.MIN;
        generation++;
    }

    private Permit refused(UpstreamEndpoint endpoint, Duration retryAfter) {
        events.breakerRefused(endpoint);
        return new Permit.Refused(retryAfter);
    }

    private void open() {
        opensInARow++;
        Duration openFor = openFor(opensInARow);
        state = State.OPEN;
        openUntil = clock.instant().plus(openFor);
        failuresInARow = 0;
        generation++;
        events.breakerOpened(openFor);
        LOG.log(System.Logger.Level.WARNING, "SoundCloud token endpoint is not answering: failing token calls fast for "
                + openFor.toSeconds() + " s (opened " + opensInARow + " time(s) in a row)");
    }

    private void close() {
        state = State.CLOSED;
        failuresInARow = 0;
        opensInARow = 0;
        generation++;
        LOG.log(System.Logger.Level.INFO, "SoundCloud token endpoint answers again: token calls go through");
    }

    /** {@code openFor}, doubled for each opening in a row after the first, capped. */
    private Duration openFor(int opens) {
        Duration wait = settings.openFor();
        for (int i = 1; i < opens && wait.compareTo(settings.maxOpenFor()) < 0; i++) {
            wait = wait.multipliedBy(2);
        }
        return wait.compareTo(settings.maxOpenFor()) > 0 ? settings.maxOpenFor() : wait;
    }
}
