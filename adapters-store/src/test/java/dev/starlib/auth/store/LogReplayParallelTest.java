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

    private static Map<StateHash, OAuthSession> sessions(LogReplay.Result result) {
        Map<StateHash, OAuthSession> sessions = new HashMap<>();
        result.sessions().forEach((key, session) -> sessions.put(key.hash(), session));
        return sessions;
    }
}
