package dev.starlib.auth.store;

import dev.starlib.auth.application.port.AppTokenVault;
import dev.starlib.auth.application.port.AuthEvents;
import dev.starlib.auth.application.port.SessionInventory;
import dev.starlib.auth.application.port.SessionStore;
import dev.starlib.auth.application.port.SessionStoreException;
import dev.starlib.auth.domain.AppTokenState;
import dev.starlib.auth.domain.OAuthSession;
import dev.starlib.auth.domain.SessionCounts;
import dev.starlib.auth.domain.SessionSummary;
import dev.starlib.auth.domain.StateHash;
import dev.starlib.auth.domain.Step;
import dev.starlib.auth.domain.Transition;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Stream;

import static java.lang.System.Logger.Level.ERROR;
import static java.lang.System.Logger.Level.INFO;
import static java.lang.System.Logger.Level.WARNING;

/**
 * Sessions in an append-only log on disk, so that a restart or a crash loses no login that a client was told
 * about. Every change, removals included, is one record, sealed with AES-GCM and on disk (fsync) before the
 * call returns; the sessions live in memory as well, always equal to what reading the log back gives, and are
 * rebuilt from it at start. When most of the log is
 * history, {@link #purgeExpired} rewrites it with just the live sessions. See
 * {@code docs/decisions/0002-file-session-store.md}.
 * <p>
 * Calls are serialised by one lock, held across the fsync: logins are human-paced and a sync takes well under
 * a millisecond on an SSD, and one order of changes in memory and on disk is easy to reason about.
 * <p>
 * An I/O error while writing stops the store: it cannot know what reached the disk, so every later call
 * fails with {@link SessionStoreException} until a restart reads the log again.
 * <p>
 * The app token is kept in the same log, sealed the same way, so that a restart or a crash costs no new grant. A
 * renewal holds a lock of its own while it waits for SoundCloud, never the log lock: logins go on meanwhile.
 */
public final class FileSessionStore implements SessionStore, SessionInventory, AppTokenVault, AutoCloseable {

    static final String LOG_FILE = "sessions.log";
    static final String COMPACTING_FILE = "sessions.log.compacting";

    private static final System.Logger LOG = System.getLogger(FileSessionStore.class.getName());
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final byte[] NOTHING = new byte[0];

    /**
     * @param lockDirectory     take the directory's lock, as every real process must; crash tests that reopen
     *                          a store in the same JVM cannot, since a lock only dies with its process
     * @param compactionSlack   how many records of history the log may carry beyond its live sessions
     *                          before {@link #purgeExpired} rewrites it
     */
    record Options(boolean lockDirectory, long compactionSlack) {
        static final Options DEFAULTS = new Options(true, 10_000);
    }

    private final Path directory;
    private final Path logFile;
    private final int capacity;
    private final AuthEvents events;
    private final Options options;
    private final Sealer sealer;
    private final DirectoryLock directoryLock;
    private final SessionTable sessions;
    private final ReentrantLock lock = new ReentrantLock();
    private final PendingPlaces places = new PendingPlaces();
    /** Held while an app token renewal runs (it may wait for SoundCloud); taken before {@link #lock}, never after. */
    private final ReentrantLock renewing = new ReentrantLock();
    private LogWriter log;
    /** What the log says of the app token, or {@code null}: none yet. Guarded by {@link #lock}. */
    private AppTokenState appToken;
    private long recordsInLog;
    /** Why the store refuses to work, or {@code null} while it works. */
    private String stopped;

    private FileSessionStore(Path directory, int capacity, AuthEvents events, Options options,
                             Sealer sealer, DirectoryLock directoryLock, LogReplay.Result replay, LogWriter log) {
        this.directory = directory;
        this.logFile = directory.resolve(LOG_FILE);
        this.capacity = capacity;
        this.events = events;
        this.options = options;
        this.sealer = sealer;
        this.directoryLock = directoryLock;
        this.sessions = new SessionTable(replay.sessions().size());
        replay.sessions().forEach((hash, session) -> {
            SessionTable.Key key = SessionTable.Key.of(hash);
            sessions.insert(key, session);
            places.restore(key, session);
        });
        this.appToken = replay.appToken().orElse(null);
        this.recordsInLog = replay.records();
        this.log = log;
    }

    /**
     * Opens the store in {@code directory}, creating it (0700) on first use, and reads back every session.
     * Records that are torn, damaged or sealed under another key are skipped, counted through
     * {@link AuthEvents#storeError} and logged; they never stop the start.
     *
     * @param key       the key sessions are sealed under; empty: the one in {@code store.key} in the directory,
     *                  created on first use
     * @param capacity  how many sessions, in any stage, may be held at once
     * @throws SessionStoreException when the directory cannot be used: not writable, locked by another
     *                               process, a key file that is not a key
     */
    public static FileSessionStore open(Path directory, Optional<StoreKey> key, int capacity, AuthEvents events) {
        return open(directory, key, capacity, events, Options.DEFAULTS);
    }

    static FileSessionStore open(Path directory, Optional<StoreKey> key, int capacity, AuthEvents events,
                                 Options options) {
        Objects.requireNonNull(directory, "directory");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(events, "events");
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1");
        }
        DirectoryLock directoryLock = null;
        LogWriter log = null;
        try {
            PrivateFiles.requirePosix(directory);
            if (PrivateFiles.createOrTightenDirectory(directory)) {
                LOG.log(WARNING, "session store " + directory + " was open to other users; now rwx------");
            }
            directoryLock = options.lockDirectory() ? DirectoryLock.acquire(directory) : null;
            Sealer sealer = new Sealer(key.isPresent() ? key.get() : keyFromFile(directory), RANDOM);
            // A rewrite that a crash cut short: the log it was to replace is still whole.
            Files.deleteIfExists(directory.resolve(COMPACTING_FILE));
            Path logFile = directory.resolve(LOG_FILE);
            if (Files.notExists(logFile)) {
                PrivateFiles.createFile(logFile);
                PrivateFiles.syncDirectory(directory);
            } else if (PrivateFiles.tighten(logFile, PrivateFiles.FILE)) {
                LOG.log(WARNING, "session log " + logFile + " was readable by other users; now rw-------");
            }
            long started = System.nanoTime();
            LogReplay.Result replay = LogReplay.read(logFile, sealer);
            log = LogWriter.append(logFile);
            report(directory, replay, log.size(), Duration.ofNanos(System.nanoTime() - started), events);
            FileSessionStore store = new FileSessionStore(directory, capacity, events, options, sealer,
                    directoryLock, replay, log);
            log = null;
            directoryLock = null; // the store owns them now
            if (replay.skipped().any() || replay.appTokenWithheld() || store.hasTooMuchHistory()) {
                try {
                    // Leaves no torn or damaged bytes for the next record to follow.
                    store.compact();
                } catch (IOException | RuntimeException e) {
                    store.close();
                    throw e;
                }
            }
            return store;
        } catch (IOException | RuntimeException e) {
            closeQuietly(log);
            closeQuietly(directoryLock);
            String reason = e instanceof IOException ? String.valueOf(e.getMessage()) : e.toString();
            throw new SessionStoreException("cannot open the session store in " + directory + ": " + reason, e);
        }
    }

    @Override
    public Creation create(OAuthSession.Pending session, int pendingPerClient) {
        Objects.requireNonNull(session, "session");
        SessionTable.Key key = SessionTable.Key.of(session.key());
        lock.lock();
        try {
            requireWorking();
            Optional<Instant> quotaFull = places.take(key, session, pendingPerClient, session.since(), sessions);
            if (quotaFull.isPresent()) {
                return new Creation.QuotaExceeded(pendingPerClient, quotaFull.get());
            }
            try {
                return createWithinCapacity(key, session);
            } catch (RuntimeException e) {
                places.giveBack(key, session);
                throw e;
            }
        } finally {
            lock.unlock();
        }
    }

    private Creation createWithinCapacity(SessionTable.Key key, OAuthSession.Pending session) {
        if (sessions.size() >= capacity) {
            dropExpired(session.since());
            if (sessions.size() >= capacity) {
                places.giveBack(key, session);
                return new Creation.Full(capacity);
            }
        }
        if (sessions.contains(session.key())) {
            throw new IllegalStateException("a session is already stored under state " + session.stateHint() + "…");
        }
        write(key, session.key(), session);
        return new Creation.Created();
    }

    /**
     * Applies the transition under the lock; a changed or removed session is on disk before the answer is
     * returned, so that what is in memory is always what a restart would read back.
     */
    @Override
    public <A> A update(StateHash key, Transition<A> transition) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(transition, "transition");
        lock.lock();
        try {
            requireWorking();
            Step<A> step = transition.apply(sessions.get(key));
            if (step.changes()) {
                write(SessionTable.Key.of(key), key, step.kept().orElse(null));
            }
            return step.answer();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Forgets every session whose time is up, on disk too, and rewrites the log when most of it is history, so
     * that the file stays about as large as its sessions.
     */
    public int purgeExpired(Instant now) {
        Objects.requireNonNull(now, "now");
        lock.lock();
        try {
            requireWorking();
            int purged = dropExpired(now);
            places.prune(now, sessions);
            if (hasTooMuchHistory()) {
                compactOrCarryOn();
            }
            return purged;
        } finally {
            lock.unlock();
        }
    }

    /** From the table's counters, without the lock: the same cost at a million sessions as at a hundred. */
    @Override
    public SessionCounts counts(Instant now) {
        return sessions.counts(now);
    }

    /** From the head of the table's index by age, without the lock. */
    @Override
    public List<SessionSummary> oldest(Instant now, int limit) {
        return sessions.oldest(now, limit);
    }

    /**
     * Fails once the store has stopped, and when the log file is gone or read-only: appends to an open but
     * deleted file would seem to work and be lost at the next start.
     */
    @Override
    public void probeWritable() {
        lock.lock();
        try {
            requireWorking();
            if (!Files.isWritable(logFile)) {
                throw new SessionStoreException("the session log " + logFile + " is missing or read-only", null);
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public Optional<AppTokenState> read() {
        lock.lock();
        try {
            requireWorking();
            return Optional.ofNullable(appToken);
        } finally {
            lock.unlock();
        }
    }

    /**
     * One renewal at a time (one process per directory: {@code store.lock}); what it returns is on disk before this
     * returns, unless it returned what it was given.
     */
    @Override
    public AppTokenState renew(Renewal renewal) {
        Objects.requireNonNull(renewal, "renewal");
        renewing.lock();
        try {
            Optional<AppTokenState> current = read();
            AppTokenState next = Objects.requireNonNull(renewal.apply(current), "a renewal returns what to keep");
            if (current.isEmpty() || next != current.get()) {
                writeAppToken(next);
            }
            return next;
        } finally {
            renewing.unlock();
        }
    }

    /** Lets go of the files. Nothing needs saving: every change was on disk before its call returned. */
    @Override
    public void close() {
        lock.lock();
        try {
            if (stopped == null) {
                stopped = "it was closed";
            }
            closeQuietly(log);
            closeQuietly(directoryLock);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public String toString() {
        return "FileSessionStore[directory=" + directory + ", capacity=" + capacity + ", sessions=" + sessions.size() + "]";
    }

    /** Records what {@code key} holds from now on ({@code null}: nothing), durably, then holds it in memory. */
    private void write(SessionTable.Key key, StateHash hash, OAuthSession next) {
        byte[] record = next == null
                ? LogFormat.encode(LogFormat.Kind.REMOVE, hash, NOTHING, sealer)
                : LogFormat.encode(LogFormat.Kind.PUT, hash, SessionCodec.encode(next), sealer);
        try {
            log.append(record);
        } catch (IOException e) {
            throw stop("write", e);
        }
        recordsInLog++;
        sessions.put(key, next);
    }

    private void writeAppToken(AppTokenState next) {
        lock.lock();
        try {
            requireWorking();
            try {
                log.append(appTokenRecord(next));
            } catch (IOException e) {
                throw stop("write", e);
            }
            recordsInLog++;
            appToken = next;
        } finally {
            lock.unlock();
        }
    }

    private byte[] appTokenRecord(AppTokenState state) {
        return LogFormat.encode(LogFormat.Kind.APP_TOKEN, LogFormat.APP_TOKEN_KEY, AppTokenCodec.encode(state), sealer);
    }

    /** What the log must keep: the sessions, and the app token if there is one. */
    private int liveRecords() {
        return sessions.size() + (appToken == null ? 0 : 1);
    }

    /**
     * Removes the expired sessions, on disk too (one sync for all), so that a restart finds them gone. Visits only
     * what expired (the table's expiry index).
     */
    private int dropExpired(Instant now) {
        List<SessionTable.Key> expired = sessions.expiredAt(now);
        if (expired.isEmpty()) {
            return 0;
        }
        try {
            log.appendAll(() -> expired.stream()
                    .map(key -> LogFormat.encode(LogFormat.Kind.REMOVE, key.hash(), NOTHING, sealer))
                    .iterator());
        } catch (IOException e) {
            throw stop("write", e);
        }
        recordsInLog += expired.size();
        expired.forEach(key -> sessions.put(key, null));
        return expired.size();
    }

    private boolean hasTooMuchHistory() {
        long history = recordsInLog - liveRecords();
        return history > Math.max(liveRecords(), options.compactionSlack());
    }

    /** A rewrite that fails before it replaces the log leaves the log as it was, still good to append to. */
    private void compactOrCarryOn() {
        Path fresh;
        try {
            fresh = writeCompactedCopy();
        } catch (IOException e) {
            events.storeError("compact");
            LOG.log(WARNING, "session store " + directory + ": rewriting the log failed (" + e.getMessage()
                    + "); it keeps growing until a later purge succeeds");
            return;
        }
        try {
            install(fresh);
        } catch (IOException e) {
            throw stop("compact", e);
        }
    }

    void compact() throws IOException {
        install(writeCompactedCopy());
    }

    /** The first half of a rewrite: the live sessions and the app token, freshly sealed, in a new file on disk. */
    Path writeCompactedCopy() throws IOException {
        Path fresh = directory.resolve(COMPACTING_FILE);
        Files.deleteIfExists(fresh);
        PrivateFiles.createFile(fresh);
        try (LogWriter writer = LogWriter.append(fresh)) {
            writer.appendAll(() -> Stream.concat(
                    Optional.ofNullable(appToken).map(this::appTokenRecord).stream(),
                    sessions.stream().map(entry -> LogFormat.encode(LogFormat.Kind.PUT, entry.getKey().hash(),
                            SessionCodec.encode(entry.getValue()), sealer)))
                    .iterator());
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(fresh);
            throw e;
        }
        return fresh;
    }

    /**
     * The second half: the new file takes the log's name in one atomic rename, made durable by syncing the
     * directory. From the rename on, appending to the old file would be lost, so a failure here stops the store.
     */
    private void install(Path fresh) throws IOException {
        Files.move(fresh, logFile, StandardCopyOption.ATOMIC_MOVE);
        PrivateFiles.syncDirectory(directory);
        LogWriter previous = log;
        log = LogWriter.append(logFile);
        closeQuietly(previous);
        recordsInLog = liveRecords();
    }

    private void requireWorking() {
        if (stopped != null) {
            throw new SessionStoreException("the session store in " + directory + " is stopped: " + stopped, null);
        }
    }

    private SessionStoreException stop(String operation, IOException cause) {
        stopped = "a " + operation + " failed (" + cause.getMessage() + "); restart to read the log again";
        events.storeError(operation);
        LOG.log(ERROR, "session store " + directory + " stopped: " + stopped);
        return new SessionStoreException("the session store could not " + operation, cause);
    }

    private static StoreKey keyFromFile(Path directory) throws IOException {
        KeyFile.Loaded loaded = KeyFile.loadOrCreate(directory, RANDOM);
        if (loaded.created()) {
            LOG.log(INFO, "created a key for the session store at " + loaded.file()
                    + " (no key was configured); sessions sealed under it cannot be read without it");
        }
        if (loaded.tightened()) {
            LOG.log(WARNING, "the session store key file " + loaded.file()
                    + " was readable by other users; now rw-------. Treat the key as exposed");
        }
        return loaded.key();
    }

    private static void report(Path directory, LogReplay.Result replay, long bytes, Duration took, AuthEvents events) {
        LOG.log(INFO, "session store " + directory + ": " + replay.sessions().size() + " sessions"
                + (replay.appToken().isPresent() ? " and the app token" : "") + " from "
                + replay.records() + " records (" + bytes + " bytes) in " + took.toMillis() + " ms");
        if (replay.appTokenWithheld()) {
            LOG.log(WARNING, "session store " + directory + ": the app token is withheld, since an unreadable record "
                    + "may have replaced it; the next request for it asks SoundCloud for a new one");
        }
        LogReplay.Skipped skipped = replay.skipped();
        if (!skipped.any()) {
            return;
        }
        for (int i = 0; i < skipped.records(); i++) {
            events.storeError("replay");
        }
        LOG.log(WARNING, "session store " + directory + ": skipped " + skipped.records() + " unreadable records ("
                + skipped.tornTails() + " torn by a crash, " + skipped.damaged() + " damaged, "
                + skipped.foreignKey() + " sealed under another key" + (skipped.foreignKey() > 0
                ? ": was the store key changed?" : "") + ") and withheld " + skipped.withheld()
                + " sessions they may have changed; none of it is served");
    }

    private static void closeQuietly(AutoCloseable closeable) {
        if (closeable == null) {
            return;
        }
        try {
            closeable.close();
        } catch (Exception e) {
            LOG.log(WARNING, "closing a session store file failed: " + e);
        }
    }
}
