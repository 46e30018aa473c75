package dev.starlib.auth.store.redis;

import dev.starlib.auth.application.port.AuthEvents;
import dev.starlib.auth.application.port.RotationLedger;
import dev.starlib.auth.domain.OAuthSession;
import dev.starlib.auth.domain.PendingAuthorization;
import dev.starlib.auth.domain.SealedRotation;
import dev.starlib.auth.domain.TokenHash;
import dev.starlib.auth.store.Logins;
import dev.starlib.auth.store.RotationLedgerContract;
import dev.starlib.auth.store.StoreKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * What confirming each change with a replica ({@code REDIS_WAIT_REPLICAS=1}, a {@code WAIT 1} behind every write)
 * costs, against a real primary and replica on loopback: latency of one login's four store calls (create,
 * consume, finish, pick up) one at a time, logins per second with 16 at once, and the store's part of one refresh
 * (claim and publish) and of a reuse within the window. Figures, not assertions:
 * <pre>
 *   mvn -B -pl adapters-store/redis -am verify -Dbenchmark=true -Dtest=RedisWaitBenchmark \
 *       -Dsurefire.failIfNoSpecifiedTests=false [-Dbenchmark.logins=2000]
 * </pre>
 * Loopback hides the network: on a LAN add about one round trip to the replica per confirmed change.
 */
@EnabledIfSystemProperty(named = "benchmark", matches = "true")
class RedisWaitBenchmark {

    private static final int LOGINS = Integer.getInteger("benchmark.logins", 2_000);
    private static final Duration RESULT_TTL = Duration.ofMinutes(2);

    @TempDir
    Path directory;

    @Test
    void costOfConfirmingEachChangeWithAReplica() throws Exception {
        try (RedisServer primary = RedisServer.start(directory.resolve("primary"));
             RedisServer replica = RedisServer.replicaOf(directory.resolve("replica"), primary)) {
            while (!replica.cli("INFO", "replication").contains("master_link_status:up")) {
                Thread.sleep(50);
            }
            System.out.printf("%nRedis store, %d logins (4 store calls each), %s, %d CPUs, primary and replica on loopback%n",
                    LOGINS, Runtime.version(), Runtime.getRuntime().availableProcessors());
            StoreKey key = TestRedis.newKey();
            for (int round = 0; round < 2; round++) { // the first round warms the JIT up
                for (int replicas : new int[]{0, 1}) {
                    RedisSettings settings = new RedisSettings(RedisLocation.parse(primary.url()),
                            TestRedis.freshPrefix("bench"), Duration.ofSeconds(2), replicas);
                    try (RedisSessionStore store = RedisSessionStore.open(settings, key, 1_000_000, Clock.systemUTC(),
                            AuthEvents.NONE)) {
                        measure(store, replicas, round == 1);
                        measureRotations(store, replicas, round == 1);
                    }
                }
            }
        }
    }

    private static void measure(RedisSessionStore store, int replicas, boolean print) throws Exception {
        long[] micros = new long[LOGINS];
        for (int i = 0; i < LOGINS; i++) {
            long started = System.nanoTime();
            login(store);
            micros[i] = (System.nanoTime() - started) / 1_000;
        }
        Arrays.sort(micros);
        ExecutorService users = Executors.newFixedThreadPool(16);
        long started = System.nanoTime();
        List<Future<?>> all = new ArrayList<>();
        for (int i = 0; i < LOGINS; i++) {
            all.add(users.submit(() -> login(store)));
        }
        for (Future<?> future : all) {
            future.get();
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        users.shutdown();
        if (print) {
            System.out.printf("REDIS_WAIT_REPLICAS=%d: one login's 4 calls p50 %.2f ms, p99 %.2f ms; 16 at once: %.0f logins/s%n",
                    replicas, micros[LOGINS / 2] / 1000.0, micros[LOGINS * 99 / 100] / 1000.0, LOGINS / seconds);
        }
    }

    /**
     * The store's part of one refresh: the claim that grants the lease (it starts being renewed), the publication
     * of the answer (remembered for the window, handed to the waiters, lease released); then a claim that finds
     * it remembered, as a retry within the window would.
     */
    private static void measureRotations(RedisSessionStore store, int replicas, boolean print) {
        long[] rotation = new long[LOGINS];
        long[] reuse = new long[LOGINS];
        for (int i = 0; i < LOGINS; i++) {
            TokenHash token = RotationLedgerContract.token();
            SealedRotation answer = RotationLedgerContract.answer();
            long started = System.nanoTime();
            Instant now = Instant.now();
            RotationLedger.Lease lease = ((RotationLedger.Claim.Granted) store.claim(token, now,
                    now.plusSeconds(40))).lease();
            store.publish(lease, answer, Set.of(RotationLedgerContract.token(), RotationLedgerContract.token()), now,
                    now.plusSeconds(60));
            long published = System.nanoTime();
            store.claim(token, now, now.plusSeconds(40));
            rotation[i] = (published - started) / 1_000;
            reuse[i] = (System.nanoTime() - published) / 1_000;
        }
        Arrays.sort(rotation);
        Arrays.sort(reuse);
        if (print) {
            System.out.printf("REDIS_WAIT_REPLICAS=%d: one refresh's claim + publish p50 %.2f ms, p99 %.2f ms; "
                            + "a reuse within the window p50 %.2f ms, p99 %.2f ms%n", replicas,
                    rotation[LOGINS / 2] / 1000.0, rotation[LOGINS * 99 / 100] / 1000.0,
                    reuse[LOGINS / 2] / 1000.0, reuse[LOGINS * 99 / 100] / 1000.0);
        }
    }

    private static void login(RedisSessionStore store) {
        Instant now = Instant.now();
        PendingAuthorization pending = Logins.pending(now);
        store.create(new OAuthSession.Pending(pending));
        store.update(pending.key(), OAuthSession.consume(now, RESULT_TTL));
        store.update(pending.key(), OAuthSession.finish(Logins.succeeded(pending, now, RESULT_TTL)));
        store.update(pending.key(), OAuthSession.pickUp(now));
    }
}
