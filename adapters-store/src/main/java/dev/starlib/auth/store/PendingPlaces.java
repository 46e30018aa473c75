package dev.starlib.auth.store;

import dev.starlib.auth.domain.ClientKey;
import dev.starlib.auth.domain.OAuthSession;
import dev.starlib.auth.domain.StateHash;

import java.time.Instant;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The per-client quota of a store that holds its sessions in memory: which keys take a place of which client.
 * Which sessions take a place is the domain's rule ({@link OAuthSession#takesAClientPlaceAt}); this only counts,
 * and it counts lazily: a key stays listed until its client is next counted, and is dropped then if its session no
 * longer takes a place (consumed, cancelled, expired, gone). So transitions need not tell it anything, and a
 * client's list never holds more than its quota. Not thread-safe: the store calls it under its own lock.
 */
final class PendingPlaces {

    private final Map<ClientKey, Set<StateHash>> byClient = new HashMap<>();

    /**
     * Takes a place for {@code session}'s client, unless it already holds {@code limit}.
     *
     * @param stored what the store holds under a key now ({@code null}: nothing)
     * @return empty when a place was taken; otherwise when the client's oldest place frees up at the latest
     */
    Optional<Instant> take(OAuthSession.Pending session, int limit, Instant now,
                           Function<StateHash, OAuthSession> stored) {
        if (limit < 1) {
            throw new IllegalArgumentException("a per-client quota is at least 1");
        }
        if (!session.client().known()) {
            return Optional.empty();
        }
        Set<StateHash> places = byClient.computeIfAbsent(session.client(), client -> new LinkedHashSet<>());
        if (places.size() >= limit) {
            places.removeIf(key -> !takesAPlace(stored.apply(key), now));
        }
        if (places.size() >= limit) {
            return Optional.of(places.stream().map(stored).filter(s -> s != null).map(OAuthSession::expiresAt)
                    .min(Instant::compareTo).orElse(now));
        }
        places.add(session.key());
        return Optional.empty();
    }

    /** Gives back the place a session took, when the store did not keep it after all. */
    void giveBack(OAuthSession.Pending session) {
        Set<StateHash> places = byClient.get(session.client());
        if (places != null) {
            places.remove(session.key());
            if (places.isEmpty()) {
                byClient.remove(session.client());
            }
        }
    }

    /** Lists the place of a session read back from disk (an expired one is dropped at the next count). */
    void restore(OAuthSession session) {
        if (session instanceof OAuthSession.Pending pending && pending.client().known()) {
            byClient.computeIfAbsent(pending.client(), client -> new LinkedHashSet<>()).add(pending.key());
        }
    }

    /** Drops every listed key that no longer takes a place, and clients left with none (the purge calls it). */
    void prune(Instant now, Function<StateHash, OAuthSession> stored) {
        Iterator<Set<StateHash>> clients = byClient.values().iterator();
        while (clients.hasNext()) {
            Set<StateHash> places = clients.next();
            places.removeIf(key -> !takesAPlace(stored.apply(key), now));
            if (places.isEmpty()) {
                clients.remove();
            }
        }
    }

    int clients() {
        return byClient.size();
    }

    private static boolean takesAPlace(OAuthSession session, Instant now) {
        return session != null && session.takesAClientPlaceAt(now);
    }
}
