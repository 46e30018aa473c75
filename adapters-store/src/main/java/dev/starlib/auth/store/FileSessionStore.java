package dev.starlib.auth.store;

import dev.starlib.auth.application.port.AppTokenVault;
import dev.starlib.auth.application.port.AuthEvents;
import dev.starlib.auth.application.port.RotationLedger;
import dev.starlib.auth.application.port.SessionInventory;
import dev.starlib.auth.application.port.SessionStore;
import dev.starlib.auth.application.port.SessionStoreException;
import dev.starlib.auth.domain.AppTokenState;
import dev.starlib.auth.domain.OAuthSession;
import dev.starlib.auth.domain.SealedRotation;
import dev.starlib.auth.domain.SessionCounts;
import dev.starlib.auth.domain.SessionSummary;
import dev.starlib.auth.domain.StateHash;
import dev.starlib.auth.domain.Step;
import dev.starlib.auth.domain.TokenHash;
import dev.starlib.auth.domain.Transition;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.ReentrantLock;

import static java.lang.System.Logger.Level.ERROR;
import static java.lang.System.Logger.Level.INFO;
import static java.lang.System.Logger.Level.WARNING;

/**
 * Sessions in an append-only log on disk, so that a restart or a crash loses no login that a client was told
 * about. Every change, removals included, is one record, sealed with AES-GCM and on disk (fsync) before the
 * call returns; the sessions live in memory as well, always equal to what reading the log back gives, and are
 * rebuilt from it at start. When most of the log is history, {@link #purgeExpired} rewrites it with just the live
 * sessions, many sealed to a record ({@link LogPack}), while changes go on: the writers wait only for the last
 * records and the rename, not for the copy (at 10^6 sessions a rewrite that held them stopped every login for 6-8 s).
 * See {@code docs/decisions/0002-file-session-store.md}.
 * <p>
 * Changes are made under one lock, in one order in memory and on disk, and made durable by <b>group commit</b>:
 * a change's record goes to a buffer under the lock; the caller then waits, outside the lock, until its record has
 * been written and fsynced, and only then is answered. One waiting caller at a time writes everything buffered so
 * far and syncs it once, so one fsync covers every change that was waiting at that moment, and the changes that come
 * in meanwhile wait for the next. Every answer waits for everything it was based on, its own change or another
 * caller's that it read: no answer ever rests on a record that is not on disk yet. (The operator's counts and
 * lists do not wait: they change nothing and hand nothing out.)
 * <p>
 * An I/O error while writing stops the store: it cannot know what reached the disk, so every later call
 * fails with {@link SessionStoreException} until a restart reads the log again.
 * <p>
 * The refresh-token rotation ledger shares the log, the sealing, the lock and the fsync: a remembered answer is on
 * disk before any caller gets it, so a client whose answer was lost gets it again after a crash. Leases and waiters
 * are in-process ({@link RotationBook}), as one process owns the directory.
 * <p>
 * The app token is kept in the same log, sealed the same way, so that a restart or a crash costs no new grant. A
 * renewal holds a lock of its own while it waits for SoundCloud, never the log lock: logins go on meanwhile.
 */
public final class FileSessionStore implements SessionStore, SessionInventory, RotationLedger, AppTokenVault,
        AutoCloseable {

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
     * @param preallocationBytes how far ahead of its records the log is kept zero-filled, so that a sync writes
     *                          data only ({@link LogWriter}); 0: the log grows by each append, fsynced
     */
    record Options(boolean lockDirectory, long compactionSlack, int preallocationBytes) {
        static final Options DEFAULTS = new Options(true, 10_000, 4 << 20);
    }

    /** A rewrite under way gives up when changes meanwhile outgrow this: it could not catch up with them. */
    private static final int MOST_CHANGES_DURING_A_REWRITE = 64 << 20;

    private final Path directory;
    private final Path logFile;
    private final int capacity;
    private final AuthEvents events;
    private final Options options;
    private final StoreKey storeKey;
    /** The writers' sealer: used under {@link #lock} only. */
    private final Sealer sealer;
    private final DirectoryLock directoryLock;
    private final SessionTable sessions;
    private final RotationBook rotations;
    private final ReentrantLock lock = new ReentrantLock();
    private final PendingPlaces places = new PendingPlaces();
    /** Held while an app token renewal runs (it may wait for SoundCloud); taken before {@link #lock}, never after. */
    private final ReentrantLock renewing = new ReentrantLock();
    /**
     * Held by the one caller that writes and syncs the buffered records (and by compaction and close); taken before
     * {@link #lock}, never after. Callers that find it held do not queue for it: they wait for {@link #released}.
     */
    private final ReentrantLock syncing = new ReentrantLock();
    /**
     * Held by the one rewrite of the log under way; taken before {@link #syncing}, never after. A rewrite writes the
     * new log's bulk holding neither {@link #syncing} nor {@link #lock}.
     */
    private final ReentrantLock rewriting = new ReentrantLock();
    /** Set when the store starts closing: a rewrite under way gives up at its next pack. */
    private volatile boolean closing;
    /**
     * While a rewrite is under way: every record buffered since it began, in order, which the new log holds after
     * what it copied; {@code null} when none is, or when one gave up. Guarded by {@link #lock}.
     */
    private RecordBuffer changedDuringRewrite;
    private long recordsChangedDuringRewrite;
    /**
     * Completed when whoever holds {@link #syncing} now lets go of it. A sync wakes every caller it made durable at
     * once this way; queueing for the lock instead would hand it from one caller to the next, each woken only to see
     * that its record is on disk and pass the lock on, with the next sync's caller somewhere behind them.
     */
    private volatile CompletableFuture<Void> released = CompletableFuture.completedFuture(null);
    /** Records not yet written to the log, in order. Guarded by {@link #lock}. */
    private RecordBuffer buffered = new RecordBuffer();
    /** The buffer the next sync swaps in. Guarded by {@link #syncing}. */
    private RecordBuffer spare = new RecordBuffer();
    /** How many records were buffered since the store opened. Guarded by {@link #lock}. */
    private long appended;
    /** How many of those are on disk, synced. Written under {@link #syncing}. */
    private volatile long durable;
    private LogWriter log;
    /** What the log says of the app token, or {@code null}: none yet. Guarded by {@link #lock}. */
    private AppTokenState appToken;
    private long recordsInLog;
    /** Why the store refuses to work, or {@code null} while it works. */
    private String stopped;

    private FileSessionStore(Path directory, int capacity, AuthEvents events, Options options,
                             StoreKey storeKey, DirectoryLock directoryLock, LogReplay.Result replay, LogWriter log) {
        this.directory = directory;
        this.logFile = directory.resolve(LOG_FILE);
        this.capacity = capacity;
        this.events = events;
        this.options = options;
        this.storeKey = storeKey;
        this.sealer = new Sealer(storeKey, RANDOM);
        this.directoryLock = directoryLock;
        this.sessions = replay.sessions();
        sessions.forEachPendingOfAKnownClient(places::restore);
        this.rotations = new RotationBook(capacity);
        replay.rotations().forEach(rotations::keep);
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
     * @param capacity  how many sessions, in any stage, may be held at once; and as many remembered rotations
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
            StoreKey storeKey = key.isPresent() ? key.get() : keyFromFile(directory);
            Sealer sealer = new Sealer(storeKey, RANDOM);
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
            long cpuStarted = processCpuNanos();
            LogReplay.Result replay = LogReplay.read(logFile, () -> new Sealer(storeKey, RANDOM));
            log = LogWriter.append(logFile, replay.end(), options.preallocationBytes());
            report(directory, replay, log.size(), Duration.ofNanos(System.nanoTime() - started),
                    cpuStarted < 0 ? Duration.ZERO : Duration.ofNanos(processCpuNanos() - cpuStarted), events);
            FileSessionStore store = new FileSessionStore(directory, capacity, events, options, storeKey,
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
        Creation creation;
        long basedOn;
        lock.lock();
        try {
            requireWorking();
            Optional<Instant> quotaFull = places.take(key, session, pendingPerClient, session.since(), sessions);
            if (quotaFull.isPresent()) {
                creation = new Creation.QuotaExceeded(pendingPerClient, quotaFull.get());
            } else {
                try {
                    creation = createWithinCapacity(key, session);
                } catch (RuntimeException e) {
                    places.giveBack(key, session);
                    throw e;
                }
            }
            basedOn = appended;
        } finally {
            lock.unlock();
        }
        awaitDurable(basedOn);
        return creation;
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
     * returned (group commit), and so is every change the answer was based on.
     */
    @Override
    public <A> A update(StateHash key, Transition<A> transition) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(transition, "transition");
        A answer;
        long basedOn;
        lock.lock();
        try {
            requireWorking();
            Step<A> step = transition.apply(sessions.get(key));
            if (step.changes()) {
                write(SessionTable.Key.of(key), key, step.kept().orElse(null));
            }
            answer = step.answer();
            basedOn = appended;
        } finally {
            lock.unlock();
        }
        awaitDurable(basedOn);
        return answer;
    }

    /**
     * Forgets every session (and remembered rotation) whose time is up, on disk too, and rewrites the log when most
     * of it is history, so that the file stays about as large as what it holds. Returns how many sessions went.
     */
    public int purgeExpired(Instant now) {
        Objects.requireNonNull(now, "now");
        int purged;
        boolean rewrite;
        lockSyncing();
        try {
            lock.lock();
            try {
                requireWorking();
                purged = dropExpired(now);
                places.prune(now, sessions);
                recordRemovals(rotations.removeExpired(now));
                rotations.dropFinishedFlights(now);
                rewrite = hasTooMuchHistory();
                syncBuffered();
            } finally {
                lock.unlock();
            }
        } finally {
            unlockSyncing();
        }
        if (rewrite && rewriting.tryLock()) {
            try {
                rewriteOrCarryOn();
            } finally {
                rewriting.unlock();
            }
        }
        return purged;
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
        Optional<AppTokenState> token;
        long basedOn;
        lock.lock();
        try {
            requireWorking();
            token = Optional.ofNullable(appToken);
            basedOn = appended;
        } finally {
            lock.unlock();
        }
        awaitDurable(basedOn);
        return token;
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

    /**
     * Lets go of the files. Every acknowledged change is on disk already; what is still buffered belongs to callers
     * waiting for their sync, and is synced first, so that they are answered.
     */
    @Override
    public void close() {
        closing = true;
        rewriting.lock(); // a rewrite under way gives up at its next pack
        try {
            closeFiles();
        } finally {
            rewriting.unlock();
        }
    }

    private void closeFiles() {
        lockSyncing();
        try {
            lock.lock();
            try {
                if (stopped == null) {
                    try {
                        syncBuffered();
                    } catch (SessionStoreException e) {
                        // stop() has logged it; the waiting callers are told through stopped.
                    }
                }
                if (stopped == null) {
                    stopped = "it was closed";
                }
                closeQuietly(log);
                closeQuietly(directoryLock);
            } finally {
                lock.unlock();
            }
        } finally {
            unlockSyncing();
        }
    }

    // --- the rotation ledger ----------------------------------------------------------------------------

    /** A remembered answer it hands out is on disk first, as is anything else it was based on (group commit). */
    @Override
    public Claim claim(TokenHash rotated, Instant now, Instant leaseUntil) {
        Objects.requireNonNull(rotated, "rotated");
        Claim claim;
        long basedOn;
        lock.lock();
        try {
            requireWorking();
            claim = rotations.claim(rotated, now, leaseUntil);
            basedOn = appended;
        } finally {
            lock.unlock();
        }
        awaitDurable(basedOn);
        return claim;
    }

    /**
     * Writes the answer and syncs before anyone gets it (the waiters are told only once the group commit that holds
     * it is done); the waiters get it even when the write fails (the store then stops, as for any failed write).
     */
    @Override
    public Publication publish(Lease lease, SealedRotation answer, Set<TokenHash> handsOut, Instant now,
                               Instant keepUntil) {
        Objects.requireNonNull(answer, "answer");
        Publication publication;
        long basedOn;
        lock.lock();
        try {
            requireWorking();
            publication = rotations.decide(lease, now, keepUntil);
            if (publication == Publication.FULL) {
                recordRemovals(rotations.removeExpired(now));
                publication = rotations.decide(lease, now, keepUntil);
            }
            if (publication == Publication.REMEMBERED) {
                RotationBook.Kept kept = new RotationBook.Kept(answer, handsOut, keepUntil);
                buffer(LogFormat.encode(LogFormat.Kind.ROTATION_PUT, lease.rotated(), RotationCodec.encode(kept), sealer));
                rotations.keep(lease.rotated(), kept);
            }
            basedOn = appended;
        } catch (RuntimeException e) {
            rotations.end(lease, Optional.of(answer));
            throw e;
        } finally {
            lock.unlock();
        }
        try {
            awaitDurable(basedOn);
        } finally {
            lock.lock();
            try {
                rotations.end(lease, Optional.of(answer));
            } finally {
                lock.unlock();
            }
        }
        return publication;
    }

    @Override
    public void abandon(Lease lease) {
        lock.lock();
        try {
            rotations.end(lease, Optional.empty());
        } finally {
            lock.unlock();
        }
    }

    @Override
    public Awaited await(Lease lease, Duration atMost) throws InterruptedException {
        CompletableFuture<Optional<SealedRotation>> outcome;
        lock.lock();
        try {
            outcome = rotations.outcomeOf(lease);
        } finally {
            lock.unlock();
        }
        return RotationBook.await(outcome, atMost);
    }

    /** The forgotten answers are removed on disk too (one sync), so a restart does not bring them back. */
    @Override
    public void forget(TokenHash token) {
        Objects.requireNonNull(token, "token");
        long basedOn;
        lock.lock();
        try {
            requireWorking();
            recordRemovals(rotations.removeKeptFor(token));
            rotations.markForgotten(token);
            basedOn = appended;
        } finally {
            lock.unlock();
        }
        awaitDurable(basedOn);
    }

    @Override
    public String toString() {
        return "FileSessionStore[directory=" + directory + ", capacity=" + capacity + ", sessions=" + sessions.size() + "]";
    }

    /** The records of remembered rotations just removed: buffered, synced with the next group. Under {@link #lock}. */
    private void recordRemovals(List<TokenHash> keys) {
        for (TokenHash key : keys) {
            buffer(LogFormat.encode(LogFormat.Kind.ROTATION_REMOVE, key, NOTHING, sealer));
        }
    }

    /**
     * Buffers the record of what {@code key} holds from now on ({@code null}: nothing) and holds it in memory; the
     * caller answers only after {@link #awaitDurable} of {@link #appended}. Called under {@link #lock}.
     */
    private void write(SessionTable.Key key, StateHash hash, OAuthSession next) {
        byte[] record = next == null
                ? LogFormat.encode(LogFormat.Kind.REMOVE, hash, NOTHING, sealer)
                : LogFormat.encode(LogFormat.Kind.PUT, hash, SessionCodec.encode(next), sealer);
        buffer(record);
        sessions.put(key, next);
    }

    private void buffer(byte[] record) {
        buffered.add(record);
        appended++;
        recordsInLog++;
        if (changedDuringRewrite != null) {
            changedDuringRewrite.add(record);
            recordsChangedDuringRewrite++;
            if (changedDuringRewrite.length() > MOST_CHANGES_DURING_A_REWRITE) {
                changedDuringRewrite = null; // the rewrite sees it at its end and gives up
            }
        }
    }

    /**
     * Returns once the first {@code records} buffered records are on disk, synced: at once when they are; otherwise
     * this caller, or one before it, writes every record buffered so far and syncs them with one sync (group
     * commit). A caller that finds a sync under way waits for it to end, then looks again: its records were in that
     * sync, or it writes the next one. Called without {@link #lock}.
     *
     * @throws SessionStoreException when the store stopped (a write or sync failed) before they were
     */
    private void awaitDurable(long records) {
        while (durable < records) {
            CompletableFuture<Void> underWay = released;
            if (syncing.tryLock()) {
                released = new CompletableFuture<>();
                try {
                    if (durable < records) {
                        syncWhatIsBuffered();
                    }
                } finally {
                    unlockSyncing();
                }
            } else if (underWay.isDone()) {
                Thread.yield(); // taken a moment ago: its holder is about to say when it lets go
            } else {
                underWay.join();
            }
        }
    }

    /** Takes {@link #syncing}, waiting for it, and tells the callers that find it held when it is let go. */
    private void lockSyncing() {
        syncing.lock();
        released = new CompletableFuture<>();
    }

    private void unlockSyncing() {
        CompletableFuture<Void> waiting = released;
        syncing.unlock();
        waiting.complete(null);
    }

    /** Holding {@link #syncing}: swaps the buffer under {@link #lock}, then writes and syncs it outside. */
    private void syncWhatIsBuffered() {
        RecordBuffer batch;
        long upTo;
        LogWriter writer;
        lock.lock();
        try {
            requireWorking();
            batch = buffered;
            buffered = spare;
            upTo = appended;
            writer = log;
        } finally {
            lock.unlock();
        }
        try {
            writer.appendAndSync(batch.bytes(), batch.length());
        } catch (IOException e) {
            lock.lock();
            try {
                throw stop("write", e);
            } finally {
                lock.unlock();
            }
        }
        durable = upTo;
        batch.clear();
        spare = batch;
    }

    /** Writes and syncs what is buffered, holding both {@link #syncing} and {@link #lock}. */
    private void syncBuffered() {
        if (buffered.length() > 0) {
            try {
                log.appendAndSync(buffered.bytes(), buffered.length());
            } catch (IOException e) {
                throw stop("write", e);
            }
            buffered.clear();
        }
        durable = appended;
    }

    private void writeAppToken(AppTokenState next) {
        long basedOn;
        lock.lock();
        try {
            requireWorking();
            buffer(appTokenRecord(next));
            appToken = next;
            basedOn = appended;
        } finally {
            lock.unlock();
        }
        awaitDurable(basedOn);
    }

    private byte[] appTokenRecord(AppTokenState state) {
        return LogFormat.encode(LogFormat.Kind.APP_TOKEN, LogFormat.APP_TOKEN_KEY, AppTokenCodec.encode(state), sealer);
    }

    /** What the log must keep: the sessions, and the app token if there is one. */
    /** What a rewrite would write: every session, every remembered rotation and the app token. */
    private long liveRecords() {
        return (long) sessions.size() + rotations.size() + (appToken == null ? 0 : 1);
    }

    /**
     * Removes the expired sessions, on disk too (buffered, synced with the next group), so that a restart finds
     * them gone. Visits only what expired (the table's expiry index). Called under {@link #lock}.
     */
    private int dropExpired(Instant now) {
        List<SessionTable.Key> expired = sessions.expiredAt(now);
        for (SessionTable.Key key : expired) {
            buffer(LogFormat.encode(LogFormat.Kind.REMOVE, key.hash(), NOTHING, sealer));
            sessions.put(key, null);
        }
        return expired.size();
    }

    private boolean hasTooMuchHistory() {
        long history = recordsInLog - liveRecords();
        return history > Math.max(liveRecords(), options.compactionSlack());
    }

    /** A rewrite that fails before it replaces the log leaves the log as it was, still good to append to. */
    private void rewriteOrCarryOn() {
        try {
            rewrite(() -> { });
        } catch (IOException e) {
            events.storeError("compact");
            LOG.log(WARNING, "session store " + directory + ": rewriting the log failed (" + e.getMessage()
                    + "); it keeps growing until a later purge succeeds");
        }
    }

    /** Rewrites the log now, whatever its history (at open, after unreadable bytes; and tests). */
    void compact() throws IOException {
        compact(() -> { });
    }

    /**
     * As {@link #compact()}, running {@code meanwhile} between the copy and the rename, holding no lock: what the
     * tests of changes made during a rewrite do there.
     */
    void compact(Runnable meanwhile) throws IOException {
        rewriting.lock();
        try {
            rewrite(meanwhile);
        } finally {
            rewriting.unlock();
        }
    }

    /**
     * Rewrites the log with only what it holds, packed, while changes go on. Holding {@link #rewriting}:
     * <ol>
     *   <li>under {@link #lock}, a moment: from now on every record buffered is also kept for the new log;</li>
     *   <li>holding no lock: every session, as the table holds it when the walk reaches it, and the app token and
     *   rotations as they were at the first step, packed into a new file, synced;</li>
     *   <li>under {@link #syncing} and {@link #lock}: the records kept since the first step appended to the new file,
     *   synced, and the new file renamed over the log.</li>
     * </ol>
     * The new log reads back as the table is: a key no record changed since the first step is copied as it was then;
     * a key changed since has its last change among the kept records, which follow every copy and so win, however
     * late the walk reached the key. A rewrite that meets a closing or stopped store, or changes it cannot keep up
     * with, gives up and leaves the log as it was.
     *
     * @return whether it replaced the log
     * @throws IOException when the new file could not be written; the log is as it was, still good to append to
     */
    private boolean rewrite(Runnable meanwhile) throws IOException {
        Copy copy = copyLive();
        if (copy == null) {
            return false;
        }
        boolean installed = false;
        try {
            meanwhile.run();
            lockSyncing();
            try {
                lock.lock();
                try {
                    RecordBuffer changed = changedDuringRewrite;
                    changedDuringRewrite = null;
                    if (stopped != null) {
                        return false;
                    }
                    if (changed == null) {
                        LOG.log(WARNING, "session store " + directory + ": gave up rewriting the log, as more than "
                                + (MOST_CHANGES_DURING_A_REWRITE >> 20) + " MiB of changes came in meanwhile; a "
                                + "later purge tries again");
                        return false;
                    }
                    copy.writer().appendAndSync(changed.bytes(), changed.length());
                    copy.writer().close();
                    try {
                        install(copy.file());
                    } catch (IOException e) {
                        throw stop("compact", e); // from the rename on, the old log may no longer be the log
                    }
                    installed = true;
                    recordsInLog = copy.puts() + recordsChangedDuringRewrite;
                    return true;
                } finally {
                    lock.unlock();
                }
            } finally {
                unlockSyncing();
            }
        } finally {
            closeQuietly(copy.writer());
            if (!installed) {
                stopKeepingChanges();
                Files.deleteIfExists(copy.file());
            }
        }
    }

    /** The changes are no longer kept for a new log: the rewrite is over, or never got going. */
    private void stopKeepingChanges() {
        lock.lock();
        try {
            changedDuringRewrite = null;
        } finally {
            lock.unlock();
        }
    }

    /** The new log's file, its writer (still open) and how many puts were copied into it. */
    private record Copy(Path file, LogWriter writer, long puts) {
    }

    /**
     * The first two steps of {@link #rewrite}: from now on changes are kept for the new log, and what the store
     * holds is copied into it, synced.
     *
     * @return {@code null} when the store began closing meanwhile (nothing is left behind)
     */
    private Copy copyLive() throws IOException {
        AppTokenState token;
        List<RotationBook.Remembered> kept;
        lock.lock();
        try {
            requireWorking();
            changedDuringRewrite = new RecordBuffer();
            recordsChangedDuringRewrite = 0;
            token = appToken;
            kept = rotations.snapshot();
        } finally {
            lock.unlock();
        }
        Path fresh = directory.resolve(COMPACTING_FILE);
        LogWriter writer = null;
        try {
            Files.deleteIfExists(fresh);
            PrivateFiles.createFile(fresh);
            writer = LogWriter.append(fresh);
            long puts = writePacked(writer, token, kept);
            if (puts >= 0) {
                Copy copy = new Copy(fresh, writer, puts);
                writer = null;
                return copy;
            }
        } finally {
            if (writer != null) {
                closeQuietly(writer);
                Files.deleteIfExists(fresh);
                stopKeepingChanges();
            }
        }
        return null;
    }

    /**
     * What a crash between a rewrite's copy and its rename leaves behind: the new file, written and synced, not in
     * the log's place. For the crash tests.
     */
    Path writeCompactedCopy() throws IOException {
        Copy copy = Objects.requireNonNull(copyLive(), "closing");
        stopKeepingChanges();
        copy.writer().close();
        return copy.file();
    }

    /**
     * The live sessions, the app token and the remembered rotations, packed into {@code writer}'s new file and synced.
     * Holds no lock: the table may change under the walk, and {@link #rewrite} makes up for it.
     *
     * @return how many puts it wrote (the new log's records, as its history is counted); -1 when the store began
     * closing meanwhile
     */
    private long writePacked(LogWriter writer, AppTokenState token, List<RotationBook.Remembered> kept)
            throws IOException {
        Sealer packing = new Sealer(storeKey, RANDOM); // the writers' sealer is theirs, under the lock
        LogPack.Packer packer = new LogPack.Packer(packing, record -> {
            if (closing) {
                throw new CancellationException();
            }
            try {
                writer.add(record);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        try {
            if (token != null) {
                packer.add(LogFormat.Kind.APP_TOKEN, SessionTable.Key.of(LogFormat.APP_TOKEN_KEY),
                        AppTokenCodec.encode(token));
            }
            sessions.forEach((key, session) -> packer.add(LogFormat.Kind.PUT, key, SessionCodec.encode(session)));
            kept.forEach(remembered -> packer.add(LogFormat.Kind.ROTATION_PUT, remembered.rotated,
                    RotationCodec.encode(remembered.kept())));
            packer.flush();
        } catch (UncheckedIOException e) {
            throw e.getCause();
        } catch (CancellationException e) {
            return -1;
        }
        writer.finish();
        return packer.items();
    }

    /**
     * The second half: the new file takes the log's name in one atomic rename, made durable by syncing the
     * directory. From the rename on, appending to the old file would be lost, so a failure here stops the store.
     */
    private void install(Path fresh) throws IOException {
        Files.move(fresh, logFile, StandardCopyOption.ATOMIC_MOVE);
        PrivateFiles.syncDirectory(directory);
        LogWriter previous = log;
        // The new log holds no zeros yet: the first append after it preallocates.
        log = LogWriter.append(logFile, Files.size(logFile), options.preallocationBytes());
        closeQuietly(previous);
        recordsInLog = liveRecords();
        // The new log holds what the buffered records would have said: they are durable now.
        buffered.clear();
        durable = appended;
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

    /**
     * @param cpu the process's CPU meanwhile, every thread (the decoders, and a fresh JVM's compiler and collector):
     *            on a shared machine a steadier measure of the work than the wall time
     */
    private static void report(Path directory, LogReplay.Result replay, long bytes, Duration took, Duration cpu,
                               AuthEvents events) {
        LOG.log(INFO, "session store " + directory + ": " + replay.sessions().size() + " sessions"
                + (replay.appToken().isPresent() ? ", the app token" : "") + " and "
                + replay.rotations().size() + " remembered rotations from "
                + replay.records() + " records (" + bytes + " bytes) in " + took.toMillis() + " ms ("
                + cpu.toMillis() + " ms of the process's CPU)");
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

    /** This process's CPU time so far, all threads; -1 where the JVM cannot say. */
    private static long processCpuNanos() {
        if (java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return -1;
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
