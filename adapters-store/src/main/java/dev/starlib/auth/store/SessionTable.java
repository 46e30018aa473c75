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
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.function.BiConsumer;
import java.util.stream.Stream;

/**
 * The sessions of a store that holds them all in memory, laid out to be small, with what operators read kept up
 * to date on every change instead of counted by a scan:
 * <ul>
 *   <li>per stage, how many sessions are stored (a counter moved by every put and removal);</li>
 *   <li>an index by expiry, so that counting the unexpired sessions at some {@code now} subtracts only the
 *       expired ones not yet purged (the oldest few), and a purge visits only what expired;</li>
 *   <li>an index by when each stage began, then by key: {@link #oldest} walks its head.</li>
 * </ul>
 * So {@link #counts}, {@link #oldest} and {@link #expiredAt} cost what they cost with a hundred sessions, whatever
 * the table holds, as long as expired sessions are purged now and then.
 * <p>
 * <b>Layout.</b> A session is kept as one small entry, not as its domain objects: the state hash as four
 * {@code long}s (the map's key, shared by the indexes), instants as seconds and nanoseconds, the state hint as one
 * {@code long}, a pending login's verifier (43 base64url characters: 32 random bytes) as four more, and its
 * {@code return_to} shared with every other login that asked for the same one ({@link Shared}). The domain object
 * is rebuilt, exactly, when a transition or a reader asks for it. A session that does not fit this layout (a
 * verifier of another length, a non-ASCII hint, a finished login with its tokens) is kept as it is.
 * <p>
 * Thread-safe: changes to one key are atomic ({@link ConcurrentHashMap#compute}); the counters and indexes are
 * exact whenever no change is in flight, and never off by more than the changes in flight.
 */
final class SessionTable implements PendingPlaces.Stored {

    private static final HexFormat HEX = HexFormat.of();
    private static final Base64.Decoder BASE64URL = Base64.getUrlDecoder();
    private static final Base64.Encoder BASE64URL_NO_PADDING = Base64.getUrlEncoder().withoutPadding();
    private static final int STAGES = 4;

    private static final Comparator<Entry> BY_EXPIRY = (a, b) -> {
        int order = compareInstants(a.expiresSeconds, a.expiresNanos, b.expiresSeconds, b.expiresNanos);
        return order != 0 ? order : a.key.compareTo(b.key);
    };
    private static final Comparator<Entry> BY_SINCE = (a, b) -> {
        int order = compareInstants(a.sinceSeconds, a.sinceNanos, b.sinceSeconds, b.sinceNanos);
        return order != 0 ? order : a.key.compareTo(b.key);
    };

    private final ConcurrentHashMap<Key, Entry> entries;
    private final ConcurrentSkipListSet<Entry> byExpiry = new ConcurrentSkipListSet<>(BY_EXPIRY);
    private final ConcurrentSkipListSet<Entry> bySince = new ConcurrentSkipListSet<>(BY_SINCE);
    /** Stored sessions per stage, by {@link Stage#ordinal()} (ended stages are never stored). */
    private final AtomicIntegerArray perStage = new AtomicIntegerArray(STAGES);
    private final Shared shared = new Shared();

    SessionTable() {
        this(16);
    }

    /** @param expected how many sessions the table will likely hold soon (it sizes its map for them) */
    SessionTable(int expected) {
        this.entries = new ConcurrentHashMap<>(Math.max(16, expected));
    }

    /** What {@code key} holds, rebuilt as the domain's object, or {@code null}. */
    OAuthSession get(StateHash key) {
        return get(Key.of(key));
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
            Entry entry = pack(k, session);
            added(entry);
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
            Entry entry = next == null ? null : pack(k, next);
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
            Step<A> step = transition.apply(current == null ? null : current.session());
            answer[0] = step.answer();
            if (!step.changes()) {
                return current;
            }
            OAuthSession kept = step.kept().orElse(null);
            Entry entry = kept == null ? null : pack(k, kept);
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

    /** Sessions per stage that have not expired at {@code now}. */
    SessionCounts counts(Instant now) {
        int[] counts = new int[STAGES];
        for (int stage = 0; stage < STAGES; stage++) {
            counts[stage] = perStage.get(stage);
        }
        for (Entry entry : byExpiry) {
            if (!entry.isExpiredAt(now)) {
                break;
            }
            counts[entry.stage().ordinal()]--;
        }
        return new SessionCounts(Math.max(0, counts[0]), Math.max(0, counts[1]), Math.max(0, counts[2]),
                Math.max(0, counts[3]));
    }

    /** Up to {@code limit} unexpired sessions, oldest first (by when their stage began, then by key). */
    List<SessionSummary> oldest(Instant now, int limit) {
        List<SessionSummary> oldest = new ArrayList<>(Math.min(limit, 128));
        for (Entry entry : bySince) {
            if (oldest.size() >= limit) {
                break;
            }
            if (!entry.isExpiredAt(now)) {
                oldest.add(entry.summary());
            }
        }
        return oldest;
    }

    /** The keys of the sessions that have expired at {@code now}, soonest expired first. */
    List<Key> expiredAt(Instant now) {
        List<Key> expired = new ArrayList<>();
        for (Entry entry : byExpiry) {
            if (!entry.isExpiredAt(now)) {
                break;
            }
            expired.add(entry.key);
        }
        return expired;
    }

    /** Every stored session, rebuilt as the domain's object, in no particular order. */
    void forEach(BiConsumer<Key, OAuthSession> action) {
        entries.forEach((key, entry) -> action.accept(key, entry.session()));
    }

    /** Every stored session, rebuilt as the domain's object when the stream reaches it, in no particular order. */
    Stream<Map.Entry<Key, OAuthSession>> stream() {
        return entries.entrySet().stream().map(entry -> Map.entry(entry.getKey(), entry.getValue().session()));
    }

    /** Keeps the counters and indexes in step with a key going from {@code before} to {@code after}. */
    private void replaced(Entry before, Entry after) {
        if (before != null) {
            byExpiry.remove(before);
            bySince.remove(before);
            perStage.decrementAndGet(before.stage().ordinal());
        }
        if (after != null) {
            added(after);
        }
    }

    /** Counted first, indexed second: a concurrent count never subtracts an expired entry it did not count. */
    private void added(Entry entry) {
        perStage.incrementAndGet(entry.stage().ordinal());
        byExpiry.add(entry);
        bySince.add(entry);
    }

    private Entry pack(Key key, OAuthSession session) {
        if (session.stage().ended()) {
            throw new IllegalArgumentException("an ended session is never kept");
        }
        if (session instanceof OAuthSession.Pending pending) {
            PackedPending packed = PackedPending.of(key, pending.authorization(), shared);
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
            String hex = hash.hex();
            return new Key(HexFormat.fromHexDigitsToLong(hex, 0, 16), HexFormat.fromHexDigitsToLong(hex, 16, 32),
                    HexFormat.fromHexDigitsToLong(hex, 32, 48), HexFormat.fromHexDigitsToLong(hex, 48, 64));
        }

        /** The 32 bytes of a hash at {@code offset}, as a record header holds them. */
        static Key of(byte[] bytes, int offset) {
            return new Key(longAt(bytes, offset), longAt(bytes, offset + 8), longAt(bytes, offset + 16),
                    longAt(bytes, offset + 24));
        }

        StateHash hash() {
            return new StateHash(HEX.toHexDigits(a) + HEX.toHexDigits(b) + HEX.toHexDigits(c) + HEX.toHexDigits(d));
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
    abstract static sealed class Entry permits PackedPending, Kept {

        final Key key;
        final long sinceSeconds;
        final long expiresSeconds;
        final int sinceNanos;
        final int expiresNanos;

        Entry(Key key, Instant since, Instant expiresAt) {
            this.key = key;
            this.sinceSeconds = since.getEpochSecond();
            this.sinceNanos = since.getNano();
            this.expiresSeconds = expiresAt.getEpochSecond();
            this.expiresNanos = expiresAt.getNano();
        }

        abstract Stage stage();

        /** The domain's object, equal to the one that was stored. */
        abstract OAuthSession session();

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
        OAuthSession session() {
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

        private PackedPending(Key key, PendingAuthorization pending, long hint, byte[] verifier, ReturnTo returnTo,
                              byte[] client) {
            super(key, pending.createdAt(), pending.expiresAt());
            this.hint = hint;
            this.verifier0 = longAt(verifier, 0);
            this.verifier1 = longAt(verifier, 8);
            this.verifier2 = longAt(verifier, 16);
            this.verifier3 = longAt(verifier, 24);
            this.clientKnown = client != null;
            this.client0 = client == null ? 0 : longAt(client, 0);
            this.client1 = client == null ? 0 : longAt(client, 8);
            this.returnTo = returnTo;
        }

        /** The packed form, or {@code null} when this login does not fit it (it is then kept as it is). */
        static PackedPending of(Key key, PendingAuthorization pending, Shared shared) {
            long hint = packHint(pending.stateHint());
            byte[] verifier = packVerifier(pending.verifier().value());
            if (hint == -1 || verifier == null) {
                return null;
            }
            byte[] client = pending.client().known() ? HEX.parseHex(pending.client().hex()) : null;
            return new PackedPending(key, pending, hint, verifier, shared.returnTo(pending.returnTo()), client);
        }

        @Override
        Stage stage() {
            return Stage.PENDING;
        }

        @Override
        OAuthSession session() {
            byte[] verifier = new byte[32];
            putLong(verifier, 0, verifier0);
            putLong(verifier, 8, verifier1);
            putLong(verifier, 16, verifier2);
            putLong(verifier, 24, verifier3);
            ClientKey client = ClientKey.UNKNOWN;
            if (clientKnown) {
                client = new ClientKey(HEX.toHexDigits(client0) + HEX.toHexDigits(client1));
            }
            return new OAuthSession.Pending(new PendingAuthorization(key.hash(), unpackHint(hint),
                    new CodeVerifier(BASE64URL_NO_PADDING.encodeToString(verifier)), returnTo, since(), expiresAt(),
                    client));
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
     * Values many sessions share, kept once: a frontend sends every user to the same few {@code return_to}s. At
     * most {@value #MAX} are kept, since a {@code return_to}'s path is chosen by the client; past that, a session
     * keeps its own.
     */
    static final class Shared {

        static final int MAX = 1_024;

        /** By the URL's exact text: {@link java.net.URI#equals} ignores the case of a host, a redirect must not. */
        private final ConcurrentHashMap<String, ReturnTo> returnTos = new ConcurrentHashMap<>();

        ReturnTo returnTo(ReturnTo returnTo) {
            String text = returnTo.uri().toString();
            ReturnTo known = returnTos.get(text);
            if (known != null) {
                return known;
            }
            if (returnTos.size() >= MAX) {
                return returnTo;
            }
            known = returnTos.putIfAbsent(text, returnTo);
            return known == null ? returnTo : known;
        }
    }

    private static long longAt(byte[] bytes, int offset) {
        long value = 0;
        for (int i = 0; i < 8; i++) {
            value = value << 8 | (bytes[offset + i] & 0xFF);
        }
        return value;
    }

    private static void putLong(byte[] bytes, int offset, long value) {
        for (int i = 7; i >= 0; i--) {
            bytes[offset + i] = (byte) value;
            value >>>= 8;
        }
    }
}
