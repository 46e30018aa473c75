package dev.starlib.auth.store.redis;

import dev.starlib.auth.application.port.ClientLedger;
import dev.starlib.auth.domain.ClientKey;
import dev.starlib.auth.domain.GuessingBackoff;
import dev.starlib.auth.domain.TokenBucket;
import dev.starlib.auth.domain.TokenBucket.Admission;
import dev.starlib.auth.domain.TokenBucket.Budget;
import dev.starlib.auth.store.Logins;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The per-client tallies in Redis, shared by the instances of the service (each a store with its own connection):
 * a client's budget is one budget wherever its requests land, the admin back-off follows a guesser from instance to
 * instance, and a tally lives in Redis only until it makes no difference.
 */
class RedisClientLedgerTest {

    private static final Budget FIVE_PER_MINUTE = new Budget(5, Duration.ofMinutes(1));
    private static final int RACERS = 16;

    @RegisterExtension
    static final RedisPerClass REDIS = new RedisPerClass();
    private RedisInstances instances;
    private final ExecutorService racers = Executors.newFixedThreadPool(RACERS);

    @AfterEach
    void closeInstances() {
        racers.shutdownNow();
        if (instances != null) {
            instances.close();
        }
    }

    @Test
    void aClientsBudgetIsOneBudgetOverEveryInstanceAndEveryOtherClientKeepsItsOwn() {
        RedisSessionStore a = instances().fresh("budget", 100);
        RedisSessionStore b = instances().sibling(a);
        ClientKey flood = Logins.client("203.0.113.7");
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);

        for (int i = 0; i < 5; i++) {
            assertThat(take(i % 2 == 0 ? a : b, "rate:authorize", flood, now)).isEqualTo(new Admission.Admitted());
        }

        assertThat(take(a, "rate:authorize", flood, now)).isInstanceOf(Admission.Refused.class);
        assertThat(take(b, "rate:authorize", flood, now)).isEqualTo(new Admission.Refused(Duration.ofSeconds(12)));
        assertThat(take(b, "rate:result", flood, now)).isEqualTo(new Admission.Admitted());
        assertThat(take(a, "rate:authorize", Logins.client("198.51.100.4"), now)).isEqualTo(new Admission.Admitted());
        assertThat(take(b, "rate:authorize", flood, now.plusSeconds(12))).as("one token back after 12 s")
                .isEqualTo(new Admission.Admitted());
    }

    @Test
    void ofConcurrentRequestsOverTwoInstancesExactlyTheBudgetIsAdmitted() throws Exception {
        RedisSessionStore a = instances().fresh("race", 100);
        RedisSessionStore b = instances().sibling(a);
        for (int round = 0; round < 10; round++) {
            ClientKey flood = Logins.client("203.0.113." + round);
            Instant now = Instant.now();
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Admission>> outcomes = new ArrayList<>();
            for (int i = 0; i < RACERS; i++) {
                RedisSessionStore instance = i % 2 == 0 ? a : b;
                outcomes.add(racers.submit(() -> {
                    go.await();
                    return take(instance, "rate:authorize", flood, now);
                }));
            }
            go.countDown();
            int admitted = 0;
            for (Future<Admission> outcome : outcomes) {
                admitted += outcome.get(30, TimeUnit.SECONDS) instanceof Admission.Admitted ? 1 : 0;
            }
            assertThat(admitted).as("round %d", round).isEqualTo(5);
        }
    }

    /**
     * One instance's own requests take turns on a tally, so none of them has to read and write again: a page load's
     * requests all come from one client, and racing each other on its key cost a round trip or more each.
     */
    @Test
    void concurrentRequestsOfOneInstanceNeverRetryEachOther() throws Exception {
        RedisSessionStore a = instances().fresh("turns", 100);
        RedisClientLedger ledger = (RedisClientLedger) a.clientTallies();
        for (int round = 0; round < 10; round++) {
            ClientKey flood = Logins.client("198.18.0." + round);
            Instant now = Instant.now();
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Admission>> outcomes = new ArrayList<>();
            for (int i = 0; i < RACERS; i++) {
                outcomes.add(racers.submit(() -> {
                    go.await();
                    return take(a, "rate:authorize", flood, now);
                }));
            }
            go.countDown();
            int admitted = 0;
            for (Future<Admission> outcome : outcomes) {
                admitted += outcome.get(30, TimeUnit.SECONDS) instanceof Admission.Admitted ? 1 : 0;
            }
            assertThat(admitted).as("round %d", round).isEqualTo(5);
        }
        assertThat(ledger.retries()).as("compare-and-set retries among one instance's requests").isZero();
    }

    @Test
    void aTallyLivesInRedisOnlyUntilItMakesNoDifference() {
        RedisSessionStore a = instances().fresh("expiry", 100);
        ClientKey client = Logins.client("192.0.2.1");
        Instant now = Instant.now();
        take(a, "rate:authorize", client, now);
        String key = instances().prefixOf(a) + "{auth}:tally:rate:authorize:" + client.hex();

        long pttl = Long.parseLong(REDIS.server().cli("PTTL", key).strip());
        assertThat(pttl).as("a bucket one token short is full again after 12 s").isPositive()
                .isLessThanOrEqualTo(Duration.ofSeconds(12).toMillis());
        assertThat(REDIS.server().cli("--no-raw", "DUMP", key)).as("no address, only the client's keyed hash")
                .doesNotContain("192.0.2.1");
    }

    @Test
    void anAdminPasswordGuesserWaitsOnEveryInstance() {
        RedisSessionStore a = instances().fresh("guessing", 100);
        RedisSessionStore b = instances().sibling(a);
        ClientKey guesser = Logins.client("203.0.113.66");
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);

        GuessingBackoff.Verdict last = null;
        for (int i = 0; i < GuessingBackoff.FREE_ATTEMPTS; i++) {
            last = (i % 2 == 0 ? a : b).clientTallies().update("admin-login", guesser, GuessingBackoff.failed(), now);
        }

        assertThat(last).isInstanceOf(GuessingBackoff.Verdict.Wait.class);
        assertThat(a.clientTallies().update("admin-login", guesser, GuessingBackoff.check(), now))
                .isEqualTo(b.clientTallies().update("admin-login", guesser, GuessingBackoff.check(), now))
                .isInstanceOf(GuessingBackoff.Verdict.Wait.class);
        assertThat(b.clientTallies().update("admin-login", Logins.client("198.51.100.9"), GuessingBackoff.check(), now))
                .isEqualTo(new GuessingBackoff.Verdict.MayTry());
    }

    /** A tally the rule clears (a right password after wrong ones) is gone from Redis, for every instance. */
    @Test
    void aRightPasswordAfterWrongOnesClearsTheGuessersTallyOnEveryInstance() {
        RedisSessionStore a = instances().fresh("cleared", 100);
        RedisSessionStore b = instances().sibling(a);
        ClientKey operator = Logins.client("203.0.113.67");
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        for (int i = 0; i < GuessingBackoff.FREE_ATTEMPTS - 1; i++) {
            a.clientTallies().update("admin-login", operator, GuessingBackoff.failed(), now);
        }
        String key = instances().prefixOf(a) + "{auth}:tally:admin-login:" + operator.hex();
        assertThat(REDIS.server().cli("EXISTS", key).strip()).as("the wrong attempts are tallied").isEqualTo("1");

        b.clientTallies().update("admin-login", operator, GuessingBackoff.succeeded(), now);

        assertThat(REDIS.server().cli("EXISTS", key).strip()).as("nothing left in Redis").isEqualTo("0");
        for (int i = 0; i < GuessingBackoff.FREE_ATTEMPTS - 1; i++) {
            a.clientTallies().update("admin-login", operator, GuessingBackoff.failed(), now);
        }
        assertThat(a.clientTallies().update("admin-login", operator, GuessingBackoff.check(), now))
                .as("the earlier wrong attempts no longer count").isEqualTo(new GuessingBackoff.Verdict.MayTry());
    }

    private static Admission take(RedisSessionStore instance, String scope, ClientKey client, Instant now) {
        ClientLedger ledger = instance.clientTallies();
        return ledger.update(scope, client, TokenBucket.take(FIVE_PER_MINUTE), now);
    }

    private RedisInstances instances() {
        if (instances == null) {
            instances = new RedisInstances(REDIS.server());
        }
        return instances;
    }
}
