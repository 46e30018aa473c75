package dev.starlib.auth.bootstrap;

import dev.starlib.auth.application.OperatorSignIn;
import dev.starlib.auth.application.port.AuthEvents;
import dev.starlib.auth.domain.ClientKey;
import dev.starlib.auth.http.ConnectionGuard;
import dev.starlib.auth.http.FairUse;
import dev.starlib.auth.http.client.ClientResolver;
import dev.starlib.auth.store.MemoryClientLedger;
import io.helidon.webserver.ListenerConfig;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * The fair-share machinery the settings chose, built once and shared by both listeners: who the client is, the
 * ledger of per-client tallies (budgets, wrong admin passwords), the connection guard, and the listener bounds.
 */
final class Protection implements AutoCloseable {

    /** How often Helidon looks for connections idle past the keep-alive bound. */
    static final Duration LONGEST_IDLE_CHECK = Duration.ofSeconds(5);

    final ClientResolver clients;
    final MemoryClientLedger ledger;
    final FairUse fairUse;
    final OperatorSignIn operatorSignIn;
    private final ConnectionGuard guard;
    private final FairUseSettings settings;

    private Protection(FairUseSettings settings, ClientResolver clients, MemoryClientLedger ledger, FairUse fairUse,
                       OperatorSignIn operatorSignIn, ConnectionGuard guard) {
        this.settings = settings;
        this.clients = clients;
        this.ledger = ledger;
        this.fairUse = fairUse;
        this.operatorSignIn = operatorSignIn;
        this.guard = guard;
    }

    static Protection of(FairUseSettings settings, AuthEvents events, Clock clock) {
        ClientResolver clients = new ClientResolver(settings.proxies(), new ClientKey.Hasher(
                settings.clientHashKey().orElseGet(Protection::randomSecret)));
        MemoryClientLedger ledger = new MemoryClientLedger(settings.ledgerCapacity());
        FairUse fairUse = new FairUse(clients, ledger, settings.budgets(), settings.bindPickup(), events, clock);
        ConnectionGuard guard = new ConnectionGuard(settings.requestHeadTimeout(), settings.connectionsPerClient(),
                settings.proxies(), events, clock);
        return new Protection(settings, clients, ledger, fairUse, new OperatorSignIn(ledger, clock, events), guard);
    }

    /** A listener's bounds: the connection guard, HTTP/1 with its listeners, and the keep-alive bound. */
    <B extends ListenerConfig.BuilderBase<B, ?>> B bound(B listener) {
        Duration keepAlive = settings.keepAliveTimeout();
        Duration check = keepAlive.dividedBy(2).compareTo(LONGEST_IDLE_CHECK) > 0 ? LONGEST_IDLE_CHECK
                : keepAlive.dividedBy(2);
        // Only the HTTP/1 given here: a discovered default beside it would make two candidate protocols, and Helidon
        // would then close a request line over the limit without its 414 instead of answering it.
        return listener.connectionOptions(guard.socketOptions())
                .protocolsDiscoverServices(false)
                .addProtocol(guard.http1())
                .idleConnectionTimeout(keepAlive)
                .idleConnectionPeriod(check.isZero() ? Duration.ofMillis(500) : check);
    }

    int purgeExpired(Instant now) {
        return ledger.purgeExpired(now);
    }

    @Override
    public void close() {
        guard.close();
    }

    private static byte[] randomSecret() {
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        return secret;
    }
}
