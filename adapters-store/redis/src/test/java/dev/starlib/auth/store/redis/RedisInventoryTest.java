package dev.starlib.auth.store.redis;

import dev.starlib.auth.application.port.AuthEvents;
import dev.starlib.auth.application.port.SessionStore;
import dev.starlib.auth.application.port.SessionStoreException;
import dev.starlib.auth.domain.OAuthSession;
import dev.starlib.auth.domain.PendingAuthorization;
import dev.starlib.auth.domain.SessionCounts;
import dev.starlib.auth.domain.SessionSummary;
import dev.starlib.auth.store.Inventory;
import dev.starlib.auth.store.InventoryProperty.StepClock;
import dev.starlib.auth.store.Logins;
import dev.starlib.auth.store.RecordingEvents;
import dev.starlib.auth.store.StoreKey;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What operators read of the Redis store at its edges: expiries and beginnings within one millisecond or one
 * microsecond (Redis keeps whole milliseconds and microseconds as scores), sessions written before the store kept
 * its views (an upgrade), and a Redis that is away.
 */
class RedisInventoryTest {

    @RegisterExtension
    static final RedisPerClass REDIS = new RedisPerClass();

    private static final Instant T = Instant.parse("2026-03-01T12:00:00Z");
    private static final Duration TTL = Duration.ofSeconds(30);

    private final StoreKey key = TestRedis.newKey();
    private final StepClock clock = new StepClock();
    private final List<RedisSessionStore> opened = new ArrayList<>();

    @AfterEach
    void close() {
        opened.forEach(RedisSessionStore::close);
    }

    private RedisSessionStore open(String prefix, int capacity, AuthEvents events) {
        RedisSessionStore store = RedisSessionStore.open(TestRedis.settings(REDIS.server(), prefix), key, capacity,
                clock, events);
        opened.add(store);
        return store;
    }

    @Test
    void aSessionThatExpiresWithinAMillisecondIsCountedUntilTheNanosecondItExpires() {
        RedisSessionStore store = open(TestRedis.freshPrefix("within-ms"), 100, AuthEvents.NONE);
        Instant since = T.plusNanos(400_123);
        clock.set(since);
        PendingAuthorization pending = Logins.pending(since, TTL);
        store.create(new OAuthSession.Pending(pending));
        Instant expiry = pending.expiresAt();

        for (Instant at : List.of(expiry.minusNanos(1), expiry.minusNanos(300_000), expiry.truncatedTo(ChronoUnit.MILLIS))) {
            assertThat(store.counts(at)).as("at %s", at).isEqualTo(new SessionCounts(1, 0, 0, 0));
            assertThat(store.oldest(at, 10)).as("at %s", at).extracting(SessionSummary::key)
                    .containsExactly(pending.key());
        }
        for (Instant at : List.of(expiry, expiry.plusNanos(1), expiry.plusNanos(500_000))) {
            assertThat(store.counts(at)).as("at %s", at).isEqualTo(SessionCounts.NONE);
            assertThat(store.oldest(at, 10)).as("at %s", at).isEmpty();
        }
    }

    @Test
    void loginsThatBeganInOneMicrosecondAreListedByTheirExactInstantThenKey() {
        RedisSessionStore store = open(TestRedis.freshPrefix("one-micro"), 100, AuthEvents.NONE);
        List<OAuthSession> sessions = new ArrayList<>();
        // Six in one microsecond (nanoseconds 900 down to 100) and two at its first nanosecond: a tie on since.
        for (int nanos : new int[]{900, 700, 500, 300, 100, 0, 0}) {
            Instant since = T.plusSeconds(5).plusNanos(nanos);
            clock.set(since);
            OAuthSession.Pending session = new OAuthSession.Pending(Logins.pending(since, TTL));
            assertThat(store.create(session)).isEqualTo(new SessionStore.Creation.Created());
            sessions.add(session);
        }
        // And an older one that has expired, not purged yet: never listed.
        clock.set(T);
        OAuthSession.Pending expired = new OAuthSession.Pending(Logins.pending(T, Duration.ofSeconds(1)));
        store.create(expired);
        sessions.add(expired);
        Instant now = T.plusSeconds(6);

        for (int limit = 1; limit <= sessions.size() + 1; limit++) {
            assertThat(store.oldest(now, limit)).as("limit %d", limit)
                    .isEqualTo(Inventory.oldest(sessions, now, limit));
        }
        assertThat(store.counts(now)).isEqualTo(new SessionCounts(7, 0, 0, 0));
    }

    /**
     * A Redis written by the version before these views holds sessions in the index only: they are not counted or
     * listed until a change of theirs enters them (or they expire: minutes), while capacity and the purge, which
     * go by the index, see them as before.
     */
    @Test
    void sessionsWrittenBeforeTheViewsStillTakeCapacityAndAreCountedOnceTheyChange() {
        String prefix = TestRedis.freshPrefix("upgrade");
        RedisSessionStore store = open(prefix, 2, AuthEvents.NONE);
        clock.set(T);
        PendingAuthorization before = Logins.pending(T, TTL);
        store.create(new OAuthSession.Pending(before));
        // What the previous version left: the value and its index entry, no views.
        REDIS.server().cli("ZREM", prefix + "{auth}:sessions-by-age", before.key().hex());
        REDIS.server().cli("ZREM", prefix + "{auth}:sessions-in:pending", before.key().hex());
        PendingAuthorization after = Logins.pending(T, TTL);
        store.create(new OAuthSession.Pending(after));

        assertThat(store.counts(T)).isEqualTo(new SessionCounts(1, 0, 0, 0));
        assertThat(store.create(new OAuthSession.Pending(Logins.pending(T, TTL))))
                .isEqualTo(new SessionStore.Creation.Full(2));

        assertThat(store.update(before.key(), OAuthSession.consume(T, Logins.PENDING_TTL)))
                .isEqualTo(new OAuthSession.Consumption.Consumed(before));
        assertThat(store.counts(T)).isEqualTo(new SessionCounts(1, 1, 0, 0));
        assertThat(store.oldest(T, 10)).extracting(SessionSummary::key).contains(before.key(), after.key());

        Instant later = T.plus(Logins.PENDING_TTL).plusSeconds(1);
        assertThat(store.purgeExpired(later)).isEqualTo(2);
        assertThat(store.counts(T)).isEqualTo(SessionCounts.NONE);
        for (String view : List.of("sessions", "sessions-by-age", "sessions-in:pending", "sessions-in:exchanging")) {
            assertThat(REDIS.server().cli("ZCARD", prefix + "{auth}:" + view).strip()).as(view).isEqualTo("0");
        }
    }

    /**
     * During a rolling upgrade an instance of the previous version changes sessions in the index only: here one
     * removed (value and index entry gone) and one kept longer (a later expiry in the index). The purge sweeps
     * what the views hold that the index does not back; the session kept longer keeps its age entry until a new
     * instance changes it (here: ends it), so nothing stays behind.
     */
    @Test
    void aPurgeSweepsFromTheViewsWhatAnInstanceOfThePreviousVersionChangedOrRemoved() {
        String prefix = TestRedis.freshPrefix("rolling");
        RedisSessionStore store = open(prefix, 100, AuthEvents.NONE);
        clock.set(T);
        PendingAuthorization removed = Logins.pending(T, TTL);
        PendingAuthorization keptLonger = Logins.pending(T, TTL);
        store.create(new OAuthSession.Pending(removed));
        store.create(new OAuthSession.Pending(keptLonger));
        String base = prefix + "{auth}:";
        REDIS.server().cli("DEL", base + "session:" + removed.key().hex());
        REDIS.server().cli("ZREM", base + "sessions", removed.key().hex());
        REDIS.server().cli("ZADD", base + "sessions", Long.toString(T.plusSeconds(600).toEpochMilli()),
                keptLonger.key().hex());

        Instant after = T.plus(TTL).plusSeconds(1);
        clock.set(after);
        assertThat(store.purgeExpired(after)).isZero();
        assertThat(REDIS.server().cli("ZCARD", base + "sessions-in:pending").strip()).isEqualTo("0");
        assertThat(REDIS.server().cli("ZRANGE", base + "sessions-by-age", "0", "-1").strip())
                .isEqualTo(keptLonger.key().hex());
        assertThat(store.counts(after)).isEqualTo(SessionCounts.NONE);

        assertThat(store.update(keptLonger.key(), OAuthSession.cancel(after)))
                .isEqualTo(new OAuthSession.Cancellation.Gone());
        assertThat(REDIS.server().cli("ZCARD", base + "sessions-by-age").strip()).isEqualTo("0");
    }

    @Test
    void countsAndOldestFailLikeAnyReadWhenRedisIsAway() {
        RecordingEvents events = new RecordingEvents();
        RedisSessionStore store = open(TestRedis.freshPrefix("away"), 100, events);
        REDIS.server().stop();
        try {
            assertThatThrownBy(() -> store.counts(T)).isInstanceOf(SessionStoreException.class)
                    .hasMessageContaining("Redis at redis://127.0.0.1:");
            assertThatThrownBy(() -> store.oldest(T, 10)).isInstanceOf(SessionStoreException.class)
                    .hasMessageContaining("Redis at redis://127.0.0.1:");
            assertThat(events.storeErrors("read")).isEqualTo(2);
        } finally {
            REDIS.server().restart();
        }
    }
}
