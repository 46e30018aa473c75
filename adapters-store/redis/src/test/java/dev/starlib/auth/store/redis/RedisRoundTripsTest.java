package dev.starlib.auth.store.redis;

import dev.starlib.auth.domain.ClientKey;
import dev.starlib.auth.domain.FinishedLogin;
import dev.starlib.auth.domain.OAuthSession;
import dev.starlib.auth.domain.PendingAuthorization;
import dev.starlib.auth.domain.TokenBucket;
import dev.starlib.auth.domain.TokenBucket.Admission;
import dev.starlib.auth.domain.TokenBucket.Budget;
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
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What each change costs in round trips, the commands the store's client sends as it times them
 * ({@code AuthEvents.storeCommand}, Lettuce's own count; Redis's {@code INFO commandstats} would add what the
 * scripts call inside): a login's steps, and a
 * client's requests, on the instance that made the last change expect what it wrote without reading it first (one
 * {@code EVALSHA} each, no {@code GET}); when another instance changed it meanwhile, the compare-and-set sends back
 * what it holds and the step is taken on that, still without a read, and its answer is the one the other
 * instance's change calls for; an answer that writes nothing is read from Redis.
 */
class RedisRoundTripsTest {

    private static final Duration RESULT_TTL = Duration.ofMinutes(2);
    private static final Budget FIVE_PER_MINUTE = new Budget(5, Duration.ofMinutes(1));

    @RegisterExtension
    static final RedisPerClass REDIS = new RedisPerClass();
    private final RecordingEvents commands = new RecordingEvents();
    private final List<RedisSessionStore> opened = new ArrayList<>();
    private final StoreKey key = TestRedis.newKey();
    private final Map<RedisSessionStore, String> prefixes = new IdentityHashMap<>();

    @AfterEach
    void closeStores() {
        opened.forEach(RedisSessionStore::close);
    }

    @Test
    void aWholeLoginOnOneInstanceIsOneScriptPerStepAndNoRead() {
        RedisSessionStore store = fresh("trips-login");
        loadScripts(store);
        Instant now = Instant.now();
        PendingAuthorization pending = Logins.pending(now);
        commands.resetCalls();

        store.create(new OAuthSession.Pending(pending));
        assertThat(store.update(pending.key(), OAuthSession.consume(now, RESULT_TTL)))
                .isEqualTo(new OAuthSession.Consumption.Consumed(pending));
        store.update(pending.key(), OAuthSession.finish(Logins.succeeded(pending, now, RESULT_TTL)));
        assertThat(store.update(pending.key(), OAuthSession.pickUp(now)))
                .isInstanceOf(OAuthSession.PickUp.Ready.class);

        assertThat(commands.calls()).as("commands for a login's create, consume, finish and pick-up")
                .containsEntry("evalsha", 4L).doesNotContainKey("get");
    }

    @Test
    void aStepAfterAnotherInstancesChangeIsTakenOnWhatThatInstanceLeft() {
        RedisSessionStore first = fresh("trips-stale");
        RedisSessionStore second = sibling(first);
        Instant now = Instant.now();
        PendingAuthorization pending = startedHereConsumedThere(first, second, now);

        // The first instance still remembers the login as pending: its script finds the value changed.
        OAuthSession.Consumption again = first.update(pending.key(), OAuthSession.consume(now, RESULT_TTL));

        assertThat(again).as("a second consume, told from what the other instance left")
                .isInstanceOf(OAuthSession.Consumption.Rejected.class);
        assertThat(commands.calls()).as("commands").doesNotContainKey("get");
        FinishedLogin login = Logins.succeeded(pending, now, RESULT_TTL);
        assertThat(first.update(pending.key(), OAuthSession.finish(login)))
                .as("the finish of the login that was consumed").isEqualTo(login);
        assertThat(second.update(pending.key(), OAuthSession.pickUp(now)))
                .isEqualTo(new OAuthSession.PickUp.Ready(login));
    }

    @Test
    void aStepTheDomainWouldRefuseOnWhatWasRememberedIsTakenOnWhatRedisHolds() {
        RedisSessionStore first = fresh("trips-refused");
        RedisSessionStore second = sibling(first);
        Instant now = Instant.now();
        PendingAuthorization pending = startedHereConsumedThere(first, second, now);

        // Remembered as pending, where a result may not arrive; Redis holds it consumed, where it may.
        FinishedLogin login = Logins.succeeded(pending, now, RESULT_TTL);
        assertThat(first.update(pending.key(), OAuthSession.finish(login))).isEqualTo(login);

        assertThat(commands.calls()).as("commands for the finish").containsEntry("get", 1L).containsEntry("evalsha", 1L);
        assertThat(second.update(pending.key(), OAuthSession.pickUp(now)))
                .isEqualTo(new OAuthSession.PickUp.Ready(login));
    }

    @Test
    void anAnswerThatWritesNothingIsReadFromRedisNotFromWhatWasRemembered() {
        RedisSessionStore first = fresh("trips-read");
        RedisSessionStore second = sibling(first);
        Instant now = Instant.now();
        PendingAuthorization pending = startedHereConsumedThere(first, second, now);
        second.update(pending.key(), OAuthSession.finish(Logins.succeeded(pending, now, RESULT_TTL)));
        commands.resetCalls();

        // Remembered as pending, the login is finished in Redis: the progress must say so.
        assertThat(first.update(pending.key(), OAuthSession.progress(now)))
                .isEqualTo(new OAuthSession.Progress.Succeeded());
        assertThat(commands.calls()).as("commands for a look at the progress").containsEntry("get", 1L)
                .doesNotContainKey("evalsha");
    }

    @Test
    void aClientsRequestsOnOneInstanceCostOneScriptEachAndOnlyAnotherInstanceAddsARead() {
        RedisSessionStore first = fresh("trips-tally");
        loadScripts(first);
        RedisSessionStore second = sibling(first);
        ClientKey client = Logins.client("203.0.113.7");
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        take(first, client, now);
        commands.resetCalls();

        for (int i = 0; i < 3; i++) {
            assertThat(take(first, client, now)).isEqualTo(new Admission.Admitted());
        }
        assertThat(commands.calls()).as("commands for three requests").containsEntry("evalsha", 3L).doesNotContainKey("get");

        assertThat(take(second, client, now)).as("the fifth of five").isEqualTo(new Admission.Admitted());
        commands.resetCalls();
        assertThat(take(first, client, now)).as("the sixth, told from the other instance's tally")
                .isInstanceOf(Admission.Refused.class);
        assertThat(commands.calls()).as("commands for a request after the other instance's").containsEntry("evalsha", 2L)
                .doesNotContainKey("get");
    }

    /**
     * A page load's requests all come from one client at once: those that arrive while one of them is at Redis are
     * served together by the next script, each told what it would have been told alone in its turn.
     */
    @Test
    void requestsThatWaitForAnotherOfTheSameClientAreServedTogetherByOneScript() throws Exception {
        RedisSessionStore store = fresh("trips-together");
        loadScripts(store);
        ClientKey client = Logins.client("203.0.113.8");
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        take(store, client, now);
        commands.resetCalls();

        // Redis holds back every script for 300 ms: the first request's stays at Redis while the others arrive.
        REDIS.server().cli("CLIENT", "PAUSE", "300", "WRITE");
        List<Future<Admission>> outcomes = new ArrayList<>();
        try (ExecutorService requests = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 12; i++) {
                outcomes.add(requests.submit(() -> take(store, client, now)));
            }
        }

        List<Admission> told = new ArrayList<>();
        for (Future<Admission> outcome : outcomes) {
            told.add(outcome.get());
        }
        assertThat(told).as("the four tokens left of five, and a wait for the other eight")
                .filteredOn(Admission.Admitted.class::isInstance).hasSize(4);
        assertThat(told).filteredOn(Admission.Refused.class::isInstance).hasSize(8)
                .allSatisfy(refused -> assertThat(((Admission.Refused) refused).retryAfter())
                        .isEqualTo(Duration.ofSeconds(12)));
        assertThat(commands.calls()).as("commands for twelve requests: the first, then one for the eleven that waited")
                .doesNotContainKey("get").extractingByKey("evalsha").satisfies(scripts -> assertThat(scripts).isBetween(2L, 3L));
        assertThat(take(store, client, now.plusSeconds(12))).as("one token back 12 s later")
                .isEqualTo(new Admission.Admitted());
        assertThat(take(store, client, now.plusSeconds(12))).isInstanceOf(Admission.Refused.class);
    }

    private static Admission take(RedisSessionStore instance, ClientKey client, Instant now) {
        return instance.clientTallies().update("rate:authorize", client, TokenBucket.take(FIVE_PER_MINUTE), now);
    }

    /**
     * A login created on {@code here}, which remembers it pending, and consumed on {@code there}; the counts start
     * after it.
     */
    private PendingAuthorization startedHereConsumedThere(RedisSessionStore here, RedisSessionStore there,
                                                          Instant now) {
        loadScripts(here);
        PendingAuthorization pending = Logins.pending(now);
        here.create(new OAuthSession.Pending(pending));
        assertThat(there.update(pending.key(), OAuthSession.consume(now, RESULT_TTL)))
                .isEqualTo(new OAuthSession.Consumption.Consumed(pending));
        commands.resetCalls();
        return pending;
    }

    /** Every script this class's steps run is known to Redis (a first run sends it in full): counts are alike. */
    private static void loadScripts(RedisSessionStore store) {
        Instant now = Instant.now();
        PendingAuthorization pending = Logins.pending(now);
        store.create(new OAuthSession.Pending(pending));
        store.update(pending.key(), OAuthSession.consume(now, RESULT_TTL));
        take(store, Logins.client("192.0.2.1"), now);
    }

    private RedisSessionStore fresh(String name) {
        return open(TestRedis.freshPrefix(name));
    }

    /** Another instance on the same prefix and key, with its own connection (and its own memory). */
    private RedisSessionStore sibling(RedisSessionStore first) {
        return open(prefixes.get(first));
    }

    private RedisSessionStore open(String prefix) {
        RedisSessionStore store = TestRedis.open(TestRedis.settings(REDIS.server(), prefix), key, 100, commands);
        opened.add(store);
        prefixes.put(store, prefix);
        return store;
    }
}
