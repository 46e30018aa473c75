package dev.starlib.auth.sandbox;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A bounded, thread-safe map from a secret (code, token, request id) to what it grants. Entries are kept under a
 * SHA-256 of the secret, so the secrets themselves are not kept. Expired entries are never returned; when the map
 * is full the oldest entry makes room, which only ever ends a test session that was long forgotten.
 */
final class ExpiringGrants<V extends SandboxGrant> {

    private final int capacity;
    private final LinkedHashMap<String, V> bySecretHash = new LinkedHashMap<>();

    ExpiringGrants(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be positive");
        }
        this.capacity = capacity;
    }

    synchronized void put(String secret, V grant, Instant now) {
        Objects.requireNonNull(grant, "grant");
        dropExpiredOldest(now);
        while (bySecretHash.size() >= capacity) {
            Iterator<String> oldest = bySecretHash.keySet().iterator();
            oldest.next();
            oldest.remove();
        }
        bySecretHash.put(hash(secret), grant);
    }

    /** Removes the grant, live or not, and returns it if it was live: a second take finds nothing. */
    synchronized Optional<V> take(String secret, Instant now) {
        V grant = bySecretHash.remove(hash(secret));
        return grant != null && grant.isLiveAt(now) ? Optional.of(grant) : Optional.empty();
    }

    /** The live grant, left in place. */
    synchronized Optional<V> find(String secret, Instant now) {
        V grant = bySecretHash.get(hash(secret));
        return grant != null && grant.isLiveAt(now) ? Optional.of(grant) : Optional.empty();
    }

    /** Removes every grant, live or not, that {@code doomed} picks; how many went. */
    synchronized int removeIf(java.util.function.Predicate<V> doomed) {
        int before = bySecretHash.size();
        bySecretHash.values().removeIf(doomed);
        return before - bySecretHash.size();
    }

    synchronized int size() {
        return bySecretHash.size();
    }

    /** Insertion order is close to expiry order (lifetimes per map are alike), so sweeping from the front is cheap. */
    private void dropExpiredOldest(Instant now) {
        Iterator<Map.Entry<String, V>> entries = bySecretHash.entrySet().iterator();
        while (entries.hasNext() && !entries.next().getValue().isLiveAt(now)) {
            entries.remove();
        }
    }

    private static String hash(String secret) {
        Objects.requireNonNull(secret, "secret");
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform must provide SHA-256", e);
        }
    }
}
