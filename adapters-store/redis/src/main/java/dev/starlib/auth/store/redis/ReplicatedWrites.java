package dev.starlib.auth.store.redis;

import dev.starlib.auth.application.port.AuthEvents;
import dev.starlib.auth.application.port.SessionStoreException;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.api.async.RedisAsyncCommands;

import java.util.List;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

/**
 * Runs the store's write scripts, each with the {@code WAIT} for replicas sent right behind it (one round trip for
 * both) when {@code REDIS_WAIT_REPLICAS} asks for it, and returns a script's answer only once its change is
 * confirmed; shared by the sessions, the rotation ledger and the app token, so that all of them count replicas
 * the same way (decision 0010).
 */
final class ReplicatedWrites {

    private static final System.Logger LOG = System.getLogger(ReplicatedWrites.class.getName());
    /** How often a primary short of replicas is asked again whether they are back. */
    private static final long REPLICA_RECHECK_NANOS = 1_000_000_000L;

    private final RedisSettings settings;
    private final RedisConnection redis;
    private final AuthEvents events;
    /** How many replicas a WAIT asks for: REDIS_WAIT_REPLICAS, or fewer while fewer are connected. */
    private volatile int expectedReplicas;
    /** When ROLE was last asked how many replicas are connected (System.nanoTime). */
    private volatile long replicasCheckedAt;

    ReplicatedWrites(RedisSettings settings, RedisConnection redis, AuthEvents events) {
        this.settings = settings;
        this.redis = redis;
        this.events = events;
        this.expectedReplicas = settings.waitReplicas();
        this.replicasCheckedAt = System.nanoTime();
    }

    /**
     * Runs {@code script} and, when {@code changed} says its answer means it changed something, returns only once
     * the change is confirmed by the replicas asked for.
     */
    <T> T run(String operation, Predicate<? super T> changed, Scripts.Script script, byte[][] keys, byte[]... args) {
        return run(operation, true, changed, script, keys, args);
    }

    /** Runs {@code script} without waiting for replicas: for what is done again anyway (a purge, a renewal). */
    <T> T runUnconfirmed(String operation, Scripts.Script script, byte[][] keys, byte[]... args) {
        return run(operation, false, answer -> false, script, keys, args);
    }

    /** Writes a short-lived value, confirmed like any change: the readiness probe. */
    void set(String operation, byte[] key, byte[] value, io.lettuce.core.SetArgs how) {
        RedisAsyncCommands<byte[], byte[]> commands = redis.commands();
        RedisFuture<String> written = commands.set(key, value, how);
        RedisFuture<Long> confirmed = waits(true) ? startWait(commands) : null;
        redis.await(written, operation);
        if (confirmed != null) {
            requireConfirmed(redis.await(confirmed, operation), operation);
        }
    }

    private <T> T run(String operation, boolean confirm, Predicate<? super T> changed, Scripts.Script script,
                      byte[][] keys, byte[]... args) {
        boolean waits = waits(confirm);
        RedisAsyncCommands<byte[], byte[]> commands = redis.commands();
        RedisFuture<T> written = script.start(commands, keys, args);
        RedisFuture<Long> confirmed = waits ? startWait(commands) : null;
        T result;
        try {
            result = redis.awaitOrThrow(written);
        } catch (RedisException e) {
            if (!Scripts.Script.unknownTo(e)) {
                throw redis.failed(operation, e);
            }
            // A restarted or newly promoted Redis has no scripts cached: send it in full (it is cached from then on).
            if (confirmed != null) {
                redis.await(confirmed, operation);
            }
            written = script.startInFull(commands, keys, args);
            confirmed = waits ? startWait(commands) : null;
            result = redis.await(written, operation);
        } catch (TimeoutException e) {
            throw redis.failed(operation, e);
        }
        if (confirmed != null) {
            long acknowledged = redis.await(confirmed, operation);
            if (changed.test(result)) {
                requireConfirmed(acknowledged, operation);
            }
        }
        return result;
    }

    private boolean waits(boolean confirm) {
        return confirm && settings.waitReplicas() > 0;
    }

    /**
     * {@code WAIT} for as many replicas as are expected to answer: {@code REDIS_WAIT_REPLICAS}, or fewer while the
     * primary has fewer connected (then none is waited for in vain on every write).
     */
    private RedisFuture<Long> startWait(RedisAsyncCommands<byte[], byte[]> commands) {
        return commands.waitForReplication(expectedReplicas, settings.waitTimeout().toMillis());
    }

    /**
     * A change fewer replicas confirmed than asked for. When that many are connected to the primary it may be
     * lost in a failover, so it is not acknowledged: the caller answers 503 and the client tries again (the change
     * itself stays on the primary). When fewer are connected (after a failover, the promoted primary has lost its
     * replica) it is acknowledged with the confirmations there are, counted as {@code unreplicated}: refusing
     * would stop every login until a replica is back. Redis's own {@code min-replicas-to-write} refuses such
     * writes at the source, for those who prefer that (decision 0010).
     */
    private void requireConfirmed(long acknowledged, String operation) {
        int wanted = settings.waitReplicas();
        if (acknowledged >= wanted) {
            expectedReplicas = wanted;
            return;
        }
        long now = System.nanoTime();
        boolean stale = now - replicasCheckedAt > REPLICA_RECHECK_NANOS;
        if (acknowledged >= expectedReplicas && !stale) {
            events.storeError("unreplicated");
            return;
        }
        long connected = connectedReplicas(operation);
        replicasCheckedAt = now;
        int reachable = (int) Math.min(wanted, connected);
        if (acknowledged >= reachable) {
            if (expectedReplicas == wanted) {
                LOG.log(System.Logger.Level.WARNING, "Redis at " + redis.where() + " has " + connected + " of "
                        + wanted + " replica(s) connected: changes are acknowledged with " + acknowledged
                        + " confirmation(s) until replicas are back");
            }
            expectedReplicas = reachable;
            events.storeError("unreplicated");
            return;
        }
        expectedReplicas = reachable;
        events.storeError(operation);
        throw new SessionStoreException("Redis at " + redis.where() + ": only " + acknowledged + " of "
                + reachable + " connected replica(s) confirmed a " + operation + " within "
                + settings.waitTimeout().toMillis() + " ms", null);
    }

    /** How many replicas the primary has connected now, from {@code ROLE}. */
    private long connectedReplicas(String operation) {
        List<Object> role = redis.await(redis.commands().role(), operation);
        return role.size() >= 3 && role.get(2) instanceof List<?> replicas ? replicas.size() : 0;
    }
}
