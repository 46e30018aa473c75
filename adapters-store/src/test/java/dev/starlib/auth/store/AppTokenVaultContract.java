package dev.starlib.auth.store;

import dev.starlib.auth.application.port.AppTokenVault;
import dev.starlib.auth.application.port.SessionInventory;
import dev.starlib.auth.application.port.SessionStore;
import dev.starlib.auth.application.port.SessionStore.Creation;
import dev.starlib.auth.domain.AppTokenState;
import dev.starlib.auth.domain.OAuthSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What every {@link AppTokenVault} must do, whatever keeps the token. An adapter's test extends this class and says
 * how to build the store; a durable one overrides {@link #reopen}, and one that several processes share (Redis)
 * overrides {@link #sibling} so that the one-renewal-at-a-time rule is checked across instances too. A store that
 * expires keys by its own clock overrides {@link #clockBase}.
 * <p>
 * A Redis vault, for instance: the state sealed under one key; {@code renew} takes a lease ({@code SET NX PX} with a
 * random owner, renewed while the renewal runs, released by compare-and-delete), reads the state, runs the renewal,
 * writes what it returns and lets go; an instance that finds the lease taken waits (polling, or told by pub/sub)
 * until it is free, then takes its own turn, and its renewal, seeing the token already renewed, returns it as it is.
 */
public abstract class AppTokenVaultContract<V extends AppTokenVault & SessionStore & SessionInventory> {

    private static final int RACERS = 16;

    private V vault;
    /** The base of every instant below, from {@link #clockBase()}. */
    private Instant t0;
    private ExecutorService racers;

    /** A new, empty store holding at most {@code capacity} sessions. */
    protected abstract V newStore(int capacity);

    /** The same store as a fresh process would see it. */
    protected V reopen(V current) {
        return current;
    }

    /** Another instance sharing {@code current}'s data, as a second service on the same Redis would. */
    protected V sibling(V current) {
        return current;
    }

    protected abstract int purgeExpired(V store, Instant now);

    /** The instant the tests' times are offsets of; they never come from a clock. */
    protected Instant clockBase() {
        return Logins.T0;
    }

    @BeforeEach
    void openStore() {
        t0 = clockBase();
        vault = newStore(100);
    }

    @AfterEach
    void stopRacers() {
        if (racers != null) {
            racers.shutdownNow();
        }
    }

    @Test
    void aNewStoreHoldsNoAppToken() {
        List<Optional<AppTokenState>> seen = new ArrayList<>();

        vault.renew(current -> {
            seen.add(current);
            return AppTokens.granted(t0);
        });

        assertThat(seen).containsExactly(Optional.empty());
        assertThat(newStore(100).read()).isEmpty();
    }

    @Test
    void whatARenewalReturnsIsKeptExactlyAndSurvivesARestart() {
        AppTokenState granted = AppTokens.granted(t0);

        assertThat(vault.renew(current -> granted)).isEqualTo(granted);
        assertThat(vault.read()).contains(granted);
        vault = reopen(vault);
        assertThat(vault.read()).contains(granted);
        assertThat(sibling(vault).read()).contains(granted);
    }

    @Test
    void everyPartOfTheStateComesBackExactly() {
        AppTokenState failed = AppTokens.refreshedThenFailed(t0);
        vault.renew(current -> failed);

        vault = reopen(vault);

        assertThat(vault.read()).contains(failed);
        assertThat(vault.read().orElseThrow().token().orElseThrow().refreshToken()).isEmpty();
    }

    @Test
    void aRenewalIsGivenWhatIsKeptAndReplacesIt() {
        AppTokenState first = AppTokens.granted(t0);
        AppTokenState second = AppTokens.granted(t0.plusSeconds(3300));
        vault.renew(current -> first);
        vault = reopen(vault);
        List<Optional<AppTokenState>> seen = new ArrayList<>();

        sibling(vault).renew(current -> {
            seen.add(current);
            return second;
        });

        assertThat(seen).containsExactly(Optional.of(first));
        vault = reopen(vault);
        assertThat(vault.read()).contains(second);
    }

    @Test
    void aRenewalThatThrowsKeepsNothingAndTheNextOneGetsItsTurn() throws Exception {
        AppTokenState kept = AppTokens.granted(t0);
        vault.renew(current -> kept);

        assertThatThrownBy(() -> vault.renew(current -> {
            throw new IllegalStateException("SoundCloud client bug");
        })).isInstanceOf(IllegalStateException.class);

        assertThat(vault.read()).contains(kept);
        racers = Executors.newSingleThreadExecutor();
        AppTokenState next = AppTokens.granted(t0.plusSeconds(1));
        Future<AppTokenState> renewed = racers.submit(() -> sibling(vault).renew(current -> next));
        assertThat(renewed.get(10, TimeUnit.SECONDS)).as("the turn was given back").isEqualTo(next);
    }

    @Test
    void concurrentRenewalsRunOneAtATimeSoOnlyTheFirstCallsSoundCloud() throws Exception {
        V other = sibling(vault);
        AtomicInteger running = new AtomicInteger();
        AtomicInteger mostAtOnce = new AtomicInteger();
        AtomicInteger upstreamCalls = new AtomicInteger();
        AppTokenState granted = AppTokens.granted(t0);
        AppTokenVault.Renewal renewal = current -> {
            mostAtOnce.accumulateAndGet(running.incrementAndGet(), Math::max);
            try {
                if (current.isPresent()) {
                    return current.get();
                }
                upstreamCalls.incrementAndGet();
                sleep(150); // SoundCloud taking its time, while the others queue up
                return granted;
            } finally {
                running.decrementAndGet();
            }
        };
        racers = Executors.newFixedThreadPool(RACERS);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<AppTokenState>> outcomes = new ArrayList<>();
        for (int i = 0; i < RACERS; i++) {
            V target = i % 2 == 0 ? vault : other;
            outcomes.add(racers.submit(() -> {
                start.await();
                return target.renew(renewal);
            }));
        }
        start.countDown();

        for (Future<AppTokenState> outcome : outcomes) {
            assertThat(outcome.get(30, TimeUnit.SECONDS)).isEqualTo(granted);
        }
        assertThat(upstreamCalls.get()).isEqualTo(1);
        assertThat(mostAtOnce.get()).isEqualTo(1);
    }

    @Test
    void aReadDuringARenewalAnswersAtOnceWithWhatIsKept() throws Exception {
        AppTokenState kept = AppTokens.granted(t0);
        vault.renew(current -> kept);
        CountDownLatch readerDone = new CountDownLatch(1);
        racers = Executors.newSingleThreadExecutor();
        List<Optional<AppTokenState>> readDuring = new ArrayList<>();

        vault.renew(current -> {
            Future<Optional<AppTokenState>> read = racers.submit(() -> sibling(vault).read());
            try {
                readDuring.add(read.get(10, TimeUnit.SECONDS));
            } catch (Exception e) {
                throw new AssertionError("a read waited for the renewal", e);
            } finally {
                readerDone.countDown();
            }
            return AppTokens.granted(t0.plusSeconds(1));
        });

        assertThat(readerDone.await(0, TimeUnit.SECONDS)).isTrue();
        assertThat(readDuring).containsExactly(Optional.of(kept));
    }

    @Test
    void theAppTokenTakesNoSessionsPlaceAndOutlivesEveryPurge() {
        vault = newStore(1);
        AppTokenState kept = AppTokens.granted(t0);
        vault.renew(current -> kept);

        assertThat(vault.create(new OAuthSession.Pending(Logins.pending(t0)))).isEqualTo(new Creation.Created());
        assertThat(purgeExpired(vault, t0.plus(Duration.ofDays(365)))).isEqualTo(1);
        vault = reopen(vault);

        assertThat(vault.read()).contains(kept);
        assertThat(vault.counts(t0).total()).isZero();
        assertThat(vault.oldest(t0, 10)).isEmpty();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
