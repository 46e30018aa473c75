package dev.starlib.auth.store.redis;


import dev.starlib.auth.application.port.AuthEvents;
import dev.starlib.auth.application.port.RotationLedger;
import dev.starlib.auth.application.port.SessionStore;
import dev.starlib.auth.application.port.SessionStoreException;
import dev.starlib.auth.domain.FinishedLogin;
import dev.starlib.auth.domain.OAuthSession;
import dev.starlib.auth.domain.OAuthSession.Consumption;
import dev.starlib.auth.domain.OAuthSession.PickUp;
import dev.starlib.auth.domain.PendingAuthorization;
import dev.starlib.auth.domain.SealedRotation;
import dev.starlib.auth.domain.SessionCounts;
import dev.starlib.auth.domain.TokenHash;
import dev.starlib.auth.store.Logins;
import dev.starlib.auth.store.RecordingEvents;
import dev.starlib.auth.store.RotationLedgerContract;
import dev.starlib.auth.store.StoreKey;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Several instances of the service on one Redis (each a store with its own connection), and Redis going away and
 * coming back under a running store.
 */
class RedisInstancesTest {

    private static final Duration RESULT_TTL = Duration.ofMinutes(2);
    private static final int RACERS = 16;

    @RegisterExtension
    static final RedisPerClass REDIS = new RedisPerClass();
    private final List<RedisSessionStore> opened = new ArrayList<>();
    private final ExecutorService racers = Executors.newFixedThreadPool(RACERS);

    @AfterEach
    void closeStores() {
        racers.shutdownNow();
        opened.forEach(RedisSessionStore::close);
    }

    @Test
    void ofConsumesAndPickUpsRacingOnFourInstancesExactlyOneWinsEach() throws Exception {
        String prefix = TestRedis.freshPrefix("instances");
        StoreKey key = TestRedis.newKey();
        List<RedisSessionStore> instances = List.of(open(prefix, key), open(prefix, key), open(prefix, key),
                open(prefix, key));
        for (int round = 0; round < 100; round++) {
            Instant now = Instant.now();
            PendingAuthorization pending = Logins.pending(now);
            instances.get(round % 4).create(new OAuthSession.Pending(pending));

            List<Object> consumes = race(instances, store -> store.update(pending.key(), OAuthSession.consume(now, RESULT_TTL)));
            assertThat(consumes).filteredOn(Consumption.Consumed.class::isInstance).hasSize(1);
            assertThat(consumes).filteredOn(outcome -> outcome.equals(Consumption.rejected(
                    dev.starlib.auth.domain.StateRejection.ALREADY_USED))).hasSize(RACERS - 1);

            FinishedLogin finished = Logins.succeeded(pending, now, RESULT_TTL);
            instances.get((round + 1) % 4).update(pending.key(), OAuthSession.finish(finished));
            List<Object> pickUps = race(instances, store -> store.update(pending.key(), OAuthSession.pickUp(now)));
            assertThat(pickUps).containsOnlyOnce(new PickUp.Ready(finished));
            assertThat(pickUps).filteredOn(PickUp.AlreadyPickedUp.class::isInstance).hasSize(RACERS - 1);
        }
    }

    @Test
    void capacityIsSharedByEveryInstance() throws Exception {
        String prefix = TestRedis.freshPrefix("capacity");
        StoreKey key = TestRedis.newKey();
        List<RedisSessionStore> instances = List.of(open(prefix, key, 5), open(prefix, key, 5));
        Instant now = Instant.now();

        List<Object> outcomes = race(instances, store -> store.create(new OAuthSession.Pending(Logins.pending(now))));

        assertThat(outcomes).filteredOn(SessionStore.Creation.Created.class::isInstance).hasSize(5);
        assertThat(outcomes).filteredOn(SessionStore.Creation.Full.class::isInstance).hasSize(RACERS - 5);
        assertThat(instances.get(1).counts(now)).isEqualTo(new SessionCounts(5, 0, 0, 0));
    }

    @Test
    void unreachableRedisIsAFaultWithinTheTimeoutAndTheStoreRecoversWhenItIsBack() throws Exception {
        RecordingEvents events = new RecordingEvents();
        String prefix = TestRedis.freshPrefix("outage");
        RedisSessionStore store = TestRedis.open(TestRedis.settings(REDIS.server(), prefix), TestRedis.newKey(), 100, events);
        opened.add(store);
        PendingAuthorization before = Logins.pending(Instant.now());
        store.create(new OAuthSession.Pending(before));

        REDIS.server().stop();
        try {
            long started = System.nanoTime();
            assertThatThrownBy(() -> store.create(new OAuthSession.Pending(Logins.pending(Instant.now()))))
                    .isInstanceOf(SessionStoreException.class).hasMessageContaining("Redis at redis://127.0.0.1:");
            assertThatThrownBy(store::probeWritable).isInstanceOf(SessionStoreException.class);
            assertThatThrownBy(() -> store.update(before.key(), OAuthSession.consume(Instant.now(), RESULT_TTL)))
                    .isInstanceOf(SessionStoreException.class);
            // A bound, not a speed: Lettuce's own default would have waited 60 s for each.
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(30));
            assertThat(events.storeErrors).contains("create", "probe", "update");
        } finally {
            REDIS.server().restart();
        }

        // The same store, never reopened: Lettuce reconnects by itself (no persistence: Redis came back empty).
        awaitWritable(store);
        PendingAuthorization after = Logins.pending(Instant.now());
        assertThat(store.create(new OAuthSession.Pending(after))).isEqualTo(new SessionStore.Creation.Created());
        assertThat(store.update(after.key(), OAuthSession.consume(Instant.now(), RESULT_TTL)))
                .isEqualTo(new Consumption.Consumed(after));
        assertThat(events.reconnects.get()).isPositive();
        // Each command timed by its name: the probe's SET, the scripts (the consume expects what this instance
        // wrote, so no GET comes first: RedisRoundTripsTest).
        assertThat(events.commands).contains("set", "evalsha");
    }

    /**
     * Redis lost while SoundCloud answers a refresh (decision 0010): the holder cannot publish (a fault), but its
     * own instance's waiters get the answer all the same; a waiter on another instance is told the store is
     * unreachable (503) rather than left hanging; once Redis is back (empty, without persistence) nothing is
     * remembered, so the next refresh of that token asks SoundCloud again.
     */
    @Test
    void redisLostMidRefreshLeavesTheAnswerWithTheHoldersInstanceAndFaultsTheOthers() throws Exception {
        String prefix = TestRedis.freshPrefix("mid-refresh");
        StoreKey key = TestRedis.newKey();
        RedisSessionStore holder = open(prefix, key);
        RedisSessionStore other = open(prefix, key);
        TokenHash token = RotationLedgerContract.token();
        Instant now = Instant.now();
        RotationLedger.Lease lease = ((RotationLedger.Claim.Granted) holder.claim(token, now,
                now.plusSeconds(60))).lease();
        assertThat(other.claim(token, now, now.plusSeconds(60))).isEqualTo(new RotationLedger.Claim.Underway(lease));
        Future<RotationLedger.Awaited> besideTheHolder = racers.submit(() -> holder.await(lease, Duration.ofSeconds(20)));
        Future<RotationLedger.Awaited> elsewhere = racers.submit(() -> other.await(lease, Duration.ofSeconds(20)));
        SealedRotation answer = RotationLedgerContract.answer();

        REDIS.server().stop();
        try {
            assertThatThrownBy(() -> holder.publish(lease, answer, Set.of(), Instant.now(),
                    Instant.now().plusSeconds(60))).isInstanceOf(SessionStoreException.class);
            assertThat(besideTheHolder.get(20, TimeUnit.SECONDS)).isEqualTo(new RotationLedger.Awaited.Published(answer));
            assertThatThrownBy(() -> elsewhere.get(20, TimeUnit.SECONDS)).hasCauseInstanceOf(SessionStoreException.class);
        } finally {
            REDIS.server().restart();
        }

        awaitWritable(holder);
        assertThat(other.claim(token, Instant.now(), Instant.now().plusSeconds(60)))
                .isInstanceOf(RotationLedger.Claim.Granted.class);
    }

    private static void awaitWritable(RedisSessionStore store) {
        Instant deadline = Instant.now().plusSeconds(30);
        while (true) {
            try {
                store.probeWritable();
                return;
            } catch (SessionStoreException notYet) {
                if (Instant.now().isAfter(deadline)) {
                    throw new AssertionError("the store did not reconnect within 30 s", notYet);
                }
                RedisServer.sleep(Duration.ofMillis(100));
            }
        }
    }

    private interface Attempt {
        Object on(RedisSessionStore store) throws Exception;
    }

    /** {@link #RACERS} attempts at one start gate, spread round-robin over the instances. */
    private List<Object> race(List<RedisSessionStore> instances, Attempt attempt) throws Exception {
        CountDownLatch ready = new CountDownLatch(RACERS);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Object>> futures = new ArrayList<>();
        for (int i = 0; i < RACERS; i++) {
            RedisSessionStore instance = instances.get(i % instances.size());
            Callable<Object> call = () -> {
                ready.countDown();
                go.await();
                return attempt.on(instance);
            };
            futures.add(racers.submit(call));
        }
        assertThat(ready.await(10, TimeUnit.SECONDS)).isTrue();
        go.countDown();
        List<Object> outcomes = new ArrayList<>();
        for (Future<Object> future : futures) {
            outcomes.add(future.get(30, TimeUnit.SECONDS));
        }
        return outcomes;
    }

    private RedisSessionStore open(String prefix, StoreKey key) {
        return open(prefix, key, 1_000);
    }

    private RedisSessionStore open(String prefix, StoreKey key, int capacity) {
        RedisSessionStore store = TestRedis.open(TestRedis.settings(REDIS.server(), prefix), key, capacity, AuthEvents.NONE);
        opened.add(store);
        return store;
    }
}
