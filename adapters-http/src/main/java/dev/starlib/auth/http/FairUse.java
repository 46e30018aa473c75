package dev.starlib.auth.http;

import dev.starlib.auth.application.port.AuthEvents;
import dev.starlib.auth.application.port.ClientLedger;
import dev.starlib.auth.domain.ClientKey;
import dev.starlib.auth.domain.TokenBucket.Budget;
import dev.starlib.auth.http.client.ClientResolver;
import dev.starlib.auth.http.client.TrustedProxies;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;

/**
 * What keeps one client from locking the others out of the public API: who the client is
 * ({@link ClientResolver}), the per-endpoint budgets (token buckets, tallied in a {@link ClientLedger}), and
 * whether a result is handed out only to the client that started its login ({@code PICKUP_BINDING=client}).
 *
 * @param budgets by endpoint name, the path under {@code /auth/soundcloud} ({@code authorize}, {@code sign-out}):
 *                an endpoint is limited by its name, whether or not this version routes it
 */
public record FairUse(ClientResolver clients, ClientLedger ledger, Map<String, Budget> budgets, boolean bindPickup,
                      AuthEvents events, Clock clock) {

    public FairUse {
        Objects.requireNonNull(clients, "clients");
        Objects.requireNonNull(ledger, "ledger");
        budgets = Map.copyOf(budgets);
        Objects.requireNonNull(events, "events");
        Objects.requireNonNull(clock, "clock");
    }

    /** No budgets, no binding: every client may do anything (tests of the routes alone). */
    public static FairUse unlimited(Clock clock) {
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        return new FairUse(new ClientResolver(TrustedProxies.NONE, new ClientKey.Hasher(secret)), ClientLedger.NONE,
                Map.of(), false, AuthEvents.NONE, clock);
    }
}
