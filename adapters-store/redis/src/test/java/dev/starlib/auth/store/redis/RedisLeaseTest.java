package dev.starlib.auth.store.redis;

import dev.starlib.auth.application.port.RotationLedger.Awaited;
import dev.starlib.auth.application.port.RotationLedger.Claim;
import dev.starlib.auth.application.port.RotationLedger.Lease;
import dev.starlib.auth.domain.AppTokenState;
import dev.starlib.auth.domain.SealedRotation;
import dev.starlib.auth.domain.TokenHash;
import dev.starlib.auth.store.AppTokens;
import dev.starlib.auth.store.RotationLedgerContract;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The leases in Redis, with a lease expiry of {@link #TTL} so that a holder's work outlasts it many times over: a
 * lease is renewed while its holder works (so no second instance calls SoundCloud with the same token, however
 * slow the call), and one whose holder is gone lapses within that expiry, long before its deadline.
 */
class RedisLeaseTest {

    private static final Duration TTL = Duration.ofMillis(300);
    /** Well past the lease expiry: the holder's SoundCloud call, still running. */
    private static final Duration SLOW_CALL = TTL.multipliedBy(5);

    @RegisterExtension
    static final RedisPerClass REDIS = new RedisPerClass();
    private RedisInstances instances;
    private final ExecutorService threads = Executors.newCachedThreadPool();

    @AfterEach
    void closeInstances() {
        threads.shutdownNow();
        if (instances != null) {
            instances.close();
        }
    }

    @Test
    void aRotationLeaseOutlivesItsExpiryWhileItsHolderWorksAndTheAnswerReachesTheOtherInstance() throws Exception {
        RedisSessionStore holder = instances().fresh("renewed", 100);
        RedisSessionStore other = instances().sibling(holder);
        TokenHash token = RotationLedgerContract.token();
        Instant now = Instant.now();
        Lease lease = granted(holder.claim(token, now, now.plus(Duration.ofMinutes(1))));

        RedisServer.sleep(SLOW_CALL);

        Claim late = other.claim(token, Instant.now(), Instant.now().plus(Duration.ofMinutes(1)));
        assertThat(late).as("a claim on the other instance, %s after the lease's expiry", SLOW_CALL.minus(TTL))
                .isEqualTo(new Claim.Underway(lease));
        long pttl = Long.parseLong(REDIS.server().cli("PTTL", leaseKey(holder, token)).strip());
        assertThat(pttl).as("the lease lives a short expiry at a time").isPositive().isLessThanOrEqualTo(TTL.toMillis());

        SealedRotation answer = RotationLedgerContract.answer();
        Future<Awaited> waiter = threads.submit(() -> other.await(lease, Duration.ofSeconds(20)));
        holder.publish(lease, answer, Set.of(), Instant.now(), Instant.now().plusSeconds(60));
        assertThat(waiter.get(20, TimeUnit.SECONDS)).isEqualTo(new Awaited.Published(answer));
        assertThat(REDIS.server().cli("EXISTS", leaseKey(holder, token)).strip()).as("released by its holder").isEqualTo("0");
    }

    @Test
    void theLeaseOfAnInstanceThatIsGoneLapsesWithinItsExpiryNotAtItsDeadline() throws Exception {
        RedisSessionStore doomed = instances().fresh("lapsed", 100);
        RedisSessionStore other = instances().sibling(doomed);
        TokenHash token = RotationLedgerContract.token();
        Instant now = Instant.now();
        Lease lease = granted(doomed.claim(token, now, now.plus(Duration.ofMinutes(10))));
        Future<Awaited> waiter = threads.submit(() -> other.await(lease, Duration.ofSeconds(20)));

        doomed.close(); // as a kill -9 would: nothing renews the lease, nothing releases it

        assertThat(waiter.get(20, TimeUnit.SECONDS)).as("the waiter on the other instance")
                .isEqualTo(new Awaited.Ended());
        assertThat(other.claim(token, Instant.now(), Instant.now().plusSeconds(60))).isInstanceOf(Claim.Granted.class);
    }

    @Test
    void anAppTokenRenewalSlowerThanTheLeaseExpiryIsNeverJoinedByAnotherInstance() throws Exception {
        RedisSessionStore first = instances().fresh("app-token", 100);
        RedisSessionStore second = instances().sibling(first);
        AtomicInteger running = new AtomicInteger();
        AtomicInteger mostAtOnce = new AtomicInteger();
        AtomicInteger upstreamCalls = new AtomicInteger();
        AppTokenState granted = AppTokens.granted(Instant.now());
        CountDownLatch firstIsRenewing = new CountDownLatch(1);
        dev.starlib.auth.application.port.AppTokenVault.Renewal renewal = current -> {
            mostAtOnce.accumulateAndGet(running.incrementAndGet(), Math::max);
            try {
                if (current.isPresent()) {
                    return current.get();
                }
                upstreamCalls.incrementAndGet();
                firstIsRenewing.countDown();
                RedisServer.sleep(SLOW_CALL);
                return granted;
            } finally {
                running.decrementAndGet();
            }
        };
        Future<AppTokenState> slow = threads.submit(() -> first.renew(renewal));
        assertThat(firstIsRenewing.await(10, TimeUnit.SECONDS)).isTrue();

        Future<AppTokenState> waiting = threads.submit(() -> second.renew(renewal));

        assertThat(slow.get(20, TimeUnit.SECONDS)).isEqualTo(granted);
        assertThat(waiting.get(20, TimeUnit.SECONDS)).isEqualTo(granted);
        assertThat(upstreamCalls.get()).as("grants asked of SoundCloud").isEqualTo(1);
        assertThat(mostAtOnce.get()).isEqualTo(1);
        assertThat(second.read()).isEqualTo(Optional.of(granted));
    }

    private String leaseKey(RedisSessionStore store, TokenHash token) {
        return instances.prefixOf(store) + "{auth}:rotation-lease:" + token.hex();
    }

    private RedisInstances instances() {
        if (instances == null) {
            instances = new RedisInstances(REDIS.server(), TTL);
        }
        return instances;
    }

    private static Lease granted(Claim claim) {
        assertThat(claim).isInstanceOf(Claim.Granted.class);
        return ((Claim.Granted) claim).lease();
    }
}
