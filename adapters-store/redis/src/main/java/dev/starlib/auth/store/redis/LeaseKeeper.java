package dev.starlib.auth.store.redis;

import io.lettuce.core.ScriptOutputType;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Keeps this process's leases alive in Redis while their holders work. A lease is set with a short expiry,
 * {@link #ttl()}, and extended every third of it ({@link Scripts#RENEW}, only while the value is still ours) until
 * its holder lets go or its own deadline passes. So a lease never runs out under a SoundCloud call that is still
 * going, however long the call may take within that deadline (the hole oauth2-proxy's PR #3456 closes: a lock
 * with a fixed expiry that a slow redeem outlives lets a second instance present the same single-use token), and a
 * process that dies lets go of its leases within one {@link #ttl()}, not at their deadline.
 * <p>
 * Renewals are sent without waiting for their answers, from one daemon thread. One that fails (Redis away for a
 * moment) is simply tried again at the next beat; a lease found to be no longer ours is not renewed again.
 */
final class LeaseKeeper implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(LeaseKeeper.class.getName());

    private final RedisConnection redis;
    private final Duration ttl;
    private final Clock clock;
    private final ScheduledThreadPoolExecutor timer;

    LeaseKeeper(RedisConnection redis, Duration ttl, Clock clock) {
        if (ttl.toMillis() < 30) {
            throw new IllegalArgumentException("a lease lives at least 30 ms between renewals");
        }
        this.redis = redis;
        this.ttl = ttl;
        this.clock = clock;
        this.timer = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "redis-lease-renewal");
            thread.setDaemon(true);
            return thread;
        });
        timer.setRemoveOnCancelPolicy(true);
    }

    /** Three command timeouts, so that one renewal lost to a slow Redis is made up by the next; at least 3 s. */
    static Duration defaultTtl(RedisSettings settings) {
        return settings.timeout().multipliedBy(3).compareTo(Duration.ofSeconds(3)) < 0 ? Duration.ofSeconds(3)
                : settings.timeout().multipliedBy(3);
    }

    /** How long a lease lives in Redis without a renewal: how soon another instance may take over from a dead one. */
    Duration ttl() {
        return ttl;
    }

    /** The expiry a lease is first set with: {@link #ttl()}, or less when its deadline comes sooner. */
    long firstTtlMillis(Instant until) {
        return Math.max(1, Math.min(ttl.toMillis(), Duration.between(clock.instant(), until).toMillis()));
    }

    /** Renews the lease at {@code key} holding {@code value} until {@link Kept#stop()} or {@code until}. */
    Kept keep(byte[] key, String value, Instant until) {
        Kept kept = new Kept(key, value.getBytes(StandardCharsets.US_ASCII), until);
        long period = Math.max(10, ttl.toMillis() / 3);
        kept.beat = timer.scheduleAtFixedRate(kept::renew, period, period, TimeUnit.MILLISECONDS);
        return kept;
    }

    /** Stops every renewal; the leases then lapse within {@link #ttl()} (they are not released: see {@link Kept}). */
    @Override
    public void close() {
        timer.shutdownNow();
    }

    /**
     * One lease kept alive. {@link #stop()} only stops the renewals; letting go of the lease is its holder's
     * compare-and-delete, so that a holder whose work outlives a shutdown is never raced by another instance.
     */
    final class Kept {
        private final byte[] key;
        private final byte[] value;
        private final Instant until;
        private volatile ScheduledFuture<?> beat;
        private volatile boolean stopped;

        private Kept(byte[] key, byte[] value, Instant until) {
            this.key = key;
            this.value = value;
            this.until = until;
        }

        void stop() {
            stopped = true;
            ScheduledFuture<?> scheduled = beat;
            if (scheduled != null) {
                scheduled.cancel(false);
            }
        }

        private void renew() {
            long left = Duration.between(clock.instant(), until).toMillis();
            if (stopped || left <= 0) {
                stop();
                return;
            }
            byte[] extendTo = Long.toString(Math.min(ttl.toMillis(), left)).getBytes(StandardCharsets.US_ASCII);
            try {
                // EVAL rather than EVALSHA: a renewal must not miss its beat on a Redis that lost its script cache.
                redis.commands().<Long>eval(Scripts.RENEW.source().getBytes(StandardCharsets.UTF_8),
                        ScriptOutputType.INTEGER, new byte[][]{key}, value, extendTo).whenComplete((renewed, failure) -> {
                            if (failure == null && renewed != null && renewed == 0) {
                                stop(); // no longer ours: it ran out, or its holder let go meanwhile
                            }
                        });
            } catch (RuntimeException e) {
                // Rejected at once while disconnected: the next beat tries again.
                LOG.log(System.Logger.Level.DEBUG, "lease renewal not sent: " + e.getClass().getSimpleName());
            }
        }
    }
}
