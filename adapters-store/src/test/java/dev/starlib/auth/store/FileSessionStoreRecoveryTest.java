package dev.starlib.auth.store;

import dev.starlib.auth.application.port.SessionStoreException;
import dev.starlib.auth.domain.OAuthSession;
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

import static dev.starlib.auth.store.LoginSteps.ALREADY_PICKED_UP;
import static dev.starlib.auth.store.LoginSteps.ALREADY_USED;
import static dev.starlib.auth.store.LoginSteps.CREATED;
import static dev.starlib.auth.store.LoginSteps.NOT_READY;
import static dev.starlib.auth.store.LoginSteps.UNKNOWN;
import static dev.starlib.auth.store.LoginSteps.consume;
import static dev.starlib.auth.store.LoginSteps.consumed;
import static dev.starlib.auth.store.LoginSteps.create;
import static dev.starlib.auth.store.LoginSteps.finish;
import static dev.starlib.auth.store.LoginSteps.saveResult;
import static dev.starlib.auth.store.LoginSteps.pickUp;
import static dev.starlib.auth.store.LoginSteps.ready;
import static dev.starlib.auth.store.LoginSteps.summaries;
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
        consume(before, exchanging.key(), T0.plusSeconds(1));
        PendingAuthorization finished = saved(before, T0);
        FinishedLogin result = finish(before, finished, T0.plusSeconds(2));
        PendingAuthorization pickedUp = saved(before, T0);
        finish(before, pickedUp, T0.plusSeconds(2));
        pickUp(before, pickedUp.key(), T0.plusSeconds(3));

        FileSessionStore after = directory.start();

        Instant now = T0.plusSeconds(4);
        assertThat(consume(after, waiting.key(), now)).isEqualTo(consumed(waiting));
        assertThat(consume(after, exchanging.key(), now)).isEqualTo(ALREADY_USED);
        assertThat(pickUp(after, finished.key(), now)).isEqualTo(ready(result));
        assertThat(pickUp(after, pickedUp.key(), now)).isEqualTo(ALREADY_PICKED_UP);
        assertThat(directory.events.storeErrors).isEmpty();
    }

    @ParameterizedTest(name = "cut at {0} bytes into the last record (negative: short of its end)")
    @ValueSource(ints = {1, 4, HEADER - 1, HEADER, HEADER + 1, HEADER + 30, -4, -1})
    void recordTornByACrashIsDroppedAndLaterWritesAreKept(int cut) throws IOException {
        lastRecordTornAt(cut, directory::cutLogAt);
    }

    /** In a preallocated log a torn write leaves the file's length alone: what never reached the disk is zeros. */
    @ParameterizedTest(name = "zeros from {0} bytes into the last record (negative: short of its end)")
    @ValueSource(ints = {1, 4, HEADER - 1, HEADER, HEADER + 1, HEADER + 30, -4, -1})
    void recordTornInsideThePreallocatedSpaceIsDroppedAndLaterWritesAreKept(int cut) throws IOException {
        lastRecordTornAt(cut, directory::zeroLogFrom);
    }

    private interface Tear {
        void at(long offset) throws IOException;
    }

    private void lastRecordTornAt(int cut, Tear tear) throws IOException {
        FileSessionStore before = directory.start();
        PendingAuthorization kept = saved(before, T0);
        PendingAuthorization torn = saved(before, T0);
        long start = directory.logSize();
        consume(before, torn.key(), T0.plusSeconds(1));
        long end = directory.logSize();
        tear.at(cut > 0 ? start + cut : end + cut);

        FileSessionStore after = directory.start();

        // The torn consume never answered anyone, so the login is still waiting; nothing before it is lost.
        assertThat(consume(after, torn.key(), T0.plusSeconds(2))).isEqualTo(consumed(torn));
        assertThat(consume(after, kept.key(), T0.plusSeconds(2))).isEqualTo(consumed(kept));
        assertThat(directory.events.storeErrors("replay")).isEqualTo(1);

        PendingAuthorization later = saved(after, T0.plusSeconds(3));
        FileSessionStore again = directory.start();
        assertThat(consume(again, later.key(), T0.plusSeconds(4))).isEqualTo(consumed(later));
        assertThat(consume(again, torn.key(), T0.plusSeconds(4))).isEqualTo(ALREADY_USED);
        assertThat(directory.events.storeErrors("replay")).as("no torn bytes left to skip again").isEqualTo(1);
    }

    @Test
    void zerosAfterTheLastRecordAreFreeSpaceNotDamage() throws IOException {
        FileSessionStore before = directory.start();
        PendingAuthorization pending = saved(before, T0);
        long end = directory.logSize();
        Files.write(directory.log(), new byte[4096], StandardOpenOption.APPEND);

        FileSessionStore after = directory.start();

        assertThat(consume(after, pending.key(), T0.plusSeconds(1))).isEqualTo(consumed(pending));
        assertThat(directory.logSize()).as("the consume went right after the last record").isGreaterThan(end);
        assertThat(consume(directory.start(), pending.key(), T0.plusSeconds(2))).isEqualTo(ALREADY_USED);
        assertThat(directory.events.storeErrors).isEmpty();
    }

    // --- the preallocated log -------------------------------------------------------------------------

    @Test
    void logIsZeroFilledAheadOfItsRecordsAndReadBackWithoutErrors() throws IOException {
        FileSessionStore before = directory.start();
        PendingAuthorization waiting = saved(before, T0);
        PendingAuthorization used = saved(before, T0);
        consume(before, used.key(), T0.plusSeconds(1));
        long end = directory.logSize();
        long length = directory.fileSize();
        assertThat(length).as("space written ahead of the records").isGreaterThan(end);
        assertThat(Arrays.copyOfRange(directory.logBytes(), Math.toIntExact(end), Math.toIntExact(length)))
                .containsOnly(0);

        FileSessionStore after = directory.start();

        assertThat(consume(after, used.key(), T0.plusSeconds(2))).isEqualTo(ALREADY_USED);
        assertThat(consume(after, waiting.key(), T0.plusSeconds(2))).isEqualTo(consumed(waiting));
        assertThat(directory.fileSize()).as("the new record went into the zeros, not after them").isEqualTo(length);
        assertThat(directory.logSize()).isGreaterThan(end);
        FileSessionStore again = directory.start();
        assertThat(consume(again, waiting.key(), T0.plusSeconds(3))).isEqualTo(ALREADY_USED);
        assertThat(directory.events.storeErrors).isEmpty();
    }

    @Test
    void damagedLastRecordBeforeTheZerosIsWithheldNotTakenForATornOne() throws IOException {
        FileSessionStore before = directory.start();
        PendingAuthorization damaged = saved(before, T0);
        long start = directory.logSize();
        consume(before, damaged.key(), T0.plusSeconds(1));
        directory.flipByteAt(start + HEADER + 20);

        FileSessionStore after = directory.start();

        // The consume is whole (it ends as it was written) but unreadable: it may have been acknowledged, so the
        // login is not served again.
        assertThat(consume(after, damaged.key(), T0.plusSeconds(2))).isEqualTo(UNKNOWN);
        assertThat(directory.events.storeErrors("replay")).isEqualTo(1);
    }

    @Test
    void writesThatOutgrowThePreallocatedSpaceExtendItAndSurviveACrash() throws IOException {
        directory = preallocating(4096);
        FileSessionStore before = directory.start();
        List<PendingAuthorization> waiting = new ArrayList<>();
        List<PendingAuthorization> finished = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            waiting.add(saved(before, T0));
            PendingAuthorization login = saved(before, T0);
            finish(before, login, T0.plusSeconds(1));
            finished.add(login);
        }
        assertThat(directory.logSize()).as("several times the preallocated space").isGreaterThan(4 * 4096);
        assertThat(directory.fileSize() - directory.logSize()).isBetween(1L, 2 * 4096L);

        FileSessionStore after = directory.start();

        for (PendingAuthorization login : waiting) {
            assertThat(consume(after, login.key(), T0.plusSeconds(2))).isEqualTo(consumed(login));
        }
        for (PendingAuthorization login : finished) {
            assertThat(consume(after, login.key(), T0.plusSeconds(2))).isEqualTo(ALREADY_USED);
        }
        assertThat(directory.events.storeErrors).isEmpty();
    }

    @Test
    void withoutPreallocationTheLogEndsAtItsLastRecordAndReadsAPreallocatedOne() throws IOException {
        FileSessionStore preallocated = directory.start();
        PendingAuthorization first = saved(preallocated, T0);
        long zeroFilled = directory.fileSize();
        StoreFixtures.Directory plain = new StoreFixtures.Directory(directory.path, directory.key,
                new FileSessionStore.Options(false, 10_000, 0));

        FileSessionStore after = plain.start();
        PendingAuthorization second = saved(after, T0);
        FileSessionStore again = plain.start();

        assertThat(consume(again, first.key(), T0.plusSeconds(1))).isEqualTo(consumed(first));
        assertThat(consume(again, second.key(), T0.plusSeconds(1))).isEqualTo(consumed(second));
        assertThat(directory.fileSize()).as("records go after the last one, into the zeros").isEqualTo(zeroFilled);
        assertThat(plain.events.storeErrors).isEmpty();
        plain.close();

        StoreFixtures.Directory fresh = new StoreFixtures.Directory(root.resolve("plain"), directory.key,
                new FileSessionStore.Options(false, 10_000, 0));
        saved(fresh.start(), T0);
        assertThat(fresh.fileSize()).isEqualTo(fresh.logSize());
        fresh.close();
    }

    @Test
    void resultWithAsMuchUserDataAsSoundCloudMaySendIsKept() {
        FileSessionStore before = directory.start();
        PendingAuthorization pending = saved(before, T0);
        consume(before, pending.key(), T0);
        String longName = "ü".repeat(40_000);
        FinishedLogin result = new FinishedLogin(pending.key(), pending.stateHint(),
                new LoginOutcome.Succeeded(
                        new Tokens(new AccessToken("a".repeat(4096)),
                                new RefreshToken("r".repeat(4096)), Duration.ofHours(1)),
                        new SoundCloudUser(1, longName, longName, null)),
                T0, T0.plus(RESULT_TTL));
        saveResult(before, result);

        FileSessionStore after = directory.start();

        assertThat(pickUp(after, pending.key(), T0.plusSeconds(1))).isEqualTo(ready(result));
    }

    // --- damage ---------------------------------------------------------------------------------------

    @Test
    void loginWhoseLastRecordIsDamagedIsWithheldRatherThanServedAgain() throws IOException {
        FileSessionStore before = directory.start();
        PendingAuthorization untouched = saved(before, T0);
        PendingAuthorization damaged = saved(before, T0);
        long start = directory.logSize();
        consume(before, damaged.key(), T0.plusSeconds(1));
        PendingAuthorization after1 = saved(before, T0);
        directory.flipByteAt(start + HEADER + 20);

        FileSessionStore after = directory.start();

        // Its consume is unreadable: serving the pending login again could hand its verifier out twice.
        assertThat(consume(after, damaged.key(), T0.plusSeconds(2))).isEqualTo(UNKNOWN);
        assertThat(consume(after, untouched.key(), T0.plusSeconds(2))).isEqualTo(consumed(untouched));
        assertThat(consume(after, after1.key(), T0.plusSeconds(2))).isEqualTo(consumed(after1));
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

        assertThat(pickUp(after, pending.key(), T0.plusSeconds(2))).isEqualTo(ready(result));
        assertThat(directory.events.storeErrors("replay")).isEqualTo(1);
    }

    @Test
    void damagedHeaderWithholdsEveryLoginItCouldHaveChanged() throws IOException {
        FileSessionStore before = directory.start();
        PendingAuthorization waitingBefore = saved(before, T0);
        PendingAuthorization finishedBefore = saved(before, T0);
        finish(before, finishedBefore, T0.plusSeconds(1));
        PendingAuthorization usedBefore = saved(before, T0);
        consume(before, usedBefore.key(), T0.plusSeconds(1));
        PendingAuthorization lost = saved(before, T0);
        long start = directory.logSize();
        consume(before, lost.key(), T0.plusSeconds(1));
        PendingAuthorization savedAfter = saved(before, T0);
        directory.flipByteAt(start + 10);

        FileSessionStore after = directory.start();

        // The unreadable record could have been anyone's consume or pickup: nothing written before it that
        // could still hand something out is served.
        Instant now = T0.plusSeconds(2);
        assertThat(consume(after, waitingBefore.key(), now)).isEqualTo(UNKNOWN);
        assertThat(consume(after, lost.key(), now)).isEqualTo(UNKNOWN);
        assertThat(pickUp(after, finishedBefore.key(), now)).isEqualTo(NOT_READY);
        assertThat(consume(after, usedBefore.key(), now)).isEqualTo(ALREADY_USED);
        assertThat(consume(after, savedAfter.key(), now)).isEqualTo(consumed(savedAfter));
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
        assertThat(consume(after, waiting.key(), now)).isEqualTo(UNKNOWN);
        assertThat(pickUp(after, finished.key(), now)).isEqualTo(NOT_READY);
        assertThat(summaries(after, now)).isEmpty();
        assertThat(directory.events.storeErrors("replay")).as("one per record").isEqualTo(4);

        PendingAuthorization fresh = saved(after, now);
        FileSessionStore again = directory.startWith(otherKey);
        assertThat(consume(again, fresh.key(), now)).isEqualTo(consumed(fresh));
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
            pickUp(store, login.key(), T0);
            expired.add(login);
        }
        PendingAuthorization live = saved(store, T0.plus(Duration.ofMinutes(9)));
        long sizeBefore = directory.logSize();

        assertThat(store.purgeExpired(T0.plus(RESULT_TTL))).isEqualTo(20);

        assertThat(directory.logSize()).isLessThan(sizeBefore / 20);
        for (PendingAuthorization gone : expired) {
            assertThat(directory.written(gone.key())).as("an expired session is still on disk").isFalse();
        }
        assertThat(directory.written(live.key())).isTrue();
        byte[] log = directory.logBytes();
        for (PendingAuthorization any : List.of(live, expired.getFirst())) {
            assertThat(contains(log, keyBytes(any.key()))).as("a rewritten log seals its keys").isFalse();
        }
        FileSessionStore after = directory.start();
        assertThat(consume(after, live.key(), T0.plus(Duration.ofMinutes(10)))).isEqualTo(consumed(live));
        assertThat(pickUp(after, expired.getFirst().key(), T0.plus(RESULT_TTL))).isEqualTo(NOT_READY);
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
            pickUp(store, pending.key(), now.plusSeconds(10));
            written += directory.logSize() - sizeBefore;
            store.purgeExpired(now.plusSeconds(30)); // the service purges every 30 seconds
            largest = Math.max(largest, directory.logSize());
            now = now.plus(Duration.ofMinutes(5));
        }

        assertThat(largest).as("largest log of %d bytes written", written).isLessThan(written / 10);
        assertThat(directory.fileSize()).as("the file: the log and at most one preallocated stretch")
                .isLessThanOrEqualTo(directory.logSize() + FileSessionStore.Options.DEFAULTS.preallocationBytes());
    }

    @Test
    void rewrittenLogIsPreallocatedAgainAndReopensClean() throws IOException {
        directory = compactingEagerly();
        FileSessionStore store = directory.start();
        for (int i = 0; i < 20; i++) {
            PendingAuthorization login = saved(store, T0);
            finish(store, login, T0);
            pickUp(store, login.key(), T0);
        }
        PendingAuthorization live = saved(store, T0.plus(Duration.ofMinutes(9)));
        long before = directory.logSize();
        store.purgeExpired(T0.plus(RESULT_TTL));
        assertThat(directory.logSize()).as("rewritten").isLessThan(before / 20);
        PendingAuthorization afterTheRewrite = saved(store, T0.plus(Duration.ofMinutes(9)));

        assertThat(directory.fileSize()).as("zeros ahead of the new log's records").isGreaterThan(directory.logSize());
        FileSessionStore after = directory.start();
        Instant now = T0.plus(Duration.ofMinutes(10));
        assertThat(consume(after, live.key(), now)).isEqualTo(consumed(live));
        assertThat(consume(after, afterTheRewrite.key(), now)).isEqualTo(consumed(afterTheRewrite));
        assertThat(directory.events.storeErrors).isEmpty();
    }

    @Test
    void rewriteCutShortBeforeItsRenameLeavesTheOldLogInCharge() throws IOException {
        FileSessionStore before = directory.start();
        PendingAuthorization consumedLater = saved(before, T0);
        PendingAuthorization finished = saved(before, T0);
        FinishedLogin result = finish(before, finished, T0.plusSeconds(1));
        Path copy = before.writeCompactedCopy();
        // The copy is written and synced, then the process dies before the rename; the log moved on meanwhile.
        consume(before, consumedLater.key(), T0.plusSeconds(2));

        FileSessionStore after = directory.start();

        assertThat(consume(after, consumedLater.key(), T0.plusSeconds(3))).isEqualTo(ALREADY_USED);
        assertThat(pickUp(after, finished.key(), T0.plusSeconds(3))).isEqualTo(ready(result));
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

        assertThat(consume(after, pending.key(), T0.plusSeconds(1))).isEqualTo(consumed(pending));
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
                assertThat(race(racers, () -> consume(store, pending.key(), T0.plusSeconds(1))))
                        .filteredOn(OAuthSession.Consumption.Consumed.class::isInstance).hasSize(1);
                saveResult(store, Logins.succeeded(pending, T0.plusSeconds(1), RESULT_TTL));
                assertThat(race(racers, () -> pickUp(store, pending.key(), T0.plusSeconds(2))))
                        .filteredOn(OAuthSession.PickUp.Ready.class::isInstance).hasSize(1);
            }
        } finally {
            racers.shutdownNow();
        }

        FileSessionStore after = directory.start();

        for (PendingAuthorization pending : logins) {
            assertThat(consume(after, pending.key(), T0.plusSeconds(3))).isEqualTo(ALREADY_USED);
            assertThat(pickUp(after, pending.key(), T0.plusSeconds(3))).isEqualTo(ALREADY_PICKED_UP);
        }
    }

    @Test
    void closedStoreRefusesToWork() {
        FileSessionStore store = directory.start();
        store.close();

        assertThatThrownBy(() -> create(store, Logins.pending(T0)))
                .isInstanceOf(SessionStoreException.class);
    }

    @Test
    void closedStoreFailsTheWriteProbe() {
        FileSessionStore store = directory.start();
        store.probeWritable();
        store.close();

        assertThatThrownBy(store::probeWritable).isInstanceOf(SessionStoreException.class);
    }

    @Test
    void logDeletedUnderARunningStoreFailsTheWriteProbe() throws IOException {
        FileSessionStore store = directory.start();
        Files.delete(directory.log());

        assertThatThrownBy(store::probeWritable).isInstanceOf(SessionStoreException.class)
                .hasMessageContaining("missing or read-only");
    }

    // --- helpers --------------------------------------------------------------------------------------

    private StoreFixtures.Directory compactingEagerly() {
        return compactingAfter(0);
    }

    private StoreFixtures.Directory compactingAfter(long slack) {
        directory.close();
        return new StoreFixtures.Directory(root.resolve("compacting"), StoreFixtures.newKey(),
                new FileSessionStore.Options(false, slack, FileSessionStore.Options.DEFAULTS.preallocationBytes()));
    }

    private StoreFixtures.Directory preallocating(int bytes) {
        directory.close();
        return new StoreFixtures.Directory(root.resolve("preallocating"), StoreFixtures.newKey(),
                new FileSessionStore.Options(false, StoreFixtures.CRASH_TESTS.compactionSlack(), bytes));
    }

    private static PendingAuthorization saved(FileSessionStore store, Instant createdAt) {
        PendingAuthorization pending = Logins.pending(createdAt);
        assertThat(create(store, pending)).isEqualTo(CREATED);
        return pending;
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
