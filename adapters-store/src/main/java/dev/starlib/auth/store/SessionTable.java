package dev.starlib.auth.store;

import dev.starlib.auth.domain.ClientKey;
import dev.starlib.auth.domain.CodeVerifier;
import dev.starlib.auth.domain.OAuthSession;
import dev.starlib.auth.domain.OAuthSession.Stage;
import dev.starlib.auth.domain.PendingAuthorization;
import dev.starlib.auth.domain.ReturnTo;
import dev.starlib.auth.domain.SessionCounts;
import dev.starlib.auth.domain.SessionSummary;
import dev.starlib.auth.domain.StateHash;
import dev.starlib.auth.domain.Step;
import dev.starlib.auth.domain.Transition;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;

/**
 * The sessions of a store that holds them all in memory, laid out to be small, with what operators read kept up
 * to date on every change instead of counted by a scan:
 * <ul>
 *   <li>per stage, how many sessions are stored (a counter moved by every put and removal);</li>
 *   <li>per stage, a queue of its entries in the order they arrived ({@link StageQueue}). Every stage keeps one
 *       TTL (a pending login's, a result's), so its entries arrive in the order they expire and in the order their
 *       stage began: one queue serves as both indexes, at O(1) per change where two sorted indexes cost
 *       O(log n) each. An entry a little out of that order (results picked up in another order than they were
 *       made) goes in among the queue's last slots; one further out of it (the TTL changed across a restart, the
 *       clock stepped back, equal instants with keys the other way round) is set aside in two sorted sets instead,
 *       so every order stays exact whatever arrives;</li>
 *   <li>counting the unexpired sessions at some {@code now} subtracts the expired ones, each walked over once (by
 *       the first count after it expired, from a cursor in each queue), and a purge visits only what expired;</li>
 *   <li>{@link #oldest} merges the heads of the queues and of the set-aside entries, by when each stage began,
 *       then by key.</li>
 * </ul>
 * So {@link #counts}, {@link #oldest} and {@link #expiredAt} cost what they cost with a hundred sessions, whatever
 * the table holds ({@link #oldest} as long as expired sessions are purged now and then).
 * <p>
 * <b>Layout.</b> A session is kept as one small entry, not as its domain objects: the state hash as four
 * {@code long}s (the map's key, shared by the entry and by every entry that replaces it), instants as seconds and
 * nanoseconds, the state hint as one {@code long}, a pending login's verifier (43 base64url characters: 32 random
 * bytes) as four more, and its {@code return_to} shared with every other login that asked for the same one
 * ({@link Shared}); a picked-up login's marker as its hint and its shared origin. The domain object is rebuilt,
 * exactly, when a transition or a reader asks for it. A session that does not fit this layout (a verifier of another
 * length, a hint that is not 8 ASCII characters, a finished login with its tokens) is kept as it is.
 * <p>
 * Thread-safe: changes to one key are atomic ({@link ConcurrentHashMap#compute}); the indexes and counters change
 * together under one short lock, so a count always sees each change whole; the readers of the indexes take it too.
 */
final class SessionTable implements PendingPlaces.Stored {

    private static final HexFormat HEX = HexFormat.of();
    private static final Base64.Decoder BASE64URL = Base64.getUrlDecoder();
    /** base64url's 64 characters in the order of their values (RFC 4648, table 2). */
    private static final String BASE64URL_ALPHABET =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    private static final Base64.Encoder BASE64URL_NO_PADDING = Base64.getUrlEncoder().withoutPadding();
    private static final int STAGES = 4;
    /** The {@link Entry#slot} of an entry set aside, in no stage's queue. */
    static final int ASIDE = -1;

    private static final Comparator<Entry> BY_EXPIRY = (a, b) -> {
        int order = compareInstants(a.expiresSeconds, a.expiresNanos, b.expiresSeconds, b.expiresNanos);
        return order != 0 ? order : byKey(a, b);
    };
    private static final Comparator<Entry> BY_SINCE = (a, b) -> {
        int order = compareInstants(a.sinceSeconds, a.sinceNanos, b.sinceSeconds, b.sinceNanos);
        return order != 0 ? order : byKey(a, b);
    };

    /** By the key's first 64 bits, kept in the entry (no second object to read), then by the rest. */
    private static int byKey(Entry a, Entry b) {
        int order = Long.compareUnsigned(a.keyHead, b.keyHead);
        return order != 0 ? order : a.key.compareTo(b.key);
    }

    private final ConcurrentHashMap<Key, Entry> entries;
    /** Per stage, by {@link Stage#ordinal()}: its entries in the order they arrived, while that is both orders. */
    private final StageQueue[] queues = new StageQueue[STAGES];
    /** The entries that arrived out of their stage's order ({@link Entry#slot} {@link #ASIDE}), by expiry. */
    private final TreeSet<Entry> asideByExpiry = new TreeSet<>(BY_EXPIRY);
    /** The same entries, by when their stage began. */
    private final TreeSet<Entry> asideBySince = new TreeSet<>(BY_SINCE);
    /**
     * Guards the indexes and the counters, so that a count sees each change whole. Held briefly by every change,
     * by a count while it walks what expired since the previous count, and by the readers of the indexes.
     */
    private final java.util.concurrent.locks.ReentrantLock counting = new java.util.concurrent.locks.ReentrantLock();
    /** Stored sessions per stage, by {@link Stage#ordinal()} (ended stages are never stored). */
    private final int[] perStage = new int[STAGES];
    /**
     * How far counts have walked the expiries: every stored entry expired at it is counted in
     * {@link #expiredBelowMark}, kept so by every change; {@code null} before the first count. So each entry's expiry
     * is walked over once, by whichever count comes first after it, not by every count. In each stage's queue the
     * entries expired at the mark are those before its cursor.
     */
    private Entry mark;
    private final int[] expiredBelowMark = new int[STAGES];
    private final Shared shared;

    SessionTable() {
        this.entries = new ConcurrentHashMap<>();
        this.shared = new Shared();
        for (int stage = 0; stage < STAGES; stage++) {
            queues[stage] = new StageQueue(0, BY_SINCE, BY_EXPIRY);
        }
    }

    /**
     * A table of {@code entries} read back in bulk (from a log): one sort by when each stage began, then each entry
     * appended to its stage's queue (or set aside), and the counters counted in the same pass.
     */
    private SessionTable(ConcurrentHashMap<Key, Entry> entries, List<Entry> inLogOrder, Shared shared) {
        this.entries = entries;
        this.shared = shared;
        // In the order the log wrote them, which is nearly the order by since: the sort merges a few runs.
        Entry[] all = new Entry[entries.size()];
        int held = 0;
        for (Entry entry : inLogOrder) {
            if (entries.get(entry.key) == entry) {
                all[held++] = entry;
                perStage[entry.stage().ordinal()]++;
            }
        }
        if (held != all.length) {
            throw new IllegalStateException("a loaded entry went missing");
        }
        java.util.Arrays.parallelSort(all, BY_SINCE);
        for (int stage = 0; stage < STAGES; stage++) {
            // Room for half as many again before the first squeeze.
            queues[stage] = new StageQueue(perStage[stage] + perStage[stage] / 2, BY_SINCE, BY_EXPIRY);
        }
        // Sessions of one TTL per stage expire in the order they began: nearly all join their stage's queue.
        for (Entry entry : all) {
            place(entry, entry.stage().ordinal(), false);
        }
    }

    /**
     * Fills a table from a log, one record after another and in one thread: the last entry of a key wins; the
     * indexes and counters are built once, by {@link #table()}.
     */
    static final class Loader {

        private final ConcurrentHashMap<Key, Entry> entries;
        private final List<Entry> inLogOrder;
        private final Shared shared = new Shared();

        /** @param expected about how many keys the log holds (it sizes the map) */
        Loader(int expected) {
            this.entries = new ConcurrentHashMap<>(Math.max(16, expected));
            this.inLogOrder = new ArrayList<>(Math.max(16, expected));
        }

        /** What the table shares between entries: decoders running in other threads may use it too. */
        Shared shared() {
            return shared;
        }

        void put(Key key, Entry entry) {
            entries.put(key, entry);
            inLogOrder.add(entry);
        }

        void remove(Key key) {
            entries.remove(key);
        }

        Entry get(Key key) {
            return entries.get(key);
        }

        int size() {
            return entries.size();
        }

        /** Every entry, for what may be withheld before the table is built. */
        java.util.Iterator<Map.Entry<Key, Entry>> iterator() {
            return entries.entrySet().iterator();
        }

        SessionTable table() {
            return new SessionTable(entries, inLogOrder, shared);
        }
    }

    /** An entry for {@code session} under {@code key}, packed when it fits: what a decoder hands a {@link Loader}. */
    static Entry entryOf(Key key, OAuthSession session, Shared shared) {
        return pack(key, session, shared);
    }

    /** What {@code key} holds, rebuilt as the domain's object (around the caller's {@code key}), or {@code null}. */
    OAuthSession get(StateHash key) {
        Entry entry = entries.get(Key.of(key));
        return entry == null ? null : entry.session(key);
    }

    OAuthSession get(Key key) {
        Entry entry = entries.get(key);
        return entry == null ? null : entry.session();
    }

    /**
     * The domain's rule ({@link OAuthSession#takesAClientPlaceAt}) read from the entry: a packed pending login
     * takes a place while its client is known and it has not expired, as the rule says of a pending one; any other
     * entry is asked as the domain's object. {@code SessionTableTest} checks that both agree.
     */
    @Override
    public boolean takesAClientPlace(Key key, Instant now) {
        Entry entry = entries.get(key);
        if (entry instanceof PackedPending packed) {
            return packed.clientKnown && !packed.isExpiredAt(now);
        }
        return entry != null && entry.session().takesAClientPlaceAt(now);
    }

    @Override
    public java.util.Optional<Instant> expiresAt(Key key) {
        Entry entry = entries.get(key);
        return entry == null ? java.util.Optional.empty() : java.util.Optional.of(entry.expiresAt());
    }

    boolean contains(StateHash key) {
        return entries.containsKey(Key.of(key));
    }

    int size() {
        return entries.size();
    }

    /** Stores a new session unless its key already holds one; whether it did. */
    boolean insert(OAuthSession session) {
        return insert(Key.of(session.key()), session);
    }

    /** @param key {@code Key.of(session.key())}, which the table keeps (a {@link PendingPlaces} may share it) */
    boolean insert(Key key, OAuthSession session) {
        Objects.requireNonNull(session, "session");
        boolean[] inserted = {false};
        entries.compute(key, (k, current) -> {
            if (current != null) {
                return current;
            }
            Entry entry = pack(k, session, shared);
            replaced(null, entry);
            inserted[0] = true;
            return entry;
        });
        return inserted[0];
    }

    /**
     * What {@code key} holds from now on: {@code next}, or nothing for {@code null}. Returns how many more sessions
     * the table holds than before: -1, 0 or 1.
     */
    int put(StateHash key, OAuthSession next) {
        return put(Key.of(key), next);
    }

    int put(Key key, OAuthSession next) {
        int[] delta = {0};
        entries.compute(key, (k, current) -> {
            Entry entry = next == null ? null : pack(current != null ? current.key : k, next, shared);
            replaced(current, entry);
            delta[0] = (entry == null ? 0 : 1) - (current == null ? 0 : 1);
            return entry;
        });
        return delta[0];
    }

    /** The answer of one transition, and how many more sessions the table holds after it (-1, 0 or 1). */
    record Applied<A>(A answer, int delta) {
    }

    /**
     * Applies {@code transition} to what {@code key} holds, atomically per key, and keeps what its step keeps.
     * The transition may run more than once only if it throws; it is pure.
     */
    <A> Applied<A> apply(StateHash key, Transition<A> transition) {
        Objects.requireNonNull(transition, "transition");
        Key packedKey = Key.of(key);
        Object[] answer = {null};
        int[] delta = {0};
        entries.compute(packedKey, (k, current) -> {
            Step<A> step = transition.apply(current == null ? null : current.session(key));
            answer[0] = step.answer();
            if (!step.changes()) {
                return current;
            }
            OAuthSession kept = step.kept().orElse(null);
            Entry entry = kept == null ? null : pack(current != null ? current.key : k, kept, shared);
            replaced(current, entry);
            delta[0] = (entry == null ? 0 : 1) - (current == null ? 0 : 1);
            return entry;
        });
        @SuppressWarnings("unchecked")
        A typed = (A) answer[0];
        return new Applied<>(typed, delta[0]);
    }

    /**
     * Removes what {@code key} holds if it has expired at {@code now}; whether it did. A session that was changed
     * meanwhile and has not expired stays.
     */
    boolean removeIfExpired(Key key, Instant now) {
        boolean[] removed = {false};
        entries.computeIfPresent(key, (k, current) -> {
            if (!current.isExpiredAt(now)) {
                return current;
            }
            replaced(current, null);
            removed[0] = true;
            return null;
        });
        return removed[0];
    }

    /**
     * Sessions per stage that have not expired at {@code now}: the stored counts less those expired. The expired
     * ones are counted from where the previous count stopped (each entry is walked over once, whatever the number of
     * counts), or, for a {@code now} before that, from there back.
     */
    SessionCounts counts(Instant now) {
        Entry upTo = Bound.at(now);
        int[] counts = new int[STAGES];
        counting.lock();
        try {
            if (mark == null || BY_EXPIRY.compare(upTo, mark) >= 0) {
                for (int stage = 0; stage < STAGES; stage++) {
                    expiredBelowMark[stage] += queues[stage].advanceTo(upTo);
                }
                var newlyExpired = mark == null ? asideByExpiry.headSet(upTo, true)
                        : asideByExpiry.subSet(mark, false, upTo, true);
                for (Entry entry : newlyExpired) {
                    expiredBelowMark[entry.stage().ordinal()]++;
                }
                mark = upTo;
                for (int stage = 0; stage < STAGES; stage++) {
                    counts[stage] = perStage[stage] - expiredBelowMark[stage];
                }
            } else {
                for (int stage = 0; stage < STAGES; stage++) {
                    counts[stage] = perStage[stage] - expiredBelowMark[stage]
                            + queues[stage].notExpiredBeforeCursor(upTo);
                }
                for (Entry notYet : asideByExpiry.subSet(upTo, false, mark, true)) {
                    counts[notYet.stage().ordinal()]++;
                }
            }
        } finally {
            counting.unlock();
        }
        return new SessionCounts(counts[0], counts[1], counts[2], counts[3]);
    }

    /**
     * Up to {@code limit} unexpired sessions, oldest first (by when their stage began, then by key): the first
     * {@code limit} of each stage's queue and of those set aside, merged.
     */
    List<SessionSummary> oldest(Instant now, int limit) {
        List<Entry> candidates = new ArrayList<>(Math.min(limit, 128));
        counting.lock();
        try {
            boolean markPassed = mark != null
                    && compareInstants(mark.expiresSeconds, mark.expiresNanos, now.getEpochSecond(), now.getNano()) <= 0;
            for (StageQueue queue : queues) {
                queue.oldest(now, markPassed, limit, candidates);
            }
            int taken = 0;
            for (var aside = asideBySince.iterator(); aside.hasNext() && taken < limit; ) {
                Entry entry = aside.next();
                if (!entry.isExpiredAt(now)) {
                    candidates.add(entry);
                    taken++;
                }
            }
        } finally {
            counting.unlock();
        }
        candidates.sort(BY_SINCE);
        List<SessionSummary> oldest = new ArrayList<>(Math.min(limit, candidates.size()));
        for (int i = 0; i < candidates.size() && i < limit; i++) {
            oldest.add(candidates.get(i).summary());
        }
        return oldest;
    }

    /** The keys of the sessions that have expired at {@code now}, soonest expired first (then by key). */
    List<Key> expiredAt(Instant now) {
        List<Entry> expired = new ArrayList<>();
        counting.lock();
        try {
            for (StageQueue queue : queues) {
                queue.expiredAt(now, expired);
            }
            for (Entry entry : asideByExpiry) {
                if (!entry.isExpiredAt(now)) {
                    break;
                }
                expired.add(entry);
            }
        } finally {
            counting.unlock();
        }
        expired.sort(BY_EXPIRY);
        List<Key> keys = new ArrayList<>(expired.size());
        for (Entry entry : expired) {
            keys.add(entry.key);
        }
        return keys;
    }

    /**
     * Every stored session, rebuilt as the domain's object, in no particular order. Safe beside changes (the map's
     * weakly consistent walk): a rewrite of the log copies the table this way without the writers' lock.
     */
    void forEach(BiConsumer<Key, OAuthSession> action) {
        entries.forEach((key, entry) -> action.accept(key, entry.session()));
    }

    /** Keeps the counters and indexes in step with a key going from {@code before} to {@code after}. */
    private void replaced(Entry before, Entry after) {
        counting.lock();
        try {
            if (before != null) {
                int stage = before.stage().ordinal();
                perStage[stage]--;
                boolean expiredAtMark;
                if (before.slot == ASIDE) {
                    asideByExpiry.remove(before);
                    asideBySince.remove(before);
                    expiredAtMark = mark != null && BY_EXPIRY.compare(before, mark) <= 0;
                } else {
                    expiredAtMark = queues[stage].remove(before);
                }
                if (expiredAtMark) {
                    expiredBelowMark[stage]--;
                }
            }
            if (after != null) {
                int stage = after.stage().ordinal();
                perStage[stage]++;
                boolean expiredAtMark = mark != null && BY_EXPIRY.compare(after, mark) <= 0;
                place(after, stage, expiredAtMark);
                if (expiredAtMark) {
                    expiredBelowMark[stage]++;
                }
            }
        } finally {
            counting.unlock();
        }
    }

    /**
     * Appends {@code entry} to its stage's queue, or, when it begins or expires before the last entry there (a
     * stage's TTL changed across a restart, the clock stepped back, an exchange that began earlier came later, two
     * logins began at the same instant in the other order of their keys), sets it aside, sorted both ways.
     */
    private void place(Entry entry, int stage, boolean expiredAtMark) {
        if (!queues[stage].offer(entry, expiredAtMark)) {
            entry.slot = ASIDE;
            asideByExpiry.add(entry);
            asideBySince.add(entry);
        }
    }

    /** Every entry with a client's place to restore after a read-back: pending, its client known. */
    void forEachPendingOfAKnownClient(BiConsumer<Key, ClientKey> action) {
        entries.forEach((key, entry) -> {
            if (entry instanceof PackedPending packed) {
                if (packed.clientKnown) {
                    action.accept(key, packed.client());
                }
            } else if (entry.session() instanceof OAuthSession.Pending pending && pending.client().known()) {
                action.accept(key, pending.client());
            }
        });
    }

    private static Entry pack(Key key, OAuthSession session, Shared shared) {
        if (session.stage().ended()) {
            throw new IllegalArgumentException("an ended session is never kept");
        }
        if (session instanceof OAuthSession.Pending pending) {
            PackedPending packed = PackedPending.of(key, pending.authorization(), shared);
            if (packed != null) {
                return packed;
            }
        } else if (session instanceof OAuthSession.PickedUp marker) {
            PackedPickedUp packed = PackedPickedUp.of(key, marker, shared);
            if (packed != null) {
                return packed;
            }
        }
        return new Kept(key, session);
    }

    static int compareInstants(long secondsA, int nanosA, long secondsB, int nanosB) {
        int order = Long.compare(secondsA, secondsB);
        return order != 0 ? order : Integer.compare(nanosA, nanosB);
    }

    // --- the layout -------------------------------------------------------------------------------------------

    /** A state hash as four {@code long}s: 48 bytes instead of a 64-character hex string in a record (120). */
    static final class Key implements Comparable<Key> {

        private final long a;
        private final long b;
        private final long c;
        private final long d;

        private Key(long a, long b, long c, long d) {
            this.a = a;
            this.b = b;
            this.c = c;
            this.d = d;
        }

        static Key of(StateHash hash) {
            return ofHex(hash.hex());
        }

        /** @param hex 64 hex digits (a state's or a token's SHA-256) */
        static Key ofHex(String hex) {
            return new Key(HexFormat.fromHexDigitsToLong(hex, 0, 16), HexFormat.fromHexDigitsToLong(hex, 16, 32),
                    HexFormat.fromHexDigitsToLong(hex, 32, 48), HexFormat.fromHexDigitsToLong(hex, 48, 64));
        }

        /** The 32 bytes of a hash at {@code offset}, as a record header holds them. */
        static Key of(byte[] bytes, int offset) {
            return new Key(longAt(bytes, offset), longAt(bytes, offset + 8), longAt(bytes, offset + 16),
                    longAt(bytes, offset + 24));
        }

        StateHash hash() {
            return new StateHash(hex());
        }

        /** Writes the 32 bytes at {@code offset}, as {@link #of(byte[], int)} reads them. */
        void copyInto(byte[] bytes, int offset) {
            putLongAt(bytes, offset, a);
            putLongAt(bytes, offset + 8, b);
            putLongAt(bytes, offset + 16, c);
            putLongAt(bytes, offset + 24, d);
        }

        /** The 64 lowercase hex digits. */
        String hex() {
            return HEX.toHexDigits(a) + HEX.toHexDigits(b) + HEX.toHexDigits(c) + HEX.toHexDigits(d);
        }

        /** The order of the hex strings: unsigned, most significant first. */
        @Override
        public int compareTo(Key other) {
            int order = Long.compareUnsigned(a, other.a);
            if (order == 0) {
                order = Long.compareUnsigned(b, other.b);
            }
            if (order == 0) {
                order = Long.compareUnsigned(c, other.c);
            }
            return order != 0 ? order : Long.compareUnsigned(d, other.d);
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Key key && a == key.a && b == key.b && c == key.c && d == key.d;
        }

        /** A SHA-256 is uniformly spread: its first bits are as good a hash as any. */
        @Override
        public int hashCode() {
            return (int) (a ^ (a >>> 32));
        }

        @Override
        public String toString() {
            return "Key[" + HEX.toHexDigits(a).substring(0, 8) + "…]";
        }
    }

    /** One stored session: its key, when its stage began and when it expires, and whatever rebuilds it. */
    abstract static sealed class Entry permits PackedPending, PackedPickedUp, Kept, Bound {

        final Key key;
        /** The key's first 64 bits: what orders entries that began (or expire) at the same instant. */
        final long keyHead;
        final long sinceSeconds;
        final long expiresSeconds;
        final int sinceNanos;
        final int expiresNanos;
        /** Where it lies in its stage's {@link StageQueue}, or {@link #ASIDE}: the table's lock guards it. */
        int slot;

        Entry(Key key, Instant since, Instant expiresAt) {
            this(key, since.getEpochSecond(), since.getNano(), expiresAt.getEpochSecond(), expiresAt.getNano());
        }

        Entry(Key key, long sinceSeconds, int sinceNanos, long expiresSeconds, int expiresNanos) {
            this.key = key;
            this.keyHead = key.a;
            this.sinceSeconds = sinceSeconds;
            this.sinceNanos = sinceNanos;
            this.expiresSeconds = expiresSeconds;
            this.expiresNanos = expiresNanos;
        }

        abstract Stage stage();

        /** The domain's object, equal to the one that was stored. */
        final OAuthSession session() {
            return session(null);
        }

        /**
         * As {@link #session()}, around {@code hash} when the caller has it (equal to this entry's key): no hex
         * string is formatted and checked again on a transition's path.
         */
        abstract OAuthSession session(StateHash hash);

        boolean isExpiredAt(Instant now) {
            // !now.isBefore(expiresAt)
            return compareInstants(now.getEpochSecond(), now.getNano(), expiresSeconds, expiresNanos) >= 0;
        }

        SessionSummary summary() {
            return session().summary();
        }

        Instant since() {
            return Instant.ofEpochSecond(sinceSeconds, sinceNanos);
        }

        Instant expiresAt() {
            return Instant.ofEpochSecond(expiresSeconds, expiresNanos);
        }
    }

    /**
     * A bound in the expiry index, never stored: it expires at an instant and sorts after every entry that expires
     * then (its key is the largest there is).
     */
    static final class Bound extends Entry {

        private static final Key LAST = new Key(-1L, -1L, -1L, -1L);

        private Bound(Instant at) {
            super(LAST, at, at);
        }

        static Bound at(Instant at) {
            return new Bound(at);
        }

        @Override
        Stage stage() {
            throw new IllegalStateException("a bound is no session");
        }

        @Override
        OAuthSession session(StateHash hash) {
            throw new IllegalStateException("a bound is no session");
        }
    }

    /** Any session, as the domain's object (a finished login, or one that does not fit {@link PackedPending}). */
    static final class Kept extends Entry {

        private final OAuthSession session;

        Kept(Key key, OAuthSession session) {
            super(key, session.since(), session.expiresAt());
            this.session = session;
        }

        @Override
        Stage stage() {
            return session.stage();
        }

        @Override
        OAuthSession session(StateHash hash) {
            return session;
        }
    }

    /**
     * A pending login in about a hundred bytes: the hint (8 ASCII characters) and the verifier (32 bytes, as 43
     * base64url characters) as {@code long}s, the client's key as two (or none), the {@code return_to} shared.
     */
    static final class PackedPending extends Entry {

        private final long hint;
        private final long verifier0;
        private final long verifier1;
        private final long verifier2;
        private final long verifier3;
        private final long client0;
        private final long client1;
        private final boolean clientKnown;
        private final ReturnTo returnTo;

        /** The packed form, or {@code null} when this login does not fit it (it is then kept as it is). */
        static PackedPending of(Key key, PendingAuthorization pending, Shared shared) {
            long hint = packHint(pending.stateHint());
            byte[] verifier = packVerifier(pending.verifier().value());
            if (hint == -1 || verifier == null) {
                return null;
            }
            byte[] client = pending.client().known() ? HEX.parseHex(pending.client().hex()) : null;
            return new PackedPending(key, pending.createdAt().getEpochSecond(), pending.createdAt().getNano(),
                    pending.expiresAt().getEpochSecond(), pending.expiresAt().getNano(), hint, verifier,
                    shared.returnTo(pending.returnTo()), client);
        }

        /**
         * The packed form straight from the fields a log record holds, without building the domain's objects
         * first (a start reads a million of them). The caller has checked what the domain would and that the
         * fields fit: {@code expiresAt} after {@code createdAt}, a hint of 8 ASCII characters packed by
         * {@link #packHint}, a verifier that {@link #packVerifier} took, a client key of 32 lowercase hex digits.
         */
        static PackedPending of(Key key, long hint, java.nio.ByteBuffer verifier, ReturnTo returnTo,
                                long createdSeconds, int createdNanos, long expiresSeconds, int expiresNanos,
                                boolean clientKnown, long client0, long client1) {
            return new PackedPending(key, createdSeconds, createdNanos, expiresSeconds, expiresNanos, hint,
                    verifier.getLong(0), verifier.getLong(8), verifier.getLong(16), verifier.getLong(24), returnTo,
                    clientKnown, client0, client1);
        }

        private PackedPending(Key key, long createdSeconds, int createdNanos, long expiresSeconds, int expiresNanos,
                              long hint, byte[] verifier, ReturnTo returnTo, byte[] client) {
            this(key, createdSeconds, createdNanos, expiresSeconds, expiresNanos, hint, longAt(verifier, 0),
                    longAt(verifier, 8), longAt(verifier, 16), longAt(verifier, 24), returnTo, client != null,
                    client == null ? 0 : longAt(client, 0), client == null ? 0 : longAt(client, 8));
        }

        private PackedPending(Key key, long createdSeconds, int createdNanos, long expiresSeconds, int expiresNanos,
                              long hint, long verifier0, long verifier1, long verifier2, long verifier3,
                              ReturnTo returnTo, boolean clientKnown, long client0, long client1) {
            super(key, createdSeconds, createdNanos, expiresSeconds, expiresNanos);
            this.hint = hint;
            this.verifier0 = verifier0;
            this.verifier1 = verifier1;
            this.verifier2 = verifier2;
            this.verifier3 = verifier3;
            this.clientKnown = clientKnown;
            this.client0 = client0;
            this.client1 = client1;
            this.returnTo = returnTo;
        }

        @Override
        Stage stage() {
            return Stage.PENDING;
        }

        @Override
        OAuthSession session(StateHash hash) {
            byte[] verifier = new byte[32];
            putLong(verifier, 0, verifier0);
            putLong(verifier, 8, verifier1);
            putLong(verifier, 16, verifier2);
            putLong(verifier, 24, verifier3);
            return new OAuthSession.Pending(new PendingAuthorization(hash != null ? hash : key.hash(), unpackHint(hint),
                    new CodeVerifier(BASE64URL_NO_PADDING.encodeToString(verifier)), returnTo, since(), expiresAt(),
                    client()));
        }

        ClientKey client() {
            return clientKnown ? new ClientKey(HEX.toHexDigits(client0) + HEX.toHexDigits(client1)) : ClientKey.UNKNOWN;
        }

        /** 8 ASCII characters in 8 bytes; -1 when the hint is anything else (no ASCII string packs to it). */
        static long packHint(String hint) {
            if (hint.length() != 8) {
                return -1;
            }
            long packed = 0;
            for (int i = 0; i < 8; i++) {
                char ch = hint.charAt(i);
                if (ch == 0 || ch > 0x7F) {
                    return -1;
                }
                packed = packed << 8 | ch;
            }
            return packed;
        }

        /** As {@link #packHint(String)}, for its UTF-8 bytes. */
        static long packHint(byte[] bytes, int offset, int length) {
            if (length != 8) {
                return -1;
            }
            long packed = 0;
            for (int i = 0; i < 8; i++) {
                byte ch = bytes[offset + i];
                if (ch <= 0) {
                    return -1;
                }
                packed = packed << 8 | ch;
            }
            return packed;
        }

        /**
         * As {@link #packVerifier(String)}, for its ASCII bytes: the 32 bytes they stand for, or {@code null}.
         * Instead of encoding the bytes back, it checks that the last character's two padding bits are zero, which
         * is what makes the text the one encoding of its bytes.
         */
        static java.nio.ByteBuffer packVerifier(byte[] bytes, int offset, int length) {
            if (length != 43 || (BASE64URL_ALPHABET.indexOf(bytes[offset + 42]) & 0b11) != 0) {
                return null;
            }
            try {
                java.nio.ByteBuffer decoded = BASE64URL.decode(java.nio.ByteBuffer.wrap(bytes, offset, length));
                return decoded.remaining() == 32 ? decoded : null;
            } catch (IllegalArgumentException e) {
                return null;
            }
        }

        static String unpackHint(long packed) {
            char[] chars = new char[8];
            for (int i = 7; i >= 0; i--) {
                chars[i] = (char) (packed & 0xFF);
                packed >>>= 8;
            }
            return new String(chars);
        }

        /** The 32 bytes a 43-character base64url verifier stands for, or {@code null} when it is not one. */
        static byte[] packVerifier(String verifier) {
            if (verifier.length() != 43) {
                return null;
            }
            try {
                byte[] bytes = BASE64URL.decode(verifier);
                // Only when it encodes back to the same characters (the last one carries 4 bits of padding).
                return bytes.length == 32 && BASE64URL_NO_PADDING.encodeToString(bytes).equals(verifier) ? bytes : null;
            } catch (IllegalArgumentException e) {
                return null;
            }
        }
    }

    /**
     * A picked-up login's marker in one small entry: the hint as a {@code long}, the origin shared. A marker stays
     * for the rest of its result's TTL (two minutes by default) after a pickup that is nearly always immediate, so
     * under a steady load the markers outnumber every other stage: at 2,000 logins/s, 240,000 of them. As the
     * domain's objects (a record, its state hash with the hash's hex, the hint and the origin as strings, two
     * instants) each took some 300 bytes more than this entry.
     */
    static final class PackedPickedUp extends Entry {

        private final long hint;
        private final String returnToOrigin;

        /** The packed form, or {@code null} when the marker's hint does not pack (it is then kept as it is). */
        static PackedPickedUp of(Key key, OAuthSession.PickedUp marker, Shared shared) {
            long hint = PackedPending.packHint(marker.stateHint());
            return hint == -1 ? null : new PackedPickedUp(key, marker.since(), marker.expiresAt(), hint,
                    shared.origin(marker.returnToOrigin()));
        }

        private PackedPickedUp(Key key, Instant since, Instant expiresAt, long hint, String returnToOrigin) {
            super(key, since, expiresAt);
            this.hint = hint;
            this.returnToOrigin = returnToOrigin;
        }

        @Override
        Stage stage() {
            return Stage.PICKED_UP;
        }

        @Override
        OAuthSession session(StateHash hash) {
            return new OAuthSession.PickedUp(hash != null ? hash : key.hash(), PackedPending.unpackHint(hint),
                    returnToOrigin, since(), expiresAt());
        }
    }

    /**
     * Values many sessions share, kept once: a frontend sends every user to the same few {@code return_to}s. At
     * most {@value #MAX} are kept, since a {@code return_to}'s path is chosen by the client; past that, a session
     * keeps its own.
     */
    static final class Shared {

        static final int MAX = 1_024;

        /** By the URL's exact text: {@link java.net.URI#equals} ignores the case of a host, a redirect must not. */
        private final ConcurrentHashMap<String, ReturnTo> returnTos = new ConcurrentHashMap<>();
        /** The origins of the {@code return_to}s, which the markers of ended logins keep. */
        private final ConcurrentHashMap<String, String> origins = new ConcurrentHashMap<>();

        /** The one string kept for this origin, as long as fewer than {@value #MAX} origins are. */
        String origin(String origin) {
            return kept(origins, origin, origin);
        }

        /** The value kept under {@code text}, else {@code value}, kept from now on while fewer than MAX are. */
        private static <V> V kept(ConcurrentHashMap<String, V> kept, String text, V value) {
            V known = kept.get(text);
            if (known != null) {
                return known;
            }
            if (kept.size() >= MAX) {
                return value;
            }
            known = kept.putIfAbsent(text, value);
            return known == null ? value : known;
        }

        /**
         * The shared {@code return_to} of this exact text, parsed (and checked, as the domain does) only the first
         * time it is seen.
         *
         * @throws IllegalArgumentException when the text is not a {@code return_to}
         */
        /** The last text asked for by its bytes, and what it stands for: most logs hold one or two. */
        private record Seen(byte[] text, ReturnTo returnTo) {
        }

        private volatile Seen lastSeen;

        /** As {@link #returnTo(String)}, for its UTF-8 bytes: no string is built when it is the last one seen. */
        ReturnTo returnTo(byte[] bytes, int offset, int length) {
            Seen seen = lastSeen;
            if (seen != null && java.util.Arrays.equals(seen.text(), 0, seen.text().length, bytes, offset,
                    offset + length)) {
                return seen.returnTo();
            }
            ReturnTo returnTo = returnTo(new String(bytes, offset, length, java.nio.charset.StandardCharsets.UTF_8));
            lastSeen = new Seen(java.util.Arrays.copyOfRange(bytes, offset, offset + length), returnTo);
            return returnTo;
        }

        ReturnTo returnTo(String text) {
            ReturnTo known = returnTos.get(text);
            if (known != null) {
                return known;
            }
            try {
                return returnTo(new ReturnTo(new java.net.URI(text)));
            } catch (java.net.URISyntaxException e) {
                throw new IllegalArgumentException("not a return_to", e);
            }
        }

        ReturnTo returnTo(ReturnTo returnTo) {
            return kept(returnTos, returnTo.uri().toString(), returnTo);
        }
    }

    /**
     * A plain loop, not a {@code VarHandle}: a start reads four per record for a million records, most of them before
     * the JIT has compiled the handle's access (with one, a 10^6 open took about 7 % longer: B10).
     */
    private static long longAt(byte[] bytes, int offset) {
        long value = 0;
        for (int i = 0; i < 8; i++) {
            value = value << 8 | (bytes[offset + i] & 0xFF);
        }
        return value;
    }

    /** The big-endian {@code value} at {@code offset}, as {@link #longAt} reads it. */
    private static void putLongAt(byte[] bytes, int offset, long value) {
        for (int i = 0; i < 8; i++) {
            bytes[offset + i] = (byte) (value >>> (56 - 8 * i));
        }
    }

    private static void putLong(byte[] bytes, int offset, long value) {
        for (int i = 7; i >= 0; i--) {
            bytes[offset + i] = (byte) value;
            value >>>= 8;
        }
    }
}
