package dev.starlib.auth.store;

import dev.starlib.auth.domain.OAuthSession;
import dev.starlib.auth.domain.StateHash;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.Map;

import static dev.starlib.auth.store.Logins.PENDING_TTL;
import static dev.starlib.auth.store.Logins.T0;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A large log is opened by decoder threads, a small one in the reading thread: both must read exactly the same
 * sessions, and skip and withhold exactly the same, whatever the log holds (history, finished logins with tokens,
 * damaged bodies, damaged headers, a torn tail). The recovery tests pin down what is withheld and why; this pins
 * the parallel read to the same answers.
 */
class LogReplayParallelTest {

    @TempDir
    Path directory;

    @Test
    void decoderThreadsReadWhatOneThreadReads() throws IOException {
        StoreKey key = StoreFixtures.newKey();
        LargeLog.write(directory, key, 12_000, LargeLog.Shape.HALF_FINISHED_WITH_HISTORY, T0, PENDING_TTL);
        Path log = directory.resolve(FileSessionStore.LOG_FILE);
        long size = Files.size(log);
        try (RandomAccessFile file = new RandomAccessFile(log.toFile(), "rw")) {
            for (long offset : new long[]{size / 7, size / 3, size / 2 + 11, (2 * size) / 3}) {
                file.seek(offset);
                int original = file.read();
                file.seek(offset);
                file.write(original ^ 0x5A);
            }
            file.setLength(size - 17); // a torn tail
        }

        LogReplay.Result oneThread = LogReplay.read(log, () -> new Sealer(key, new SecureRandom()), Long.MAX_VALUE);
        LogReplay.Result decoders = LogReplay.read(log, () -> new Sealer(key, new SecureRandom()), 0);

        assertThat(oneThread.skipped().records()).as("the harm done").isGreaterThanOrEqualTo(5);
        assertThat(oneThread.skipped().withheld()).as("sessions a damaged record may have changed").isPositive();
        assertThat(decoders.skipped()).isEqualTo(oneThread.skipped());
        assertThat(decoders.records()).isEqualTo(oneThread.records());
        assertThat(decoders.appToken()).isEqualTo(oneThread.appToken());
        assertThat(sessions(decoders)).hasSize(oneThread.sessions().size()).isEqualTo(sessions(oneThread));
        assertThat(decoders.sessions().counts(T0)).isEqualTo(oneThread.sessions().counts(T0));
        assertThat(decoders.sessions().oldest(T0, 50)).isEqualTo(oneThread.sessions().oldest(T0, 50));
    }

    /**
     * Batches are filled again once applied, and each decoder opens records into a buffer it keeps: a log of many
     * batches whose records swing between small and large (a pending login after a finished one with 4 KiB tokens)
     * must still read back exactly what was written, key by key, in both ways of reading.
     */
    @Test
    void reusedBatchesAndBuffersReadBackExactlyWhatWasWritten() throws IOException {
        StoreKey key = StoreFixtures.newKey();
        Sealer sealer = new Sealer(key, new SecureRandom());
        Path log = directory.resolve(FileSessionStore.LOG_FILE);
        Map<StateHash, OAuthSession> written = new HashMap<>();
        java.util.List<byte[]> records = new java.util.ArrayList<>();
        for (int i = 0; i < 9_000; i++) {
            dev.starlib.auth.domain.PendingAuthorization pending = Logins.pending(T0.plusNanos(i * 1_000L));
            OAuthSession session = i % 3 == 1
                    ? new OAuthSession.Finished(withLongTokens(pending, i), Logins.FRONTEND_ORIGIN)
                    : new OAuthSession.Pending(pending);
            records.add(LogFormat.encode(LogFormat.Kind.PUT, pending.key(), SessionCodec.encode(session), sealer));
            written.put(pending.key(), session);
            if (i % 5 == 4) { // and now and then gone again
                records.add(LogFormat.encode(LogFormat.Kind.REMOVE, pending.key(), new byte[0], sealer));
                written.remove(pending.key());
            }
        }
        writeNewLog(log, records);

        for (long parallelFrom : new long[]{Long.MAX_VALUE, 0}) {
            LogReplay.Result read = LogReplay.read(log, () -> new Sealer(key, new SecureRandom()), parallelFrom);
            assertThat(read.skipped().any()).isFalse();
            assertThat(sessions(read)).as("read back, decoders from %d bytes", parallelFrom).isEqualTo(written);
        }
    }

    /**
     * A rewritten log is packs, followed by the single records of what changed since; a later rewrite's packs may
     * come after those. Wherever a key's puts lie, in a pack or not, the last one wins, in both ways of reading; and
     * a damaged pack is skipped, and withholds, the same way in both.
     */
    @Test
    void packsAmongSingleRecordsReadBackTheLastOfEachKeyBothWays() throws IOException {
        StoreKey key = StoreFixtures.newKey();
        Sealer sealer = new Sealer(key, new SecureRandom());
        Path log = directory.resolve(FileSessionStore.LOG_FILE);
        Map<StateHash, OAuthSession> written = new HashMap<>();
        java.util.List<byte[]> records = new java.util.ArrayList<>();
        LogPack.Packer packer = new LogPack.Packer(sealer, records::add);
        java.util.List<dev.starlib.auth.domain.PendingAuthorization> logins = new java.util.ArrayList<>();
        for (int i = 0; i < 30_000; i++) {
            dev.starlib.auth.domain.PendingAuthorization pending = Logins.pending(T0.plusNanos(i * 1_000L));
            logins.add(pending);
            OAuthSession session = i % 50 == 7
                    ? new OAuthSession.Finished(withLongTokens(pending, i), Logins.FRONTEND_ORIGIN)
                    : new OAuthSession.Pending(pending);
            packer.add(LogFormat.Kind.PUT, SessionTable.Key.of(pending.key()), SessionCodec.encode(session));
            written.put(pending.key(), session);
        }
        packer.flush();
        for (int i = 0; i < logins.size(); i += 3) { // what changed after the rewrite: single records
            dev.starlib.auth.domain.PendingAuthorization pending = logins.get(i);
            if (i % 2 == 0) {
                records.add(LogFormat.encode(LogFormat.Kind.REMOVE, pending.key(), new byte[0], sealer));
                written.remove(pending.key());
            } else {
                OAuthSession finished = new OAuthSession.Finished(withLongTokens(pending, i), Logins.FRONTEND_ORIGIN);
                records.add(LogFormat.encode(LogFormat.Kind.PUT, pending.key(), SessionCodec.encode(finished), sealer));
                written.put(pending.key(), finished);
            }
        }
        for (int i = 1; i < logins.size(); i += 3) { // and a later rewrite's packs of some of them again
            dev.starlib.auth.domain.PendingAuthorization pending = logins.get(i);
            OAuthSession again = new OAuthSession.Pending(pending);
            packer.add(LogFormat.Kind.PUT, SessionTable.Key.of(pending.key()), SessionCodec.encode(again));
            written.put(pending.key(), again);
        }
        packer.flush();
        writeNewLog(log, records);

        for (long parallelFrom : new long[]{Long.MAX_VALUE, 0}) {
            LogReplay.Result read = LogReplay.read(log, () -> new Sealer(key, new SecureRandom()), parallelFrom);
            assertThat(read.skipped().any()).isFalse();
            assertThat(sessions(read)).as("read back, decoders from %d bytes", parallelFrom).isEqualTo(written);
            assertThat(read.records()).as("a pack's puts count as records").isEqualTo(30_000 + 10_000 + 10_000);
        }

        try (RandomAccessFile file = new RandomAccessFile(log.toFile(), "rw")) {
            long inTheFirstPack = LogFormat.HEADER_BYTES + 100;
            file.seek(inTheFirstPack);
            int original = file.read();
            file.seek(inTheFirstPack);
            file.write(original ^ 0x5A);
        }
        LogReplay.Result oneThread = LogReplay.read(log, () -> new Sealer(key, new SecureRandom()), Long.MAX_VALUE);
        LogReplay.Result decoders = LogReplay.read(log, () -> new Sealer(key, new SecureRandom()), 0);
        assertThat(oneThread.skipped().damaged()).isEqualTo(1);
        assertThat(decoders.skipped()).isEqualTo(oneThread.skipped());
        assertThat(sessions(decoders)).isEqualTo(sessions(oneThread)).hasSizeLessThan(written.size());
    }

    /** A new log of exactly these records, large enough that reading it takes many batches. */
    private static void writeNewLog(Path log, java.util.List<byte[]> records) throws IOException {
        PrivateFiles.createFile(log);
        try (LogWriter writer = LogWriter.append(log)) {
            writer.appendAll(records);
        }
        assertThat(Files.size(log)).as("several megabytes: many batches").isGreaterThan(8L << 20);
    }

    private static dev.starlib.auth.domain.FinishedLogin withLongTokens(
            dev.starlib.auth.domain.PendingAuthorization pending, int i) {
        String padding = "x".repeat(3_900 + i % 97);
        dev.starlib.auth.domain.Tokens tokens = new dev.starlib.auth.domain.Tokens(
                new dev.starlib.auth.domain.AccessToken("2-" + i + "-" + padding),
                new dev.starlib.auth.domain.RefreshToken("r-" + i + "-" + padding), java.time.Duration.ofHours(1));
        dev.starlib.auth.domain.SoundCloudUser user = new dev.starlib.auth.domain.SoundCloudUser(i, "User " + i,
                "user-" + i, "https://i1.sndcdn.com/avatars-" + i + "-large.jpg");
        return new dev.starlib.auth.domain.FinishedLogin(pending.key(), pending.stateHint(),
                new dev.starlib.auth.domain.LoginOutcome.Succeeded(tokens, user), T0, T0.plusSeconds(120));
    }

    private static Map<StateHash, OAuthSession> sessions(LogReplay.Result result) {
        Map<StateHash, OAuthSession> sessions = new HashMap<>();
        result.sessions().forEach((key, session) -> sessions.put(key.hash(), session));
        return sessions;
    }
}
