package dev.starlib.auth.bootstrap;

import dev.starlib.auth.application.OperatorSignIn;
import dev.starlib.auth.application.port.AuthEvents;
import dev.starlib.auth.application.port.ClientLedger;
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
import java.util.Optional;

/**
 * The fair-share machinery the settings chose, built once and shared by both listeners: who the client is, the
 * ledger of per-client tallies (budgets, wrong admin passwords), the connection guard, and the listener bounds.
 */
final class Protection implements AutoCloseable {

    /** How often Helidon looks for connections idle past the keep-alive bound. */
    static final Duration LONGEST_IDLE_CHECK = Duration.ofSeconds(5);

    private static final System.Logger LOG = System.getLogger(Protection.class.getName());

    final ClientResolver clients;
    /** The tallies of this process, when they are not in a shared store. */
    private final Optional<MemoryClientLedger> ownLedger;
    final FairUse fairUse;
    final OperatorSignIn operatorSignIn;
    private final ConnectionGuard guard;
    private final FairUseSettings settings;

    private Protection(FairUseSettings settings, ClientResolver clients, Optional<MemoryClientLedger> ownLedger,
                       FairUse fairUse, OperatorSignIn operatorSignIn, ConnectionGuard guard) {
        this.settings = settings;
        this.clients = clients;
        this.ownLedger = ownLedger;
        this.fairUse = fairUse;
        this.operatorSignIn = operatorSignIn;
        this.guard = guard;
    }

    /**
     * With a store that instances share (Redis), the tallies are kept there and clients are keyed with a secret the
     * store gives (unless CLIENT_HASH_KEY is set), so a client's budgets, like its pending logins, are one over every
     * instance; otherwise they are kept in this process.
     */
    static Protection of(FairUseSettings settings, SessionStorage storage, AuthEvents events, Clock clock) {
        byte[] secret = settings.clientHashKey().or(storage::clientKeySecret).orElseGet(Protection::randomSecret);
        ClientResolver clients = new ClientResolver(settings.proxies(), new ClientKey.Hasher(secret));
        Optional<MemoryClientLedger> own = storage.sharedTallies().isPresent() ? Optional.empty()
                : Optional.of(new MemoryClientLedger(settings.ledgerCapacity()));
        ClientLedger ledger = storage.sharedTallies().orElseGet(own::orElseThrow);
        if (storage.sharedTallies().isPresent()) {
            LOG.log(System.Logger.Level.INFO, "rate limits and PENDING_PER_CLIENT count across instances, in the "
                    + "session store" + (settings.clientHashKey().isPresent() ? ""
                    : " (clients keyed with a secret derived from SESSION_STORE_KEY)"));
        }
        FairUse fairUse = new FairUse(clients, ledger, settings.budgets(), settings.bindPickup(), events, clock);
        ConnectionGuard guard = new ConnectionGuard(settings.requestHeadTimeout(), settings.connectionsPerClient(),
                settings.proxies(), events, clock);
        return new Protection(settings, clients, own, fairUse, new OperatorSignIn(ledger, clock, events), guard);
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

    /** Forgets this process's tallies whose time is up; a shared store's expire by themselves. */
    int purgeExpired(Instant now) {
        return ownLedger.map(ledger -> ledger.purgeExpired(now)).orElse(0);
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
