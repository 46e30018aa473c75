package dev.starlib.auth.store;

import dev.starlib.auth.application.port.RotationLedger;
import dev.starlib.auth.application.port.RotationLedger.Awaited;
import dev.starlib.auth.application.port.RotationLedger.Claim;
import dev.starlib.auth.application.port.RotationLedger.Lease;
import dev.starlib.auth.application.port.RotationLedger.Publication;
import dev.starlib.auth.domain.SealedRotation;
import dev.starlib.auth.domain.TokenHash;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What every {@link RotationLedger} must do, whatever keeps the answers: a memory store, the file store, a store in
 * another process. An adapter's test extends this class and says how to build the ledger; a durable adapter also
 * overrides {@link #reopen} so that what must survive a restart is checked to, and one that several processes share
 * (Redis) overrides {@link #sibling}, so that claims, waits and sign-outs are checked across instances too. The
 * answers are opaque bytes here: what they mean is the use case's business. Time is given to each call as offsets
 * of {@link #clockBase()}; only waiting uses the wall clock, and only for what must happen at once or within a
 * generous bound.
 */
public abstract class RotationLedgerContract<L extends RotationLedger> {

    private static final Instant FIXED_DAY = Instant.parse("2026-03-01T12:00:00Z");
    static final Duration WINDOW = Duration.ofSeconds(60);
    static final Duration LEASE = Duration.ofSeconds(40);
    private static final Duration MILLI = Duration.ofMillis(1);
    /** Long enough that an answer that should arrive does, on a loaded machine; never waited out when it does. */
    private static final Duration PATIENCE = Duration.ofSeconds(20);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int RACERS = 16;
    private static final int ROUNDS = 200;

    private L ledger;
    private ExecutorService threads;
    /** The base of every instant below, from {@link #clockBase()}. */
    private Instant t0;

    /** A new, empty ledger holding at most {@code capacity} remembered answers. */
    protected abstract L newLedger(int capacity);

    /** The same ledger as a fresh process would see it; in-memory ledgers have nothing to reload. */
    protected L reopen(L current) {
        return current;
    }

    /** Whether {@link #reopen} really starts over from what was made durable. */
    protected boolean durable() {
        return false;
    }

    /** Asks the ledger to forget whatever is past its deadline at {@code now}. */
    protected abstract void purgeExpired(L ledger, Instant now);

    /** Another instance sharing {@code current}'s answers and leases, as a second service on the same Redis would. */
    protected L sibling(L current) {
        return current;
    }

    /**
     * The instant the tests' times are offsets of: a fixed day, unless a store expires keys by its own clock and
     * needs times near it (Redis). The offsets go up to a few minutes past it.
     */
    protected Instant clockBase() {
        return FIXED_DAY;
    }

    @BeforeEach
    void openLedger() {
        t0 = clockBase();
        ledger = newLedger(1_000);
        threads = Executors.newCachedThreadPool();
    }

    @AfterEach
    void stopThreads() {
        threads.shutdownNow();
    }

    // --- claiming --------------------------------------------------------------------------------------

    @Test
    void theFirstClaimIsGrantedAndTheNextAreToldItIsUnderway() {
        TokenHash token = token();

        Lease lease = granted(ledger.claim(token, t0, t0.plus(LEASE)));

        assertThat(lease.rotated()).isEqualTo(token);
        assertThat(lease.until()).isEqualTo(t0.plus(LEASE));
        assertThat(ledger.claim(token, t0.plusSeconds(1), t0.plus(LEASE))).isEqualTo(new Claim.Underway(lease));
        assertThat(ledger.claim(token(), t0.plusSeconds(1), t0.plus(LEASE))).isInstanceOf(Claim.Granted.class);
    }

    @Test
    void ofConcurrentClaimsOfOneTokenExactlyOneIsGranted() throws Exception {
        for (int round = 0; round < ROUNDS; round++) {
            TokenHash token = token();
            L other = sibling(ledger);
            AtomicInteger turn = new AtomicInteger();

            List<Claim> claims = race(() -> (turn.getAndIncrement() % 2 == 0 ? ledger : other)
                    .claim(token, t0, t0.plus(LEASE)));

            List<Claim> granted = claims.stream().filter(Claim.Granted.class::isInstance).toList();
            assertThat(granted).hasSize(1);
            Lease lease = ((Claim.Granted) granted.getFirst()).lease();
            assertThat(claims).filteredOn(Claim.Underway.class::isInstance).hasSize(RACERS - 1)
                    .allSatisfy(claim -> assertThat(claim).isEqualTo(new Claim.Underway(lease)));
        }
    }

    @Test
    void aLeaseThatRanOutIsGrantedAgainAndItsWaitersAreToldItEnded() throws Exception {
        TokenHash token = token();
        Lease first = granted(ledger.claim(token, t0, t0.plus(LEASE)));

        Lease second = granted(ledger.claim(token, t0.plus(LEASE), t0.plus(LEASE).plus(LEASE)));

        assertThat(second).isNotEqualTo(first);
        assertThat(ledger.await(first, PATIENCE)).isEqualTo(new Awaited.Ended());
        assertThat(ledger.claim(token, t0.plus(LEASE), t0.plus(LEASE))).isEqualTo(new Claim.Underway(second));
    }

    // --- publishing and remembering ----------------------------------------------------------------------

    @Test
    void aPublishedAnswerIsRememberedUntilItsDeadline() {
        TokenHash token = token();
        SealedRotation answer = answer();
        Lease lease = granted(ledger.claim(token, t0, t0.plus(LEASE)));

        assertThat(ledger.publish(lease, answer, Set.of(token()), t0, t0.plus(WINDOW))).isEqualTo(Publication.REMEMBERED);
        ledger = reopen(ledger);

        assertThat(ledger.claim(token, t0.plus(WINDOW).minus(MILLI), t0.plus(LEASE))).isEqualTo(new Claim.Remembered(answer));
        assertThat(ledger.claim(token, t0.plus(WINDOW), t0.plus(WINDOW).plus(LEASE))).isInstanceOf(Claim.Granted.class);
    }

    @Test
    void anAnswerNotToBeKeptReachesTheWaitersButIsNotRemembered() throws Exception {
        TokenHash token = token();
        Lease lease = granted(ledger.claim(token, t0, t0.plus(LEASE)));
        SealedRotation failure = answer();

        assertThat(ledger.publish(lease, failure, Set.of(), t0, t0)).isEqualTo(Publication.NOT_KEPT);

        assertThat(ledger.await(lease, PATIENCE)).isEqualTo(new Awaited.Published(failure));
        Lease next = granted(ledger.claim(token, t0.plusSeconds(1), t0.plus(LEASE)));
        assertThat(next).isNotEqualTo(lease);
    }

    @Test
    void aWaiterGetsTheAnswerWhenItIsPublished() throws Exception {
        TokenHash token = token();
        SealedRotation answer = answer();
        Lease lease = granted(ledger.claim(token, t0, t0.plus(LEASE)));
        L other = sibling(ledger);
        Lease awaited = underway(other.claim(token, t0, t0.plus(LEASE)));
        CountDownLatch waiting = new CountDownLatch(1);
        Future<Awaited> waiter = threads.submit(() -> {
            waiting.countDown();
            return other.await(awaited, PATIENCE);
        });
        assertThat(waiting.await(10, SECONDS)).isTrue();

        ledger.publish(lease, answer, Set.of(), t0, t0.plus(WINDOW));

        assertThat(waiter.get(PATIENCE.toSeconds(), SECONDS)).isEqualTo(new Awaited.Published(answer));
    }

    @Test
    void manyWaitersAllGetTheSameAnswer() throws Exception {
        TokenHash token = token();
        SealedRotation answer = answer();
        Lease lease = granted(ledger.claim(token, t0, t0.plus(LEASE)));
        L other = sibling(ledger);
        List<Future<Awaited>> waiters = new ArrayList<>();
        for (int i = 0; i < RACERS; i++) {
            L instance = i % 2 == 0 ? ledger : other;
            Lease awaited = underway(instance.claim(token, t0, t0.plus(LEASE)));
            waiters.add(threads.submit(() -> instance.await(awaited, PATIENCE)));
        }

        ledger.publish(lease, answer, Set.of(), t0, t0);

        for (Future<Awaited> waiter : waiters) {
            assertThat(waiter.get(PATIENCE.toSeconds(), SECONDS)).isEqualTo(new Awaited.Published(answer));
        }
    }

    @Test
    void aWaiterArrivingAfterTheAnswerGetsItAtOnce() throws Exception {
        TokenHash token = token();
        SealedRotation answer = answer();
        Lease lease = granted(ledger.claim(token, t0, t0.plus(LEASE)));
        L other = sibling(ledger);
        Lease awaited = underway(other.claim(token, t0, t0.plus(LEASE)));

        ledger.publish(lease, answer, Set.of(), t0, t0);

        assertThat(other.await(awaited, Duration.ZERO)).isEqualTo(new Awaited.Published(answer));
    }

    @Test
    void aWaiterArrivingAfterTheAnswerWasRememberedGetsIt() throws Exception {
        TokenHash token = token();
        SealedRotation answer = answer();
        Lease lease = granted(ledger.claim(token, t0, t0.plus(LEASE)));
        L other = sibling(ledger);
        Lease awaited = underway(other.claim(token, t0, t0.plus(LEASE)));

        assertThat(ledger.publish(lease, answer, Set.of(token()), t0, t0.plus(WINDOW))).isEqualTo(Publication.REMEMBERED);

        assertThat(other.await(awaited, Duration.ZERO)).isEqualTo(new Awaited.Published(answer));
        assertThat(other.claim(token, t0.plusSeconds(1), t0.plus(LEASE))).isEqualTo(new Claim.Remembered(answer));
    }

    @Test
    void aWaiterIsToldWhenTheRotationIsStillUnderway() throws Exception {
        TokenHash token = token();
        Lease lease = granted(ledger.claim(token, t0, t0.plus(LEASE)));

        assertThat(ledger.await(lease, Duration.ofMillis(50))).isEqualTo(new Awaited.StillUnderway());
    }

    @Test
    void anAbandonedRotationEndsItsWaitersAndFreesTheToken() throws Exception {
        TokenHash token = token();
        Lease lease = granted(ledger.claim(token, t0, t0.plus(LEASE)));
        L other = sibling(ledger);
        Lease awaited = underway(other.claim(token, t0, t0.plus(LEASE)));
        Future<Awaited> waiter = threads.submit(() -> other.await(awaited, PATIENCE));

        ledger.abandon(lease);

        assertThat(waiter.get(PATIENCE.toSeconds(), SECONDS)).isEqualTo(new Awaited.Ended());
        assertThat(other.claim(token, t0.plusSeconds(1), t0.plus(LEASE))).isInstanceOf(Claim.Granted.class);
    }

    @Test
    void aLateAnswerUnderALeaseThatRanOutIsRememberedButLeavesTheNewHolderAlone() throws Exception {
        TokenHash token = token();
        SealedRotation late = answer();
        Lease first = granted(ledger.claim(token, t0, t0.plus(LEASE)));
        L other = sibling(ledger);
        Lease second = granted(other.claim(token, t0.plus(LEASE), t0.plus(LEASE).plus(LEASE)));

        assertThat(ledger.publish(first, late, Set.of(), t0.plus(LEASE), t0.plus(LEASE).plus(WINDOW)))
                .isEqualTo(Publication.REMEMBERED);

        assertThat(other.await(second, Duration.ofMillis(50))).isEqualTo(new Awaited.StillUnderway());
        assertThat(ledger.claim(token, t0.plus(LEASE).plusSeconds(1), t0.plus(WINDOW))).isEqualTo(new Claim.Remembered(late));
    }

    @Test
    void aNewRotationOfTheSameTokenReplacesTheAnswerBeforeIt() {
        TokenHash token = token();
        Lease first = granted(ledger.claim(token, t0, t0.plus(LEASE)));
        ledger.publish(first, answer(), Set.of(), t0, t0.plus(WINDOW));
        Instant later = t0.plus(WINDOW);
        Lease second = granted(ledger.claim(token, later, later.plus(LEASE)));
        SealedRotation newer = answer();

        ledger.publish(second, newer, Set.of(), later, later.plus(WINDOW));
        ledger = reopen(ledger);

        assertThat(ledger.claim(token, later.plusSeconds(1), later.plus(LEASE))).isEqualTo(new Claim.Remembered(newer));
    }

    // --- forgetting --------------------------------------------------------------------------------------

    @Test
    void forgettingTheRotatedTokenForgetsItsAnswerForGood() {
        TokenHash token = token();
        rememberedFor(token, Set.of(token(), token()));

        ledger.forget(token);
        ledger = reopen(ledger);

        assertThat(ledger.claim(token, t0.plusSeconds(1), t0.plus(LEASE))).isInstanceOf(Claim.Granted.class);
    }

    @Test
    void forgettingATokenAnAnswerHandsOutForgetsThatAnswerToo() {
        TokenHash rotated = token();
        TokenHash newAccess = token();
        TokenHash newRefresh = token();
        TokenHash other = token();
        rememberedFor(rotated, Set.of(newAccess, newRefresh));
        SealedRotation unrelated = rememberedFor(other, Set.of(token()));

        sibling(ledger).forget(newAccess);
        ledger = reopen(ledger);

        assertThat(ledger.claim(rotated, t0.plusSeconds(1), t0.plus(LEASE))).isInstanceOf(Claim.Granted.class);
        assertThat(ledger.claim(other, t0.plusSeconds(1), t0.plus(LEASE))).isEqualTo(new Claim.Remembered(unrelated));
    }

    @Test
    void aTokenForgottenWhileItsRotationIsUnderwayGetsItsAnswerButItIsNotRemembered() throws Exception {
        TokenHash token = token();
        Lease lease = granted(ledger.claim(token, t0, t0.plus(LEASE)));
        L other = sibling(ledger);
        Lease awaited = underway(other.claim(token, t0, t0.plus(LEASE)));
        SealedRotation answer = answer();

        other.forget(token);

        assertThat(ledger.publish(lease, answer, Set.of(), t0, t0.plus(WINDOW))).isEqualTo(Publication.FORGOTTEN);
        assertThat(other.await(awaited, PATIENCE)).isEqualTo(new Awaited.Published(answer));
        assertThat(ledger.claim(token, t0.plusSeconds(1), t0.plus(LEASE))).isInstanceOf(Claim.Granted.class);
    }

    @Test
    void forgettingATokenThatTwoAnswersHandOutForgetsBoth() {
        TokenHash shared = token();
        TokenHash first = token();
        TokenHash second = token();
        TokenHash other = token();
        rememberedFor(first, Set.of(shared, token()));
        rememberedFor(second, Set.of(shared));
        SealedRotation unrelated = rememberedFor(other, Set.of(token()));

        sibling(ledger).forget(shared);
        ledger = reopen(ledger);

        assertThat(ledger.claim(first, t0.plusSeconds(1), t0.plus(LEASE))).isInstanceOf(Claim.Granted.class);
        assertThat(ledger.claim(second, t0.plusSeconds(1), t0.plus(LEASE))).isInstanceOf(Claim.Granted.class);
        assertThat(ledger.claim(other, t0.plusSeconds(1), t0.plus(LEASE))).isEqualTo(new Claim.Remembered(unrelated));
    }

    @Test
    void forgettingATokenThatAnAnswerHandsOutToItselfForgetsIt() {
        TokenHash kept = token();
        rememberedFor(kept, Set.of(kept, token()));

        ledger.forget(kept);
        ledger = reopen(ledger);

        assertThat(ledger.claim(kept, t0.plusSeconds(1), t0.plus(LEASE))).isInstanceOf(Claim.Granted.class);
    }

    @Test
    void forgettingATokenNobodyRememberedChangesNothing() {
        TokenHash token = token();
        SealedRotation answer = rememberedFor(token, Set.of());

        ledger.forget(token());

        assertThat(ledger.claim(token, t0.plusSeconds(1), t0.plus(LEASE))).isEqualTo(new Claim.Remembered(answer));
    }

    // --- capacity and expiry -----------------------------------------------------------------------------

    @Test
    void aFullLedgerHandsTheAnswerOverWithoutRememberingItAndKeepsTheOthers() throws Exception {
        ledger = newLedger(2);
        TokenHash first = token();
        TokenHash second = token();
        SealedRotation firstAnswer = rememberedFor(first, Set.of());
        SealedRotation secondAnswer = rememberedFor(second, Set.of());
        TokenHash third = token();
        Lease lease = granted(ledger.claim(third, t0, t0.plus(LEASE)));
        SealedRotation thirdAnswer = answer();

        assertThat(ledger.publish(lease, thirdAnswer, Set.of(), t0, t0.plus(WINDOW))).isEqualTo(Publication.FULL);

        assertThat(ledger.await(lease, PATIENCE)).isEqualTo(new Awaited.Published(thirdAnswer));
        assertThat(ledger.claim(third, t0.plusSeconds(1), t0.plus(LEASE))).isInstanceOf(Claim.Granted.class);
        assertThat(ledger.claim(first, t0.plusSeconds(1), t0.plus(LEASE))).isEqualTo(new Claim.Remembered(firstAnswer));
        assertThat(ledger.claim(second, t0.plusSeconds(1), t0.plus(LEASE))).isEqualTo(new Claim.Remembered(secondAnswer));
    }

    @Test
    void expiredAnswersMakeRoomInAFullLedger() {
        ledger = newLedger(1);
        TokenHash stale = token();
        rememberedFor(stale, Set.of());
        Instant later = t0.plus(WINDOW);
        TokenHash fresh = token();
        Lease lease = granted(ledger.claim(fresh, later, later.plus(LEASE)));
        SealedRotation answer = answer();

        assertThat(ledger.publish(lease, answer, Set.of(), later, later.plus(WINDOW))).isEqualTo(Publication.REMEMBERED);
        ledger = reopen(ledger);

        assertThat(ledger.claim(fresh, later.plusSeconds(1), later.plus(LEASE))).isEqualTo(new Claim.Remembered(answer));
        assertThat(ledger.claim(stale, later.plusSeconds(1), later.plus(LEASE))).isInstanceOf(Claim.Granted.class);
    }

    @Test
    void aPurgeForgetsTheAnswersWhoseTimeIsUpAndKeepsTheRest() {
        TokenHash stale = token();
        rememberedFor(stale, Set.of());
        TokenHash live = token();
        Lease lease = granted(ledger.claim(live, t0, t0.plus(LEASE)));
        SealedRotation liveAnswer = answer();
        ledger.publish(lease, liveAnswer, Set.of(), t0, t0.plus(WINDOW).plus(WINDOW));

        purgeExpired(ledger, t0.plus(WINDOW));
        ledger = reopen(ledger);

        assertThat(ledger.claim(live, t0.plus(WINDOW), t0.plus(WINDOW).plus(LEASE))).isEqualTo(new Claim.Remembered(liveAnswer));
        assertThat(ledger.claim(stale, t0.plus(WINDOW), t0.plus(WINDOW).plus(LEASE))).isInstanceOf(Claim.Granted.class);
    }

    @Test
    void aPurgeGoesByDeadlineNotByTheOrderTheAnswersCameIn() {
        TokenHash longer = token();
        Lease first = granted(ledger.claim(longer, t0, t0.plus(LEASE)));
        SealedRotation longerAnswer = answer();
        ledger.publish(first, longerAnswer, Set.of(), t0, t0.plus(WINDOW).plus(WINDOW));
        TokenHash shorter = token();
        Lease second = granted(ledger.claim(shorter, t0, t0.plus(LEASE)));
        ledger.publish(second, answer(), Set.of(), t0, t0.plus(WINDOW));

        purgeExpired(ledger, t0.plus(WINDOW));
        ledger = reopen(ledger);

        Instant after = t0.plus(WINDOW);
        assertThat(ledger.claim(shorter, after, after.plus(LEASE))).isInstanceOf(Claim.Granted.class);
        assertThat(ledger.claim(longer, after, after.plus(LEASE))).isEqualTo(new Claim.Remembered(longerAnswer));
    }

    @Test
    void aPurgeAtTheDeadlineOfAnAnswerThatWasReplacedKeepsTheAnswerThatReplacedIt() {
        TokenHash token = token();
        rememberedFor(token, Set.of());
        Instant later = t0.plus(WINDOW);
        Lease second = granted(ledger.claim(token, later, later.plus(LEASE)));
        SealedRotation newer = answer();
        ledger.publish(second, newer, Set.of(), later, later.plus(WINDOW));

        purgeExpired(ledger, later);
        ledger = reopen(ledger);

        assertThat(ledger.claim(token, later.plusSeconds(1), later.plus(LEASE))).isEqualTo(new Claim.Remembered(newer));
    }

    @Test
    void aPurgeAtTheDeadlineOfAForgottenAnswerKeepsTheOneRememberedAfterIt() {
        TokenHash token = token();
        rememberedFor(token, Set.of());
        ledger.forget(token);
        Instant later = t0.plusSeconds(1);
        Lease again = granted(ledger.claim(token, later, later.plus(LEASE)));
        SealedRotation newer = answer();
        ledger.publish(again, newer, Set.of(), later, later.plus(WINDOW));

        purgeExpired(ledger, t0.plus(WINDOW));
        ledger = reopen(ledger);

        assertThat(ledger.claim(token, t0.plus(WINDOW), t0.plus(WINDOW).plus(LEASE))).isEqualTo(new Claim.Remembered(newer));
    }

    @Test
    void aRestartForgetsTheRotationsUnderwayButNotTheAnswers() {
        if (!durable()) {
            return;
        }
        TokenHash answered = token();
        SealedRotation answer = rememberedFor(answered, Set.of());
        TokenHash underway = token();
        granted(ledger.claim(underway, t0, t0.plus(LEASE)));

        ledger = reopen(ledger);

        assertThat(ledger.claim(answered, t0.plusSeconds(1), t0.plus(LEASE))).isEqualTo(new Claim.Remembered(answer));
        // The process that held the lease is gone; nobody else can be calling SoundCloud with that token.
        assertThat(ledger.claim(underway, t0.plusSeconds(1), t0.plus(LEASE))).isInstanceOf(Claim.Granted.class);
    }

    @Test
    void theLedgersDescriptionNamesNoToken() {
        TokenHash token = token();
        rememberedFor(token, Set.of());

        assertThat(ledger.toString()).doesNotContain(token.hex());
    }

    // --- helpers -----------------------------------------------------------------------------------------

    /** A rotation of {@code token} at t0, answered and remembered for the window. */
    private SealedRotation rememberedFor(TokenHash token, Set<TokenHash> handsOut) {
        SealedRotation answer = answer();
        Lease lease = granted(ledger.claim(token, t0, t0.plus(LEASE)));
        assertThat(ledger.publish(lease, answer, handsOut, t0, t0.plus(WINDOW))).isEqualTo(Publication.REMEMBERED);
        return answer;
    }

    public static TokenHash token() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return new TokenHash(HexFormat.of().formatHex(bytes));
    }

    /** Opaque to the ledger: random bytes of an answer's size. */
    public static SealedRotation answer() {
        byte[] bytes = new byte[120];
        RANDOM.nextBytes(bytes);
        return SealedRotation.of(bytes);
    }

    private static Lease granted(Claim claim) {
        assertThat(claim).isInstanceOf(Claim.Granted.class);
        return ((Claim.Granted) claim).lease();
    }

    private static Lease underway(Claim claim) {
        assertThat(claim).isInstanceOf(Claim.Underway.class);
        return ((Claim.Underway) claim).lease();
    }

    private List<Claim> race(java.util.concurrent.Callable<Claim> attempt) throws Exception {
        CountDownLatch ready = new CountDownLatch(RACERS);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Claim>> futures = new ArrayList<>();
        for (int i = 0; i < RACERS; i++) {
            futures.add(threads.submit(() -> {
                ready.countDown();
                go.await();
                return attempt.call();
            }));
        }
        assertThat(ready.await(10, SECONDS)).isTrue();
        go.countDown();
        List<Claim> claims = new ArrayList<>();
        for (Future<Claim> future : futures) {
            claims.add(future.get(10, SECONDS));
        }
        return claims;
    }
}
