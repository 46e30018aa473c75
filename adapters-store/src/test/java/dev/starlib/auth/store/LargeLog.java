package dev.starlib.auth.store;

import dev.starlib.auth.domain.AccessToken;
import dev.starlib.auth.domain.FinishedLogin;
import dev.starlib.auth.domain.LoginOutcome;
import dev.starlib.auth.domain.OAuthSession;
import dev.starlib.auth.domain.PendingAuthorization;
import dev.starlib.auth.domain.RefreshToken;
import dev.starlib.auth.domain.SoundCloudUser;
import dev.starlib.auth.domain.Tokens;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A file store's log with many sessions, written directly in the store's own record format with one sync for
 * all: building it through the store, one fsync per session, would take hours at a million and measure only the
 * disk. Used by {@link FileSessionStoreBenchmark} and by the bench module, which opens such logs in the packaged
 * service to time its start and its operator pages at 10^3..10^6 sessions.
 */
public final class LargeLog {

    /** What the log holds. */
    public enum Shape {
        /** Only logins waiting for SoundCloud: what a burst of abandoned sign-ins leaves. */
        PENDING,
        /** Half pending, half finished with tokens. */
        HALF_FINISHED,
        /** As {@link #HALF_FINISHED}, and each finished login also has its superseded pending record. */
        HALF_FINISHED_WITH_HISTORY
    }

    private static final Duration RESULT_TTL = Duration.ofMinutes(2);

    private LargeLog() {
    }

    /** Writes the log into {@code directory} (created 0700 if missing), sealed under the base64 key. */
    public static void write(Path directory, String keyBase64, int sessions, Shape shape, Instant now,
                             Duration pendingTtl) throws IOException {
        write(directory, StoreKey.fromBase64(keyBase64), sessions, shape, now, pendingTtl);
    }

    static void write(Path directory, StoreKey key, int sessions, Shape shape, Instant now, Duration pendingTtl)
            throws IOException {
        Objects.requireNonNull(shape, "shape");
        Sealer sealer = new Sealer(key, new SecureRandom());
        PrivateFiles.createOrTightenDirectory(directory);
        Path log = directory.resolve(FileSessionStore.LOG_FILE);
        PrivateFiles.createFile(log);
        SoundCloudUser user = new SoundCloudUser(123456789, "Benchmark User", "benchmark-user",
                "https://i1.sndcdn.com/avatars-000123456789-abcdef-large.jpg");
        List<byte[]> records = new ArrayList<>();
        try (LogWriter writer = LogWriter.append(log)) {
            for (int i = 0; i < sessions; i++) {
                // Each login at an instant of its own, 10 µs apart and the last one at now, as a store that took them
                // one by one holds them (all at one instant, they would sort by key alone: no running store writes
                // that).
                Instant startedAt = now.minusNanos((sessions - 1L - i) * 10_000L);
                PendingAuthorization pending = Logins.pending(startedAt, pendingTtl);
                byte[] pendingRecord = LogFormat.encode(LogFormat.Kind.PUT, pending.key(),
                        SessionCodec.encode(new OAuthSession.Pending(pending)), sealer);
                if (shape == Shape.PENDING || i % 2 == 0) {
                    records.add(pendingRecord);
                } else {
                    if (shape == Shape.HALF_FINISHED_WITH_HISTORY) {
                        records.add(pendingRecord);
                    }
                    Tokens tokens = new Tokens(new AccessToken("2-290059-" + i + "-Ab3dEfGhIjKlMnOp"),
                            new RefreshToken("Qr5tUvWxYz0123456789abcdef" + i), Duration.ofHours(1));
                    FinishedLogin finished = new FinishedLogin(pending.key(), pending.stateHint(),
                            new LoginOutcome.Succeeded(tokens, user), startedAt, startedAt.plus(RESULT_TTL));
                    records.add(LogFormat.encode(LogFormat.Kind.PUT, pending.key(),
                            SessionCodec.encode(new OAuthSession.Finished(finished, Logins.FRONTEND_ORIGIN)), sealer));
                }
                // Bounded memory at a million sessions: hand the records over in batches, sync once at the end.
                if (records.size() >= 10_000) {
                    writer.appendAll(records);
                    records.clear();
                }
            }
            writer.appendAll(records);
        }
    }
}
