package dev.starlib.auth.store.redis;

import dev.starlib.auth.domain.StateHash;

import java.nio.charset.StandardCharsets;

/**
 * The store's keys: {@code <prefix>{auth}:session:<state hash>} for each session, {@code <prefix>{auth}:sessions}
 * for the index of them all (a sorted set scored by expiry), {@code <prefix>{auth}:probe} for readiness. The hash
 * tag {@code {auth}} puts every key in one Redis Cluster slot, so the scripts that touch a session and the index
 * together stay legal there; the service's data is a few megabytes, far from needing more than one shard.
 */
final class RedisKeys {

    static final String HASH_TAG = "{auth}";

    private final String sessionPrefix;
    private final byte[] index;
    private final byte[] probe;

    RedisKeys(String prefix) {
        String base = prefix + HASH_TAG + ":";
        this.sessionPrefix = base + "session:";
        this.index = bytes(base + "sessions");
        this.probe = bytes(base + "probe");
    }

    byte[] session(StateHash key) {
        return bytes(sessionPrefix + key.hex());
    }

    /** What the scripts put in front of an index member (a state hash) to get its session's key. */
    byte[] sessionPrefix() {
        return bytes(sessionPrefix);
    }

    byte[] index() {
        return index;
    }

    byte[] probe() {
        return probe;
    }

    static byte[] member(StateHash key) {
        return bytes(key.hex());
    }

    static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
