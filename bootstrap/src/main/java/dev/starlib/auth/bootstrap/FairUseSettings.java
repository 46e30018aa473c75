package dev.starlib.auth.bootstrap;

import dev.starlib.auth.domain.TokenBucket.Budget;
import dev.starlib.auth.http.client.TrustedProxies;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The settings that keep one client from locking the others out, checked: who the client is, how much each client
 * may ask of each endpoint, how many logins it may park, how long a connection may dawdle.
 *
 * @param budgets              {@code RATE_LIMIT_<ENDPOINT>}, by endpoint name ({@code authorize}, {@code sign-out})
 * @param ledgerCapacity       {@code RATE_LIMIT_CLIENTS}: most per-client tallies held in memory
 * @param clientHashKey        {@code CLIENT_HASH_KEY}; empty: a random one per process, or with {@code SESSION_STORE=redis}
 *                             one derived from {@code SESSION_STORE_KEY}, so that every instance keys clients alike
 */
record FairUseSettings(TrustedProxies proxies, int pendingPerClient, Map<String, Budget> budgets, int ledgerCapacity,
                       boolean bindPickup, Duration requestHeadTimeout, Duration keepAliveTimeout,
                       int connectionsPerClient, Optional<byte[]> clientHashKey) {

    FairUseSettings {
        Objects.requireNonNull(proxies, "proxies");
        budgets = Map.copyOf(budgets);
        Objects.requireNonNull(requestHeadTimeout, "requestHeadTimeout");
        Objects.requireNonNull(keepAliveTimeout, "keepAliveTimeout");
        Objects.requireNonNull(clientHashKey, "clientHashKey");
    }

    /** The budgets as operators read them: {@code authorize 60 per 60 s, ...}. */
    String describeBudgets() {
        return new TreeMap<>(budgets).entrySet().stream()
                .map(entry -> entry.getKey() + " " + entry.getValue())
                .collect(Collectors.joining(", "));
    }

    @Override
    public String toString() {
        return "FairUse[trustedProxies=" + proxies + ", pendingPerClient=" + pendingPerClient
                + ", rateLimits=" + describeBudgets() + ", rateLimitClients=" + ledgerCapacity
                + ", pickupBinding=" + (bindPickup ? "client" : "none")
                + ", requestHeadTimeout=" + requestHeadTimeout.toSeconds() + "s"
                + ", keepAliveTimeout=" + keepAliveTimeout.toSeconds() + "s"
                + ", connectionsPerClient=" + connectionsPerClient
                + ", clientHashKey=" + (clientHashKey.isPresent() ? "<set>"
                : "<unset: random per process; derived from SESSION_STORE_KEY with redis>") + "]";
    }
}
