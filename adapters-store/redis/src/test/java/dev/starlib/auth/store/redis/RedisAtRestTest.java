package dev.starlib.auth.store.redis;

import dev.starlib.auth.application.port.AuthEvents;
import dev.starlib.auth.application.port.SessionStoreException;
import dev.starlib.auth.application.port.RotationLedger;
import dev.starlib.auth.domain.AccessToken;
import dev.starlib.auth.domain.AppTokenState;
import dev.starlib.auth.domain.FinishedLogin;
import dev.starlib.auth.domain.LoginOutcome;
import dev.starlib.auth.domain.OAuthSession;
import dev.starlib.auth.domain.PendingAuthorization;
import dev.starlib.auth.domain.RefreshToken;
import dev.starlib.auth.domain.Rotation;
import dev.starlib.auth.domain.RotationSeal;
import dev.starlib.auth.domain.SoundCloudUser;
import dev.starlib.auth.domain.Step;
import dev.starlib.auth.domain.Tokens;
import dev.starlib.auth.store.AppTokens;
import dev.starlib.auth.store.Logins;
import dev.starlib.auth.store.StoreKey;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What Redis holds, looked at with {@code redis-cli} ({@code --scan}, then {@code DUMP} of every key, with RDB
 * compression off so values appear as written): no state, verifier, token or user, every key under the prefix and
 * its hash tag, and values that only open under their own key and state hash.
 */
class RedisAtRestTest {

    private static final Duration RESULT_TTL = Duration.ofMinutes(2);
    private static final String ACCESS = "AT-REST-ACCESS-TOKEN-9b1f";
    private static final String REFRESH = "AT-REST-REFRESH-TOKEN-44c2";
    private static final String USERNAME = "At Rest Username";

    @RegisterExtension
    static final RedisPerClass REDIS = new RedisPerClass();
    private final List<RedisSessionStore> opened = new ArrayList<>();

    @AfterEach
    void closeStores() {
        opened.forEach(RedisSessionStore::close);
    }

    @Test
    void noStateVerifierTokenOrUserIsInAnyKeyOrValue() {
        String prefix = TestRedis.freshPrefix("at-rest");
        RedisSessionStore store = open(prefix, TestRedis.newKey());
        Instant now = Instant.now();
        Logins.Started waiting = Logins.start(now);
        store.create(new OAuthSession.Pending(waiting.pending()));
        Logins.Started done = Logins.start(now);
        finish(store, done.pending(), now);
        Logins.Started pickedUp = Logins.start(now);
        finish(store, pickedUp.pending(), now);
        store.update(pickedUp.pending().key(), OAuthSession.pickUp(now));

        List<String> secrets = new ArrayList<>(List.of(ACCESS, REFRESH, USERNAME, "/auth/soundcloud/callback",
                "localhost:3000"));
        for (Logins.Started login : List.of(waiting, done, pickedUp)) {
            secrets.addAll(List.of(login.state().value(), login.state().hint(), login.pending().verifier().value()));
        }

        List<String> keys = keysUnder(prefix);
        // Three sessions, the index, the age index, the sets of the three stages held (pending, finished, picked
        // up: an emptied set is gone) and the readiness probe.
        assertThat(keys).hasSize(9)
                .allSatisfy(key -> assertThat(key).startsWith(prefix + "{auth}:"));
        for (String key : keys) {
            String dumped = REDIS.server().cli("--no-raw", "DUMP", key);
            assertThat(dumped).as("DUMP %s", key).isNotBlank();
            for (String secret : secrets) {
                assertThat(dumped).as("DUMP %s", key).doesNotContain(secret);
            }
        }
        // The check itself can see what it looks for: a value written in clear shows in DUMP.
        REDIS.server().cli("SET", prefix + "canary", ACCESS);
        assertThat(REDIS.server().cli("--no-raw", "DUMP", prefix + "canary")).contains(ACCESS);
    }

    @Test
    void noRefreshOrAppTokenIsInTheLedgersOrTheAppTokensKeysOrValues() {
        String prefix = TestRedis.freshPrefix("at-rest-tokens");
        RedisSessionStore store = open(prefix, TestRedis.newKey());
        Instant now = Instant.now();
        RefreshToken old = new RefreshToken("AT-REST-OLD-REFRESH-5d7e");
        Tokens rotated = new Tokens(new AccessToken("AT-REST-NEW-ACCESS-0a9c"), new RefreshToken("AT-REST-NEW-REFRESH-e3b1"),
                Duration.ofHours(1));
        RotationLedger.Lease lease = ((RotationLedger.Claim.Granted) store.claim(old.hash(), now,
                now.plusSeconds(60))).lease();
        store.publish(lease, RotationSeal.seal(old, new Rotation.Rotated(rotated, now), new SecureRandom()),
                Set.of(rotated.accessToken().hash(), rotated.refreshToken().hash()), now, now.plusSeconds(60));
        RefreshToken underway = new RefreshToken("AT-REST-UNDERWAY-REFRESH-77f0");
        store.claim(underway.hash(), now, now.plusSeconds(60));
        AppTokenState appToken = AppTokens.granted(now);
        store.renew(current -> appToken);

        List<String> secrets = List.of(old.value(), underway.value(), rotated.accessToken().value(),
                rotated.refreshToken().value(), AppTokens.accessOf(appToken), AppTokens.refreshOf(appToken).orElseThrow());
        List<String> keys = keysUnder(prefix);
        assertThat(keys).as("the rotation, its index, its waiters' copy, the lease of the rotation under way, the "
                + "hands-out sets of both new tokens, the app token")
                .contains(prefix + "{auth}:rotation:" + old.hash().hex(), prefix + "{auth}:rotations",
                        prefix + "{auth}:rotation-done:" + old.hash().hex() + ":" + lease.holder(),
                        prefix + "{auth}:rotation-lease:" + underway.hash().hex(),
                        prefix + "{auth}:hands-out:" + rotated.accessToken().hash().hex(),
                        prefix + "{auth}:app-token")
                .allSatisfy(key -> assertThat(key).startsWith(prefix + "{auth}:"));
        for (String key : keys) {
            String dumped = REDIS.server().cli("--no-raw", "DUMP", key);
            assertThat(dumped).as("DUMP %s", key).isNotBlank();
            for (String secret : secrets) {
                assertThat(dumped).as("DUMP %s", key).doesNotContain(secret);
            }
        }
        assertThat(store.read()).contains(appToken);
    }

    @Test
    void sessionCopiedUnderAnotherStateDoesNotOpenAndIsNotServed() {
        String prefix = TestRedis.freshPrefix("moved");
        RedisSessionStore store = open(prefix, TestRedis.newKey());
        Instant now = Instant.now();
        PendingAuthorization victim = Logins.pending(now);
        PendingAuthorization attacker = Logins.pending(now);
        store.create(new OAuthSession.Pending(victim));
        store.create(new OAuthSession.Pending(attacker));

        String from = prefix + "{auth}:session:" + victim.key().hex();
        String to = prefix + "{auth}:session:" + attacker.key().hex();
        REDIS.server().cli("COPY", from, to, "REPLACE");

        assertThatThrownBy(() -> store.update(attacker.key(), OAuthSession.consume(now, RESULT_TTL)))
                .isInstanceOf(SessionStoreException.class).hasMessageContaining("cannot be opened");
        assertThat(store.update(victim.key(), OAuthSession.consume(now, RESULT_TTL)))
                .isEqualTo(new OAuthSession.Consumption.Consumed(victim));
    }

    @Test
    void instanceWithAnotherStoreKeyCannotReadTheSessionsAndServesNone() {
        String prefix = TestRedis.freshPrefix("other-key");
        RedisSessionStore first = open(prefix, TestRedis.newKey());
        PendingAuthorization pending = Logins.pending(Instant.now());
        first.create(new OAuthSession.Pending(pending));
        RedisSessionStore misconfigured = open(prefix, TestRedis.newKey());

        assertThatThrownBy(() -> misconfigured.update(pending.key(), OAuthSession.consume(Instant.now(), RESULT_TTL)))
                .isInstanceOf(SessionStoreException.class).hasMessageContaining("SESSION_STORE_KEY");
        // The counts are of what Redis holds, kept without opening a value; what it lists, it must open.
        assertThat(misconfigured.counts(Instant.now()).total()).isEqualTo(1);
        assertThat(misconfigured.oldest(Instant.now(), 10)).isEmpty();
        assertThat(first.update(pending.key(), OAuthSession.consume(Instant.now(), RESULT_TTL)))
                .isEqualTo(new OAuthSession.Consumption.Consumed(pending));
    }

    @Test
    void sessionsExpireInRedisAfterTheirOwnExpiryPlusAGrace() {
        String prefix = TestRedis.freshPrefix("ttl");
        RedisSessionStore store = open(prefix, TestRedis.newKey());
        Instant now = Instant.now();
        PendingAuthorization pending = Logins.pending(now);
        store.create(new OAuthSession.Pending(pending));

        long ttl = Long.parseLong(REDIS.server().cli("PTTL", prefix + "{auth}:session:" + pending.key().hex()).strip());
        long untilExpiry = Duration.between(Instant.now(), pending.expiresAt()).toMillis();
        assertThat(ttl).isGreaterThan(untilExpiry).isLessThanOrEqualTo(
                untilExpiry + RedisSessionStore.EXPIRY_GRACE.toMillis() + 1_000);
    }

    @Test
    void aLoginWrittenAfterItsExpiryPlusTheGraceIsNotKept() throws InterruptedException {
        String prefix = TestRedis.freshPrefix("ttl-past");
        RedisSessionStore store = open(prefix, TestRedis.newKey());
        Duration ttl = Duration.ofSeconds(30);
        // Begun (by its own clock) longer ago than its life and the grace: Redis is given a millisecond, no more.
        PendingAuthorization pending = Logins.pending(Instant.now().minus(ttl).minus(RedisSessionStore.EXPIRY_GRACE)
                .minusSeconds(1), ttl);
        store.create(new OAuthSession.Pending(pending));

        String key = prefix + "{auth}:session:" + pending.key().hex();
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (!REDIS.server().cli("EXISTS", key).strip().equals("0") && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(REDIS.server().cli("EXISTS", key).strip()).as("the session's key, 5 s after the write").isEqualTo("0");
        OAuthSession stored = store.update(pending.key(), current -> new Step<>(current, current, current));
        assertThat(stored).as("what the store gives back").isNull();
    }

    private List<String> keysUnder(String prefix) {
        return Arrays.stream(REDIS.server().cli("--scan", "--pattern", prefix + "*").split("\n"))
                .map(String::strip).filter(line -> !line.isEmpty()).toList();
    }

    private RedisSessionStore open(String prefix, StoreKey key) {
        RedisSessionStore store = TestRedis.open(TestRedis.settings(REDIS.server(), prefix), key, 100, AuthEvents.NONE);
        opened.add(store);
        return store;
    }

    private static void finish(RedisSessionStore store, PendingAuthorization pending, Instant at) {
        store.create(new OAuthSession.Pending(pending));
        store.update(pending.key(), OAuthSession.consume(at, RESULT_TTL));
        Tokens tokens = new Tokens(new AccessToken(ACCESS), new RefreshToken(REFRESH), Duration.ofHours(1));
        SoundCloudUser user = new SoundCloudUser(77, USERNAME, "at-rest", null);
        store.update(pending.key(), OAuthSession.finish(new FinishedLogin(pending.key(), pending.stateHint(),
                new LoginOutcome.Succeeded(tokens, user), at, at.plus(RESULT_TTL))));
    }
}
