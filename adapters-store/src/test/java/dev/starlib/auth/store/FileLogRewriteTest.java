package dev.starlib.auth.store;

import dev.starlib.auth.domain.FinishedLogin;
import dev.starlib.auth.domain.PendingAuthorization;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;

import static dev.starlib.auth.store.LoginSteps.ALREADY_PICKED_UP;
import static dev.starlib.auth.store.LoginSteps.ALREADY_USED;
import static dev.starlib.auth.store.LoginSteps.CREATED;
import static dev.starlib.auth.store.LoginSteps.UNKNOWN;
import static dev.starlib.auth.store.LoginSteps.consume;
import static dev.starlib.auth.store.LoginSteps.consumed;
import static dev.starlib.auth.store.LoginSteps.create;
import static dev.starlib.auth.store.LoginSteps.finish;
import static dev.starlib.auth.store.LoginSteps.pickUp;
import static dev.starlib.auth.store.LoginSteps.ready;
import static dev.starlib.auth.store.LoginSteps.saveResult;
import static dev.starlib.auth.store.LoginSteps.summaries;
import static dev.starlib.auth.store.Logins.T0;
import static dev.starlib.auth.store.StoreFixtures.RESULT_TTL;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The file store's rewrite of its log: many sessions sealed to a record ({@link LogPack}), written while changes go
 * on, and read back as the store held them; a pack that cannot be read fails closed. Every "start" opens the
 * directory again while the previous store is still open, as a process would after {@code kill -9}.
 */
class FileLogRewriteTest {

    private static final Instant LATER = T0.plusSeconds(30);

    @TempDir
    Path root;
    private StoreFixtures.Directory directory;

    @BeforeEach
    void createDirectory() {
        directory = withOptions(new FileSessionStore.Options(false, 0,
                FileSessionStore.Options.DEFAULTS.preallocationBytes()));
    }

    /** Room for the sessions of the load below. */
    private static final int CAPACITY = 1_000_000;

    @AfterEach
    void closeStores() {
        directory.close();
    }

    @Test
    void aRewritePacksDozensOfSessionsToARecordAndTheyReadBackAsTheyWere() throws IOException {
        FileSessionStore store = directory.start();
        List<PendingAuthorization> waiting = saved(store, 900);
        List<PendingAuthorization> finished = saved(store, 60);
        List<FinishedLogin> results = new ArrayList<>();
        for (PendingAuthorization login : finished) {
            results.add(finish(store, login, T0.plusSeconds(1)));
        }
        for (int i = 0; i < 20; i++) {
            assertThat(pickUp(store, finished.get(i).key(), T0.plusSeconds(2))).isEqualTo(ready(results.get(i)));
        }

        store.compact();

        List<StoreFixtures.Directory.Written> records = directory.records();
        assertThat(records).allMatch(record -> record.kind() == LogFormat.Kind.PACK);
        assertThat(records.size()).as("records for 960 sessions, some 80 to a pack").isBetween(8, 16);
        assertThat(new HashSet<>(directory.keysWritten())).hasSize(960).hasSameSizeAs(directory.keysWritten());
        FileSessionStore after = directory.start();
        for (PendingAuthorization login : waiting) {
            assertThat(consume(after, login.key(), LATER)).isEqualTo(consumed(login));
        }
        for (int i = 0; i < finished.size(); i++) {
            assertThat(pickUp(after, finished.get(i).key(), LATER))
                    .isEqualTo(i < 20 ? ALREADY_PICKED_UP : ready(results.get(i)));
        }
        assertThat(directory.events.storeErrors).isEmpty();
    }

    @Test
    void changesMadeWhileARewriteCopiesAreInTheNewLogAndTheirWritersAreNotHeldUp() throws Exception {
        FileSessionStore store = directory.start();
        PendingAuthorization consumedMeanwhile = saved(store, 1).getFirst();
        PendingAuthorization finishedMeanwhile = saved(store, 1).getFirst();
        PendingAuthorization pickedUpMeanwhile = saved(store, 1).getFirst();
        FinishedLogin pickedUp = finish(store, pickedUpMeanwhile, T0.plusSeconds(1));
        List<PendingAuthorization> untouched = saved(store, 300);
        List<PendingAuthorization> createdMeanwhile = new ArrayList<>();
        List<FinishedLogin> finishedResult = new ArrayList<>();
        ExecutorService writer = Executors.newSingleThreadExecutor();
        try {
            store.compact(() -> {
                // Another thread, with a deadline: it would wait for the rewrite if the copy held the writers' lock.
                Future<?> changes = writer.submit(() -> {
                    assertThat(consume(store, consumedMeanwhile.key(), T0.plusSeconds(2)))
                            .isEqualTo(consumed(consumedMeanwhile));
                    finishedResult.add(finish(store, finishedMeanwhile, T0.plusSeconds(2)));
                    assertThat(pickUp(store, pickedUpMeanwhile.key(), T0.plusSeconds(2))).isEqualTo(ready(pickedUp));
                    createdMeanwhile.addAll(saved(store, 5));
                    return null;
                });
                try {
                    changes.get(10, SECONDS);
                } catch (Exception e) {
                    throw new AssertionError("changes during a rewrite's copy did not go through", e);
                }
            });
        } finally {
            writer.shutdownNow();
        }

        assertThat(directory.records().getFirst().kind()).as("the log was replaced").isEqualTo(LogFormat.Kind.PACK);
        FileSessionStore after = directory.start();
        assertThat(consume(after, consumedMeanwhile.key(), LATER)).isEqualTo(ALREADY_USED);
        assertThat(pickUp(after, finishedMeanwhile.key(), LATER)).isEqualTo(ready(finishedResult.getFirst()));
        assertThat(pickUp(after, pickedUpMeanwhile.key(), LATER)).isEqualTo(ALREADY_PICKED_UP);
        for (PendingAuthorization login : createdMeanwhile) {
            assertThat(consume(after, login.key(), LATER)).isEqualTo(consumed(login));
        }
        for (PendingAuthorization login : untouched) {
            assertThat(consume(after, login.key(), LATER)).isEqualTo(consumed(login));
        }
        assertThat(directory.events.storeErrors).isEmpty();
    }

    /**
     * Users take their logins step by step while the log is rewritten again and again under them; then a start reads
     * the log as the last process left it. Every step acknowledged is there: the walk over the table met some of the
     * changes and missed others, and the changes kept for the new log make up for both.
     */
    @Test
    void everyStepAcknowledgedDuringRewritesUnderLoadReadsBack() throws Exception {
        FileSessionStore store = directory.start();
        saved(store, 2_000); // enough to copy that a rewrite takes a while
        Map<PendingAuthorization, Object> lastAcknowledged = new ConcurrentHashMap<>();
        AtomicBoolean stop = new AtomicBoolean();
        ExecutorService users = Executors.newFixedThreadPool(4);
        List<Future<?>> running = new ArrayList<>();
        for (int user = 0; user < 4; user++) {
            running.add(users.submit(() -> {
                while (!stop.get()) {
                    PendingAuthorization login = Logins.pending(T0);
                    assertThat(create(store, login)).isEqualTo(CREATED);
                    lastAcknowledged.put(login, "created");
                    if (Math.floorMod(login.stateHint().hashCode(), 4) == 0) {
                        continue;
                    }
                    assertThat(consume(store, login.key(), T0.plusSeconds(1))).isEqualTo(consumed(login));
                    lastAcknowledged.put(login, "consumed");
                    if (Math.floorMod(login.stateHint().hashCode(), 4) == 1) {
                        continue;
                    }
                    FinishedLogin result = Logins.succeeded(login, T0.plusSeconds(1), RESULT_TTL);
                    saveResult(store, result);
                    lastAcknowledged.put(login, result);
                    if (Math.floorMod(login.stateHint().hashCode(), 4) == 2) {
                        continue;
                    }
                    assertThat(pickUp(store, login.key(), T0.plusSeconds(2))).isEqualTo(ready(result));
                    lastAcknowledged.put(login, "picked up");
                }
                return null;
            }));
        }
        try {
            for (int i = 0; i < 12; i++) {
                store.compact();
            }
        } finally {
            stop.set(true);
            users.shutdown();
        }
        for (Future<?> user : running) {
            user.get(30, SECONDS);
        }
        assertThat(lastAcknowledged.size()).as("logins during the rewrites").isGreaterThan(50);

        FileSessionStore after = directory.start();
        for (Map.Entry<PendingAuthorization, Object> entry : lastAcknowledged.entrySet()) {
            PendingAuthorization login = entry.getKey();
            Object expected = entry.getValue();
            if (expected.equals("created")) {
                assertThat(consume(after, login.key(), LATER)).isEqualTo(consumed(login));
            } else if (expected.equals("consumed")) {
                assertThat(consume(after, login.key(), LATER)).isEqualTo(ALREADY_USED);
            } else if (expected instanceof FinishedLogin result) {
                assertThat(pickUp(after, login.key(), LATER)).isEqualTo(ready(result));
            } else {
                assertThat(pickUp(after, login.key(), LATER)).isEqualTo(ALREADY_PICKED_UP);
            }
        }
        assertThat(summaries(after, LATER)).hasSize(2_000 + lastAcknowledged.size());
        assertThat(directory.events.storeErrors).isEmpty();
    }

    /**
     * A pack that fails its CRC, or passes it but not its GCM tag, is lost whole, and since whose sessions it held is
     * sealed inside it, every session written before it that could still hand something out is withheld: one of
     * the lost puts may have been a later step of it. Single records after it are served.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"damaged (CRC)", "tampered (CRC made to match, GCM tag fails)"})
    void anUnreadablePackServesNoneOfItsSessionsAndWithholdsWhatMayHaveChangedBefore(String how) throws IOException {
        FileSessionStore store = directory.start();
        List<PendingAuthorization> logins = saved(store, 1_500);
        PendingAuthorization pickedUp = logins.getFirst();
        finish(store, pickedUp, T0.plusSeconds(1));
        pickUp(store, pickedUp.key(), T0.plusSeconds(1));
        store.compact();
        PendingAuthorization afterTheRewrite = saved(store, 1).getFirst();
        List<StoreFixtures.Directory.Written> records = directory.records();
        assertThat(records.size()).as("packs, then one record").isGreaterThan(3);
        StoreFixtures.Directory.Written lastPack = records.get(records.size() - 2);
        assertThat(lastPack.kind()).isEqualTo(LogFormat.Kind.PACK);
        boolean pickedUpIsLost = directory.keysIn(lastPack).contains(SessionTable.Key.of(pickedUp.key()));
        byte[] bytes = directory.logBytes();
        int body = (int) lastPack.position() + LogFormat.HEADER_BYTES;
        bytes[body + 40] ^= 0x01;
        if (how.startsWith("tampered")) {
            ByteBuffer.wrap(bytes, body + lastPack.bodyLength(), 4).putInt(LogFormat.crc(bytes, body,
                    lastPack.bodyLength()));
        }
        Files.write(directory.log(), bytes);

        FileSessionStore after = directory.start();

        assertThat(consume(after, afterTheRewrite.key(), LATER)).isEqualTo(consumed(afterTheRewrite));
        for (PendingAuthorization login : logins.subList(1, logins.size())) {
            assertThat(consume(after, login.key(), LATER)).as("a pending login before or in the lost pack")
                    .isEqualTo(UNKNOWN);
        }
        assertThat(summaries(after, LATER)).as("what hands nothing out stays, unless it was in the lost pack")
                .hasSize(pickedUpIsLost ? 1 : 2);
        assertThat(directory.events.storeErrors("replay")).isEqualTo(1);
    }

    @Test
    void closingWhileARewriteRunsLeavesAWholeLogAndNoHalfWrittenCopy() throws Exception {
        FileSessionStore store = directory.start();
        List<PendingAuthorization> logins = saved(store, 3_000);
        CompletableFuture<Void> rewrite = CompletableFuture.runAsync(() -> {
            try {
                store.compact();
            } catch (IOException | RuntimeException e) {
                // Closed under it: the store says so; what matters is what the directory holds after.
            }
        });
        store.close();
        rewrite.get(30, SECONDS);

        assertThat(directory.path.resolve(FileSessionStore.COMPACTING_FILE)).doesNotExist();
        FileSessionStore after = directory.start();
        assertThat(summaries(after, LATER)).hasSize(logins.size());
        assertThat(consume(after, logins.getLast().key(), LATER)).isEqualTo(consumed(logins.getLast()));
    }

    private StoreFixtures.Directory withOptions(FileSessionStore.Options options) {
        return new StoreFixtures.Directory(root.resolve("sessions-" + System.nanoTime()), StoreFixtures.newKey(),
                options, CAPACITY);
    }

    private static List<PendingAuthorization> saved(FileSessionStore store, int count) {
        List<PendingAuthorization> logins = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            PendingAuthorization pending = Logins.pending(T0);
            assertThat(create(store, pending)).isEqualTo(CREATED);
            logins.add(pending);
        }
        return logins;
    }

}
