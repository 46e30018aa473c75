package dev.starlib.auth.application;

import dev.starlib.auth.application.port.AuthEvents;
import dev.starlib.auth.application.port.ClientLedger;
import dev.starlib.auth.domain.ClientKey;
import dev.starlib.auth.domain.GuessingBackoff;
import dev.starlib.auth.domain.GuessingBackoff.Verdict;

import java.time.Clock;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * An operator signs in to the admin pages (HTTP Basic). A client that keeps giving wrong credentials waits longer
 * after each ({@link GuessingBackoff}); while it waits its attempts are not even compared. Only that client waits:
 * the right password from anywhere else is let in at once, so guessing can never lock the operators out.
 */
public final class OperatorSignIn {

    private static final System.Logger LOG = System.getLogger(OperatorSignIn.class.getName());
    static final String SCOPE = "admin-sign-in";

    private final ClientLedger ledger;
    private final Clock clock;
    private final AuthEvents events;

    public OperatorSignIn(ClientLedger ledger, Clock clock, AuthEvents events) {
        this.ledger = ledger;
        this.clock = clock;
        this.events = events;
    }

    /** Credentials only, no back-off: for tests of the pages alone. */
    public static OperatorSignIn unguarded(Clock clock) {
        return new OperatorSignIn(ClientLedger.NONE, clock, AuthEvents.NONE);
    }

    public sealed interface Result {
        record Allowed() implements Result {
        }

        /** Wrong credentials (or none); the client may try again now. */
        record Refused() implements Result {
        }

        /** Too many wrong credentials from this client: it must wait, whatever it sends. */
        record Wait(Duration retryAfter) implements Result {
        }
    }

    /**
     * @param maskedClient       the client's network as logs may show it, never a full address
     * @param credentialsMatch   compares the credentials sent (in constant time); not called while the client waits
     */
    public Result attempt(ClientKey client, String maskedClient, BooleanSupplier credentialsMatch) {
        if (ledger.update(SCOPE, client, GuessingBackoff.check(), clock.instant()) instanceof Verdict.Wait wait) {
            events.clientLimited("admin", "admin_backoff", maskedClient);
            return new Result.Wait(wait.retryAfter());
        }
        if (credentialsMatch.getAsBoolean()) {
            ledger.update(SCOPE, client, GuessingBackoff.succeeded(), clock.instant());
            return new Result.Allowed();
        }
        if (ledger.update(SCOPE, client, GuessingBackoff.failed(), clock.instant()) instanceof Verdict.Wait wait) {
            events.clientLimited("admin", "admin_backoff", maskedClient);
            if (wait.failures() == GuessingBackoff.FREE_ATTEMPTS) {
                // Once per episode: the doubling waits that follow are counted by the metric, not logged.
                LOG.log(System.Logger.Level.WARNING, "admin sign-in: " + wait.failures() + " wrong credentials from "
                        + maskedClient + "; it now waits " + wait.retryAfter().toSeconds() + " s, twice as long after"
                        + " each further wrong attempt (other clients are not affected)");
            }
            return new Result.Wait(wait.retryAfter());
        }
        return new Result.Refused();
    }
}
