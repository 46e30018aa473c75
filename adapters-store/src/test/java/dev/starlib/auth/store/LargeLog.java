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
        write(directory, key, sessions, shape, now, pendingTtl, sessions);
    }

    /**
     * As the store leaves a log: the first {@code sessions - singleRecords} sessions packed, as its last rewrite wrote
     * them, and the rest one record each, as it wrote what came after. {@code singleRecords == sessions}: a log that
     * was never rewritten.
     */
    public static void write(Path directory, String keyBase64, int sessions, Shape shape, Instant now,
                             Duration pendingTtl, int singleRecords) throws IOException {
        write(directory, StoreKey.fromBase64(keyBase64), sessions, shape, now, pendingTtl, singleRecords);
    }

    static void write(Path directory, StoreKey key, int sessions, Shape shape, Instant now, Duration pendingTtl,
                      int singleRecords) throws IOException {
        Objects.requireNonNull(shape, "shape");
        if (singleRecords < 0 || singleRecords > sessions) {
            throw new IllegalArgumentException("single records must be between 0 and the sessions");
        }
        Sealer sealer = new Sealer(key, new SecureRandom());
        PrivateFiles.createOrTightenDirectory(directory);
        Path log = directory.resolve(FileSessionStore.LOG_FILE);
        PrivateFiles.createFile(log);
        SoundCloudUser user = new SoundCloudUser(123456789, "Benchmark User", "benchmark-user",
                "https://i1.sndcdn.com/avatars-000123456789-abcdef-large.jpg");
        List<byte[]> records = new ArrayList<>();
        LogPack.Packer packer = new LogPack.Packer(sealer, records::add);
        int packed = sessions - singleRecords;
        try (LogWriter writer = LogWriter.append(log)) {
            for (int i = 0; i < sessions; i++) {
                if (i == packed) {
                    packer.flush();
                }
                // Bounded memory at a million sessions: hand the records over in batches (25 packs hold some 2,000
                // sessions), sync once at the end.
                if (records.size() >= 10_000 || records.size() >= 25 && i < packed) {
                    for (byte[] record : records) {
                        writer.add(record);
                    }
                    records.clear();
                }
                // Each login at an instant of its own, 10 µs apart and the last one at now, as a store that took them
                // one by one holds them (all at one instant, they would sort by key alone: no running store writes
                // that).
                Instant startedAt = now.minusNanos((sessions - 1L - i) * 10_000L);
                PendingAuthorization pending = Logins.pending(startedAt, pendingTtl);
                if (i < packed) { // a rewrite copies what each key holds, no history
                    OAuthSession session = shape == Shape.PENDING || i % 2 == 0 ? new OAuthSession.Pending(pending)
                            : new OAuthSession.Finished(finished(pending, i, user, startedAt), Logins.FRONTEND_ORIGIN);
                    packer.add(LogFormat.Kind.PUT, SessionTable.Key.of(pending.key()), SessionCodec.encode(session));
                    continue;
                }
                byte[] pendingRecord = LogFormat.encode(LogFormat.Kind.PUT, pending.key(),
                        SessionCodec.encode(new OAuthSession.Pending(pending)), sealer);
                if (shape == Shape.PENDING || i % 2 == 0) {
                    records.add(pendingRecord);
                } else {
                    if (shape == Shape.HALF_FINISHED_WITH_HISTORY) {
                        records.add(pendingRecord);
                    }
                    records.add(LogFormat.encode(LogFormat.Kind.PUT, pending.key(), SessionCodec.encode(
                            new OAuthSession.Finished(finished(pending, i, user, startedAt), Logins.FRONTEND_ORIGIN)),
                            sealer));
                }
            }
            packer.flush();
            writer.appendAll(records); // and the one sync
        }
    }

    private static FinishedLogin finished(PendingAuthorization pending, int i, SoundCloudUser user, Instant startedAt) {
        Tokens tokens = new Tokens(new AccessToken("2-290059-" + i + "-Ab3dEfGhIjKlMnOp"),
                new RefreshToken("Qr5tUvWxYz0123456789abcdef" + i), Duration.ofHours(1));
        return new FinishedLogin(pending.key(), pending.stateHint(), new LoginOutcome.Succeeded(tokens, user),
                startedAt, startedAt.plus(RESULT_TTL));
    }
}
