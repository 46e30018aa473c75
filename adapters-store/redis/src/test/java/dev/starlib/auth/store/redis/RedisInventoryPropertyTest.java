package dev.starlib.auth.store.redis;

import dev.starlib.auth.application.port.AuthEvents;
import dev.starlib.auth.store.InventoryProperty;
import dev.starlib.auth.store.InventoryProperty.Kind;
import dev.starlib.auth.store.InventoryProperty.Op;
import dev.starlib.auth.store.InventoryProperty.StepClock;
import dev.starlib.auth.store.InventoryProperty.Ttls;
import dev.starlib.auth.store.StoreKey;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The Redis store faces the inventory property of the memory and file stores ({@link InventoryProperty}): two
 * instances of the service on one real {@code redis-server}, taking the steps in turn, must each count and list
 * exactly what a brute-force recount of the same sessions says, through transitions, consumes, expiries (counted
 * out before they are purged), purges, the per-client quota and logins that begin in the same instant or within
 * one millisecond. The store's clock is the steps' clock, so its Redis expiries are reckoned as the steps go.
 * <p>
 * Redis itself counts a key's time to live in real time, which the steps' clock does not move: a session lives there
 * until {@link RedisSessionStore#EXPIRY_GRACE} after its own expiry, reckoned when it is written. A login begun more
 * than that before the clock would be dropped within milliseconds of real time, before the steps' purge, as
 * {@code RedisAtRestTest} shows on its own. So here a login begins at most {@link #LONGEST_STEP_BACK} before
 * the clock: already expired now and then (the shortest life is 30 s), yet kept in Redis for at least 90 s of real
 * time, far longer than a try runs.
 */
class RedisInventoryPropertyTest {

    static final Duration LONGEST_STEP_BACK = RedisSessionStore.EXPIRY_GRACE.minusMinutes(1);

    private static Path directory;
    private static RedisServer server;

    @BeforeContainer
    static void startRedis() throws IOException {
        directory = Files.createTempDirectory("redis-inventory-property-");
        server = RedisServer.start(directory);
    }

    @AfterContainer
    static void stopRedis() throws IOException {
        try {
            if (server != null) {
                server.close();
            }
        } finally {
            try (Stream<Path> paths = Files.walk(directory)) {
                for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(path);
                }
            }
        }
    }

    @Provide
    Arbitrary<List<Op>> ops() {
        return InventoryProperty.ops().map(ops -> ops.stream()
                .map(op -> op.kind() == Kind.START_EARLIER && op.after().compareTo(LONGEST_STEP_BACK) > 0
                        ? new Op(op.kind(), op.target(), op.client(), LONGEST_STEP_BACK) : op)
                .toList());
    }

    @Property(tries = 40)
    void twoInstancesOnOneRedisCountAndListExactly(@ForAll("ops") List<Op> ops, @ForAll Ttls ttls) {
        StepClock clock = new StepClock();
        RedisSettings settings = TestRedis.settings(server, TestRedis.freshPrefix("inventory"));
        StoreKey key = TestRedis.newKey();
        try (RedisSessionStore first = RedisSessionStore.open(settings, key, 10_000, clock, AuthEvents.NONE);
             RedisSessionStore second = RedisSessionStore.open(settings, key, 10_000, clock, AuthEvents.NONE)) {
            InventoryProperty.run(ops, ttls, List.of(first, second), first::purgeExpired, clock);
        }
    }
}
