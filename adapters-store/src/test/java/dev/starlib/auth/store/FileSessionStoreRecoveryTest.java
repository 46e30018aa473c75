package dev.starlib.auth.store;

import dev.starlib.auth.application.port.SessionStore.ConsumeOutcome.AlreadyUsed;
import dev.starlib.auth.application.port.SessionStore.ConsumeOutcome.Consumed;
import dev.starlib.auth.application.port.SessionStore.ConsumeOutcome.Unknown;
import dev.starlib.auth.application.port.SessionStore.PickUpOutcome.AlreadyPickedUp;
import dev.starlib.auth.application.port.SessionStore.PickUpOutcome.NotReady;
import dev.starlib.auth.application.port.SessionStore.PickUpOutcome.Ready;
import dev.starlib.auth.application.port.SessionStore.SaveOutcome.Saved;
import dev.starlib.auth.application.port.SessionStoreException;
import dev.starlib.auth.domain.AccessToken;
import dev.starlib.auth.domain.FinishedLogin;
import dev.starlib.auth.domain.LoginOutcome;
import dev.starlib.auth.domain.PendingAuthorization;
import dev.starlib.auth.domain.RefreshToken;
import dev.starlib.auth.domain.SoundCloudUser;
import dev.starlib.auth.domain.StateHash;
import dev.starlib.auth.domain.Tokens;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static dev.starlib.auth.store.Logins.T0;
import static dev.starlib.auth.store.StoreFixtures.RESULT_TTL;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What the file store does after a crash and with a log that is torn, damaged, sealed under another key or
 * long: every "start" below opens the directory again while the previous store is still open, as a process
 * would after {@code kill -9}.
 */
class FileSessionStoreRecoveryTest {

    private static final int HEADER = LogFormat.HEADER_BYTES;

    @TempDir
    Path root;
    private StoreFixtures.Directory directory;

    @BeforeEach
    void createDirectory() {
        directory = new StoreFixtures.Directory(root.resolve("sessions"));
    }

    @AfterEach
    void closeStores() {
        directory.close();
    }

    // --- crashes --------------------------------------------------------------------------------------

    @Test
    void everyAcknowledgedStepSurvivesAnUncleanStop() {
        FileSessionStore before = directory.start();
        PendingAuthorization waiting = saved(before, T0);
        PendingAuthorization exchanging = saved(before, T0);
        before.consumePending(exchanging.key(), T0.plusSeconds(1));
        PendingAuthorization finished = saved(before, T0);
        FinishedLogin result = finish(before, finished, T0.plusSeconds(2));
        PendingAuthorization pickedUp = saved(before, T0);
        finish(before, pickedUp, T0.plusSeconds(2));
        before.pickUp(pickedUp.key(), T0.plusSeconds(3));

        FileSessionStore after = directory.start();

        Instant now = T0.plusSeconds(4);
        assertThat(after.consumePending(waiting.key(), now)).isEqualTo(new Consumed(waiting));
        assertThat(after.consumePending(exchanging.key(), now)).isEqualTo(new AlreadyUsed());
        assertThat(after.pickUp(finished.key(), now)).isEqualTo(new Ready(result));
        assertThat(after.pickUp(pickedUp.key(), now)).isEqualTo(new AlreadyPickedUp());
        assertThat(directory.events.storeErrors).isEmpty();
    }

    @ParameterizedTest(name = "cut at {0} bytes into the last record (negative: short of its end)")
    @ValueSource(ints = {1, 4, HEADER - 1, HEADER, HEADER + 1, HEADER + 30, -4, -1})
    void recordTornByACrashIsDroppedAndLaterWritesAreKept(int cut) throws IOException {
        FileSessionStore before = directory.start();
        PendingAuthorization kept = saved(before, T0);
        PendingAuthorization torn = saved(before, T0);
        long start = directory.logSize();
        before.consumePending(torn.key(), T0.plusSeconds(1));
        long end = directory.logSize();
        directory.cutLogAt(cut > 0 ? start + cut : end + cut);

        FileSessionStore after = directory.start();

        // The torn consume never answered anyone, so the login is still waiting; nothing before it is lost.
        assertThat(after.consumePending(torn.key(), T0.plusSeconds(2))).isEqualTo(new Consumed(torn));
        assertThat(after.consumePending(kept.key(), T0.plusSeconds(2))).isEqualTo(new Consumed(kept));
        assertThat(directory.events.storeErrors("replay")).isEqualTo(1);

        PendingAuthorization later = saved(after, T0.plusSeconds(3));
        FileSessionStore again = directory.start();
        assertThat(again.consumePending(later.key(), T0.plusSeconds(4))).isEqualTo(new Consumed(later));
        assertThat(again.consumePending(torn.key(), T0.plusSeconds(4))).isEqualTo(new AlreadyUsed());
        assertThat(directory.events.storeErrors("replay")).as("no torn bytes left to skip again").isEqualTo(1);
    }

    @Test
    void zerosLeftAfterTheLastRecordAreSkipped() throws IOException {
        FileSessionStore before = directory.start();
        PendingAuthorization pending = saved(before, T0);
        Files.write(directory.log(), new byte[4096], StandardOpenOption.APPEND);

        FileSessionStore after = directory.start();

        assertThat(after.consumePending(pending.key(), T0.plusSeconds(1))).isEqualTo(new Consumed(pending));
        assertThat(directory.events.storeErrors("replay")).isEqualTo(1);
    }

    @Test
    void resultWithAsMuchUserDataAsSoundCloudMaySendIsKept() {
        FileSessionStore before = directory.start();
        PendingAuthorization pending = saved(before, T0);
        before.consumePending(pending.key(), T0);
        String longName = "ü".repeat(40_000);
        FinishedLogin result = new FinishedLogin(pending.key(), pending.stateHint(),
                new LoginOutcome.Succeeded(
                        new Tokens(new AccessToken("a".repeat(4096)),
                                new RefreshToken("r".repeat(4096)), Duration.ofHours(1)),
                        new SoundCloudUser(1, longName, longName, null)),
                T0, T0.plus(RESULT_TTL));
        before.saveFinished(result);

        FileSessionStore after = directory.start();

        assertThat(after.pickUp(pending.key(), T0.plusSeconds(1))).isEqualTo(new Ready(result));
    }

    // --- damage ---------------------------------------------------------------------------------------

    @Test
    void loginWhoseLastRecordIsDamagedIsWithheldRatherThanServedAgain() throws IOException {
        FileSessionStore before = directory.start();
        PendingAuthorization untouched = saved(before, T0);
        PendingAuthorization damaged = saved(before, T0);
        long start = directory.logSize();
        before.consumePending(damaged.key(), T0.plusSeconds(1));
        PendingAuthorization after1 = saved(before, T0);
        directory.flipByteAt(start + HEADER + 20);

        FileSessionStore after = directory.start();

        // Its consume is unreadable: serving the pending login again could hand its verifier out twice.
        assertThat(after.consumePending(damaged.key(), T0.plusSeconds(2))).isEqualTo(new Unknown());
        assertThat(after.consumePending(untouched.key(), T0.plusSeconds(2))).isEqualTo(new Consumed(untouched));
        assertThat(after.consumePending(after1.key(), T0.plusSeconds(2))).isEqualTo(new Consumed(after1));
        assertThat(directory.events.storeErrors("replay")).isEqualTo(1);
    }

    @Test
    void damagedRecordThatALaterOneReplacedCostsNothing() throws IOException {
        FileSessionStore before = directory.start();
        long start = directory.logSize();
        PendingAuthorization pending = saved(before, T0);
        FinishedLogin result = finish(before, pending, T0.plusSeconds(1));
        directory.flipByteAt(start + HEADER + 20);

        FileSessionStore after = directory.start();

        assertThat(after.pickUp(pending.key(), T0.plusSeconds(2))).isEqualTo(new Ready(result));
        assertThat(directory.events.storeErrors("replay")).isEqualTo(1);
    }

    @Test
    void damagedHeaderWithholdsEveryLoginItCouldHaveChanged() throws IOException {
        FileSessionStore before = directory.start();
        PendingAuthorization waitingBefore = saved(before, T0);
        PendingAuthorization finishedBefore = saved(before, T0);
        finish(before, finishedBefore, T0.plusSeconds(1));
        PendingAuthorization usedBefore = saved(before, T0);
        before.consumePending(usedBefore.key(), T0.plusSeconds(1));
        PendingAuthorization lost = saved(before, T0);
        long start = directory.logSize();
        before.consumePending(lost.key(), T0.plusSeconds(1));
        PendingAuthorization savedAfter = saved(before, T0);
        directory.flipByteAt(start + 10);

        FileSessionStore after = directory.start();

        // The unreadable record could have been anyone's consume or pickup: nothing written before it that
        // could still hand something out is served.
        Instant now = T0.plusSeconds(2);
        assertThat(after.consumePending(waitingBefore.key(), now)).isEqualTo(new Unknown());
        assertThat(after.consumePending(lost.key(), now)).isEqualTo(new Unknown());
        assertThat(after.pickUp(finishedBefore.key(), now)).isEqualTo(new NotReady());
        assertThat(after.consumePending(usedBefore.key(), now)).isEqualTo(new AlreadyUsed());
        assertThat(after.consumePending(savedAfter.key(), now)).isEqualTo(new Consumed(savedAfter));
        assertThat(directory.events.storeErrors("replay")).isEqualTo(1);
    }

    @Test
    void sessionsSealedUnderAnotherKeyAreSkippedCountedAndNeverServed() {
        FileSessionStore before = directory.start();
        PendingAuthorization waiting = saved(before, T0);
        PendingAuthorization finished = saved(before, T0);
        finish(before, finished, T0.plusSeconds(1));
        StoreKey otherKey = StoreFixtures.newKey();

        FileSessionStore after = directory.startWith(otherKey);

        Instant now = T0.plusSeconds(2);
        assertThat(after.consumePending(waiting.key(), now)).isEqualTo(new Unknown());
        assertThat(after.pickUp(finished.key(), now)).isEqualTo(new NotReady());
        assertThat(after.summaries(now)).isEmpty();
        assertThat(directory.events.storeErrors("replay")).as("one per record").isEqualTo(4);

        PendingAuthorization fresh = saved(after, now);
        FileSessionStore again = directory.startWith(otherKey);
        assertThat(again.consumePending(fresh.key(), now)).isEqualTo(new Consumed(fresh));
        assertThat(directory.events.storeErrors("replay")).isEqualTo(4);
    }

    // --- compaction -----------------------------------------------------------------------------------

    @Test
    void purgeRewritesTheLogWithoutTheExpiredSessionsAndTheFileShrinks() throws IOException {
        directory = compactingEagerly();
        FileSessionStore store = directory.start();
        List<PendingAuthorization> expired = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            PendingAuthorization login = saved(store, T0);
            finish(store, login, T0);
            store.pickUp(login.key(), T0);
            expired.add(login);
        }
        PendingAuthorization live = saved(store, T0.plus(Duration.ofMinutes(9)));
        long sizeBefore = directory.logSize();

        assertThat(store.purgeExpired(T0.plus(RESULT_TTL))).isEqualTo(20);

        assertThat(directory.logSize()).isLessThan(sizeBefore / 20);
        byte[] log = directory.logBytes();
        for (PendingAuthorization gone : expired) {
            assertThat(contains(log, keyBytes(gone.key()))).as("an expired session is still on disk").isFalse();
        }
        assertThat(contains(log, keyBytes(live.key()))).isTrue();
        FileSessionStore after = directory.start();
        assertThat(after.consumePending(live.key(), T0.plus(Duration.ofMinutes(10)))).isEqualTo(new Consumed(live));
        assertThat(after.pickUp(expired.getFirst().key(), T0.plus(RESULT_TTL))).isEqualTo(new NotReady());
        assertThat(directory.events.storeErrors).isEmpty();
    }

    @Test
    void logStaysSmallOverDaysOfTraffic() throws IOException {
        directory = compactingAfter(200);
        FileSessionStore store = directory.start();
        Instant now = T0;
        long written = 0;
        long largest = 0;
        for (int login = 0; login < 3 * 24 * 12; login++) { // one every five minutes for three days
            long sizeBefore = directory.logSize();
            PendingAuthorization pending = saved(store, now);
            finish(store, pending, now.plusSeconds(5));
            store.pickUp(pending.key(), now.plusSeconds(10));
            written += directory.logSize() - sizeBefore;
            store.purgeExpired(now.plusSeconds(30)); // the service purges every 30 seconds
            largest = Math.max(largest, directory.logSize());
            now = now.plus(Duration.ofMinutes(5));
        }

        assertThat(largest).as("largest log of %d bytes written", written).isLessThan(written / 10);
    }

    @Test
    void rewriteCutShortBeforeItsRenameLeavesTheOldLogInCharge() throws IOException {
        FileSessionStore before = directory.start();
        PendingAuthorization consumedLater = saved(before, T0);
        PendingAuthorization finished = saved(before, T0);
        FinishedLogin result = finish(before, finished, T0.plusSeconds(1));
        Path copy = before.writeCompactedCopy();
        // The copy is written and synced, then the process dies before the rename; the log moved on meanwhile.
        before.consumePending(consumedLater.key(), T0.plusSeconds(2));

        FileSessionStore after = directory.start();

        assertThat(after.consumePending(consumedLater.key(), T0.plusSeconds(3))).isEqualTo(new AlreadyUsed());
        assertThat(after.pickUp(finished.key(), T0.plusSeconds(3))).isEqualTo(new Ready(result));
        assertThat(copy).doesNotExist();
        assertThat(directory.events.storeErrors).isEmpty();
    }

    @Test
    void halfWrittenRewriteIsIgnored() throws IOException {
        FileSessionStore before = directory.start();
        PendingAuthorization pending = saved(before, T0);
        Path copy = before.writeCompactedCopy();
        Files.write(copy, Arrays.copyOf(Files.readAllBytes(copy), 17));

        FileSessionStore after = directory.start();

        assertThat(after.consumePending(pending.key(), T0.plusSeconds(1))).isEqualTo(new Consumed(pending));
        assertThat(copy).doesNotExist();
    }

    // --- concurrency ----------------------------------------------------------------------------------

    @Test
    void ofConcurrentConsumesAndPickUpsOnDiskOneWinsAndARestartAgrees() throws Exception {
        FileSessionStore store = directory.start();
        List<PendingAuthorization> logins = new ArrayList<>();
        ExecutorService racers = Executors.newFixedThreadPool(8);
        try {
            for (int round = 0; round < 30; round++) {
                PendingAuthorization pending = saved(store, T0);
                logins.add(pending);
                assertThat(race(racers, () -> store.consumePending(pending.key(), T0.plusSeconds(1))))
                        .filteredOn(Consumed.class::isInstance).hasSize(1);
                store.saveFinished(Logins.succeeded(pending, T0.plusSeconds(1), RESULT_TTL));
                assertThat(race(racers, () -> store.pickUp(pending.key(), T0.plusSeconds(2))))
                        .filteredOn(Ready.class::isInstance).hasSize(1);
            }
        } finally {
            racers.shutdownNow();
        }

        FileSessionStore after = directory.start();

        for (PendingAuthorization pending : logins) {
            assertThat(after.consumePending(pending.key(), T0.plusSeconds(3))).isEqualTo(new AlreadyUsed());
            assertThat(after.pickUp(pending.key(), T0.plusSeconds(3))).isEqualTo(new AlreadyPickedUp());
        }
    }

    @Test
    void closedStoreRefusesToWork() {
        FileSessionStore store = directory.start();
        store.close();

        assertThatThrownBy(() -> store.savePending(Logins.pending(T0)))
                .isInstanceOf(SessionStoreException.class);
    }

    // --- helpers --------------------------------------------------------------------------------------

    private StoreFixtures.Directory compactingEagerly() {
        return compactingAfter(0);
    }

    private StoreFixtures.Directory compactingAfter(long slack) {
        directory.close();
        return new StoreFixtures.Directory(root.resolve("compacting"), StoreFixtures.newKey(),
                new FileSessionStore.Options(false, slack));
    }

    private static PendingAuthorization saved(FileSessionStore store, Instant createdAt) {
        PendingAuthorization pending = Logins.pending(createdAt);
        assertThat(store.savePending(pending)).isEqualTo(new Saved());
        return pending;
    }

    private static FinishedLogin finish(FileSessionStore store, PendingAuthorization pending, Instant at) {
        assertThat(store.consumePending(pending.key(), at)).isEqualTo(new Consumed(pending));
        FinishedLogin finished = Logins.succeeded(pending, at, RESULT_TTL);
        store.saveFinished(finished);
        return finished;
    }

    private static List<Object> race(ExecutorService racers, Callable<Object> attempt) throws Exception {
        int count = 8;
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Object>> futures = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            futures.add(racers.submit(() -> {
                go.await();
                return attempt.call();
            }));
        }
        go.countDown();
        List<Object> outcomes = new ArrayList<>();
        for (Future<Object> future : futures) {
            outcomes.add(future.get(10, SECONDS));
        }
        return outcomes;
    }

    private static byte[] keyBytes(StateHash key) {
        return HexFormat.of().parseHex(key.hex());
    }

    static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
