package dev.starlib.auth.store;

import dev.starlib.auth.domain.ClientKey;
import dev.starlib.auth.domain.OAuthSession;
import dev.starlib.auth.store.SessionTable.Key;

import java.time.Instant;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The per-client quota of a store that holds its sessions in memory: which keys take a place of which client.
 * Which sessions take a place is the domain's rule ({@link OAuthSession#takesAClientPlaceAt}); this only counts,
 * and it counts lazily: a key stays listed until its client is next counted, and is dropped then if its session no
 * longer takes a place (consumed, cancelled, expired, gone). So transitions need not tell it anything, and a
 * client's list never holds more than its quota. It lists the {@link SessionTable}'s own keys and asks the table,
 * which answers from its packed entries, so a place costs one set entry and a check rebuilds no session.
 * Not thread-safe: the store calls it under its own lock.
 */
final class PendingPlaces {

    /** What the store holds under a key, as far as places go. */
    interface Stored {

        /** {@link OAuthSession#takesAClientPlaceAt} of what {@code key} holds; false when it holds nothing. */
        boolean takesAClientPlace(Key key, Instant now);

        /** When what {@code key} holds expires; empty when it holds nothing. */
        Optional<Instant> expiresAt(Key key);
    }

    private final Map<ClientKey, Set<Key>> byClient = new HashMap<>();

    /**
     * Takes a place for {@code session}'s client, unless it already holds {@code limit}.
     *
     * @param key    the table's key for the session
     * @param stored what the store holds now
     * @return empty when a place was taken; otherwise when the client's oldest place frees up at the latest
     */
    Optional<Instant> take(Key key, OAuthSession.Pending session, int limit, Instant now, Stored stored) {
        if (limit < 1) {
            throw new IllegalArgumentException("a per-client quota is at least 1");
        }
        if (!session.client().known()) {
            return Optional.empty();
        }
        Set<Key> places = byClient.computeIfAbsent(session.client(), client -> new LinkedHashSet<>());
        if (places.size() >= limit) {
            places.removeIf(place -> !stored.takesAClientPlace(place, now));
        }
        if (places.size() >= limit) {
            return Optional.of(places.stream().map(stored::expiresAt).flatMap(Optional::stream)
                    .min(Instant::compareTo).orElse(now));
        }
        places.add(key);
        return Optional.empty();
    }

    /** Gives back the place a session took, when the store did not keep it after all. */
    void giveBack(Key key, OAuthSession.Pending session) {
        Set<Key> places = byClient.get(session.client());
        if (places != null) {
            places.remove(key);
            if (places.isEmpty()) {
                byClient.remove(session.client());
            }
        }
    }

    /**
     * Lists the place of a pending login of a known client read back from disk (an expired one is dropped at the
     * next count).
     */
    void restore(Key key, ClientKey client) {
        byClient.computeIfAbsent(client, known -> new LinkedHashSet<>()).add(key);
    }

    /** Drops every listed key that no longer takes a place, and clients left with none (the purge calls it). */
    void prune(Instant now, Stored stored) {
        Iterator<Set<Key>> clients = byClient.values().iterator();
        while (clients.hasNext()) {
            Set<Key> places = clients.next();
            places.removeIf(place -> !stored.takesAClientPlace(place, now));
            if (places.isEmpty()) {
                clients.remove();
            }
        }
    }

    int clients() {
        return byClient.size();
    }
}
