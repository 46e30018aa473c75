package dev.starlib.auth.store;

import dev.starlib.auth.domain.AppTokenState;
import dev.starlib.auth.domain.OAuthSession;
import dev.starlib.auth.domain.TokenHash;

import javax.crypto.AEADBadTagException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;

/**
 * Reads the session log from the start and rebuilds what each key holds, failing closed: bytes that do not
 * check out are skipped and counted, and any session whose history they may have been part of is withheld,
 * so that a lost "consumed" or "picked up" can never bring a login or a result back. Remembered rotations are
 * read the same way, in their own namespace, and withheld the same way: a lost record could have been the
 * sign-out that forgot one. The app token is read the same way, and withheld when a record that may have replaced it
 * is unreadable.
 * <p>
 * <b>Fast, for a start that a rolling deploy waits for.</b> One thread walks the log (headers and CRCs, cheap) and
 * hands the records out in batches; one decoder per core opens them (AES-GCM) and decodes them straight into the
 * {@link SessionTable}'s packed entries, without building the domain's objects; the walking thread applies the
 * batches in log order, so the last record of a key still wins. The table's indexes are built once at the end.
 * Where each key was last written is needed only to decide what to withhold, and only when something was
 * unreadable: then, and only then, a second walk over the headers finds it (opening the packs, whose keys are
 * sealed inside them). A pack ({@link LogPack}) decodes to many puts; one that cannot be used whole counts as
 * unreadable bytes of unknown key.
 * <p>
 * <b>The end of the log.</b> A log may be zero-filled ahead of its records ({@link LogWriter}'s preallocation):
 * where a header should start and only zeros follow to the end of the file, the log ends cleanly, and nothing is
 * counted. A record is never zeros, since it starts with {@link LogFormat#MAGIC}. A write that a crash cut short
 * ends the log in one of two ways: short of the record's length at the end of the file (a log that grows by each
 * append), or, in the zero-filled space, as a record that fails its CRC, whose last byte is zero and after which
 * only zeros follow (what never reached the disk is still zeros). Both are a torn tail: that write was never
 * acknowledged, so it is dropped, counted, and nothing is withheld for it. A record that fails its CRC in any
 * other way is damaged, whatever follows it, and withholds what it may have changed.
 */
final class LogReplay {

    private static final int WINDOW_BYTES = 1 << 20;
    /** Records per batch: large enough that handing a batch over costs little beside opening its records. */
    private static final int BATCH_RECORDS = 2_048;
    private static final int BATCH_BYTES = 1 << 20;
    /** A log smaller than this is opened in the walking thread: no decoder threads for a test's few records. */
    private static final long PARALLEL_FROM_BYTES = 4L << 20;
    /** A rough size of one record, to size the table's map before reading. */
    private static final int TYPICAL_RECORD_BYTES = 180;

    /** What was skipped, by cause. None of it was served. */
    record Skipped(int tornTails, int damaged, int foreignKey, int withheld) {

        int records() {
            return tornTails + damaged + foreignKey;
        }

        boolean any() {
            return records() + withheld > 0;
        }
    }

    /**
     * The sessions, remembered rotations and the app token to serve; {@code records} counts the intact records read,
     * to measure the log's garbage. {@code appTokenWithheld}: the app token was dropped because a record that may have
     * replaced it is unreadable (serving an older one could hand out a token SoundCloud already replaced).
     */
    record Result(SessionTable sessions, Map<TokenHash, RotationBook.Kept> rotations, Optional<AppTokenState> appToken,
                  long records, Skipped skipped, boolean appTokenWithheld, long end) {
    }

    /**
     * A key in its namespace: sessions and rotations keep their histories apart, though both are keyed by a
     * SHA-256. The app token shares the sessions' namespace under a key no state hashes to.
     */
    private record Slot(boolean rotation, SessionTable.Key key) {

        static Slot of(LogFormat.Header header) {
            return new Slot(header.kind().rotation(), header.key());
        }
    }

    private static final SessionTable.Key APP_TOKEN_KEY = SessionTable.Key.of(LogFormat.APP_TOKEN_KEY);

    private final Supplier<Sealer> sealers;
    private final SessionTable.Loader sessions;
    private final Map<TokenHash, RotationBook.Kept> rotations = new HashMap<>();
    private AppTokenState appToken;
    /** Where each key's last unreadable record starts, when its header could still be read. */
    private final Map<Slot, Long> lastDamagedAt = new HashMap<>();
    /** Where records start whose header was intact and whose body could not be used. */
    private final Set<Long> unusable = new HashSet<>();
    /** Where the last stretch of unreadable bytes began that was followed by intact records; -1: none. */
    private long lostHistoryBefore = -1;
    private long records;
    private long end;
    private int tornTails;
    private int damaged;
    private int foreignKey;
    private int withheld;

    private final long parallelFromBytes;

    private LogReplay(Supplier<Sealer> sealers, long logBytes, long parallelFromBytes) {
        this.sealers = sealers;
        this.parallelFromBytes = parallelFromBytes;
        this.sessions = new SessionTable.Loader((int) Math.min(Integer.MAX_VALUE / 2, logBytes / TYPICAL_RECORD_BYTES));
    }

    /** @param sealers a new {@link Sealer} under the store's key each time: one per decoding thread */
    static Result read(Path log, Supplier<Sealer> sealers) throws IOException {
        return read(log, sealers, PARALLEL_FROM_BYTES);
    }

    /**
     * Where the log's records end: where a writer appends next, before the zeros preallocated after them (or
     * where torn bytes start). Reads headers only.
     */
    static long end(Path log) throws IOException {
        try (FileChannel channel = FileChannel.open(log, StandardOpenOption.READ)) {
            return walk(channel, new Visitor() {
                @Override
                public void record(LogFormat.Header header, byte[] bytes, int offset, long position) {
                }

                @Override
                public void unreadable(long position) {
                }

                @Override
                public void tornTail() {
                }
            });
        }
    }

    /** @param parallelFromBytes from which log size decoder threads open the records (tests: both ways) */
    static Result read(Path log, Supplier<Sealer> sealers, long parallelFromBytes) throws IOException {
        try (FileChannel channel = FileChannel.open(log, StandardOpenOption.READ)) {
            LogReplay replay = new LogReplay(sealers, channel.size(), parallelFromBytes);
            return replay.replay(channel);
        }
    }

    private Result replay(FileChannel channel) throws IOException {
        long size = channel.size();
        int threads = size < parallelFromBytes ? 0 : Math.max(2, Runtime.getRuntime().availableProcessors());
        ExecutorService decoders = threads == 0 ? null : Executors.newFixedThreadPool(threads,
                Thread.ofPlatform().daemon().name("session-log-replay-", 0).factory());
        try {
            ThreadLocal<Sealer> sealer = ThreadLocal.withInitial(sealers);
            ArrayDeque<Future<Batch>> inFlight = new ArrayDeque<>();
            // Applied batches come back here and are filled again: a batch's megabyte of records lives from the
            // walk through its decoding to its apply, across young collections, and a new one for each would be
            // copied by every collection it lives through (with -Xms8m, about a thousand at 10^6 sessions).
            ArrayDeque<Batch> free = new ArrayDeque<>();
            Batch[] filling = {new Batch()};
            end = walk(channel, new Visitor() {
                @Override
                public void record(LogFormat.Header header, byte[] bytes, int offset, long position) {
                    if (!LogFormat.bodyIntact(bytes, offset + LogFormat.HEADER_BYTES, header.bodyLength())) {
                        damaged++;
                        unusable.add(position);
                        if (header.kind() == LogFormat.Kind.PACK) {
                            lostHistoryAt(position); // whose sessions it held is sealed inside it
                        } else {
                            lastDamagedAt.put(Slot.of(header), position);
                        }
                        return;
                    }
                    Batch batch = filling[0];
                    batch.add(header, bytes, offset, position);
                    if (batch.full()) {
                        hand(batch);
                        Batch again = free.pollFirst();
                        filling[0] = again == null ? new Batch() : again;
                    }
                }

                @Override
                public void unreadable(long position) {
                    damaged++;
                    lostHistoryAt(position);
                }

                @Override
                public void tornTail() {
                    tornTails++;
                }

                private void hand(Batch batch) {
                    if (decoders == null) {
                        free.add(apply(batch.decode(sealer.get(), sessions.shared())));
                        return;
                    }
                    inFlight.add(decoders.submit(() -> batch.decode(sealer.get(), sessions.shared())));
                    while (inFlight.size() > 2 * threads) {
                        free.add(apply(next(inFlight)));
                    }
                }
            });
            Batch last = filling[0];
            if (decoders == null) {
                apply(last.decode(sealer.get(), sessions.shared()));
            } else {
                inFlight.add(decoders.submit(() -> last.decode(sealer.get(), sessions.shared())));
                while (!inFlight.isEmpty()) {
                    apply(next(inFlight));
                }
            }
        } finally {
            if (decoders != null) {
                decoders.shutdownNow();
            }
        }
        boolean appTokenWithheld = false;
        if (lostHistoryBefore >= 0 || !lastDamagedAt.isEmpty()) {
            Map<Slot, Long> lastWrittenAt = lastWrittenAt(channel);
            withholdWhatMayHaveBeenReplaced(lastWrittenAt);
            withholdRotationsWithLostHistory(lastWrittenAt);
            appTokenWithheld = appToken != null && historyLost(new Slot(false, APP_TOKEN_KEY), lastWrittenAt);
        }
        return new Result(sessions.table(), rotations,
                appTokenWithheld ? Optional.empty() : Optional.ofNullable(appToken),
                records, new Skipped(tornTails, damaged, foreignKey, withheld), appTokenWithheld, end);
    }

    private static Batch next(ArrayDeque<Future<Batch>> inFlight) {
        try {
            return inFlight.removeFirst().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading the session log", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException("decoding the session log failed", e.getCause());
        }
    }

    /** The decoded records of a batch, in log order: what each key holds from then on. Returns it emptied. */
    private Batch apply(Batch batch) {
        for (int i = 0; i < batch.items; i++) {
            SessionTable.Key key = batch.itemKeys[i];
            int record = batch.itemRecords[i];
            long position = batch.positions[record];
            switch (batch.outcomes[i]) {
                case Batch.FOREIGN_KEY -> {
                    foreignKey++;
                    unusable.add(position);
                    lastDamagedAt.put(new Slot(batch.kinds[record].rotation(), key), position);
                }
                case Batch.DAMAGED -> {
                    damaged++;
                    unusable.add(position);
                    lastDamagedAt.put(new Slot(batch.kinds[record].rotation(), key), position);
                }
                case Batch.PACK_FOREIGN_KEY -> {
                    foreignKey++;
                    unusable.add(position);
                    lostHistoryAt(position);
                }
                case Batch.PACK_DAMAGED -> {
                    damaged++;
                    unusable.add(position);
                    lostHistoryAt(position);
                }
                case Batch.ROTATION_PUT -> {
                    records++;
                    rotations.put(new TokenHash(key.hex()), (RotationBook.Kept) batch.decoded[i]);
                }
                case Batch.ROTATION_REMOVE -> {
                    records++;
                    rotations.remove(new TokenHash(key.hex()));
                }
                case Batch.PUT -> {
                    records++;
                    sessions.put(key, (SessionTable.Entry) batch.decoded[i]);
                }
                case Batch.REMOVE -> {
                    records++;
                    sessions.remove(key);
                }
                case Batch.APP_TOKEN -> {
                    records++;
                    appToken = (AppTokenState) batch.decoded[i];
                }
                default -> throw new IllegalStateException("a record was not decoded");
            }
        }
        return batch.emptied();
    }

    /**
     * Bytes of unknown keys at {@code position} could not be used: any key written only before them may have lost
     * its later history there. Batches are applied after the walk has moved on, so the latest such place wins.
     */
    private void lostHistoryAt(long position) {
        lostHistoryBefore = Math.max(lostHistoryBefore, position);
    }

    /**
     * Withholds each session that {@link OAuthSession#handsSomethingOut() could still hand something out} when a
     * record that may have superseded it is unreadable: a record of its own key written after its last
     * readable one, or unreadable bytes of unknown key after it. The lost record could have been its
     * "consumed" or "picked up". The others stay: whatever followed them, they hand nothing out.
     */
    private void withholdWhatMayHaveBeenReplaced(Map<Slot, Long> lastWrittenAt) {
        var entries = sessions.iterator();
        while (entries.hasNext()) {
            var entry = entries.next();
            if (!entry.getValue().session().handsSomethingOut()) {
                continue;
            }
            if (historyLost(new Slot(false, entry.getKey()), lastWrittenAt)) {
                entries.remove();
                withheld++;
            }
        }
    }

    /** Every remembered rotation hands out a pair, so each one whose later history may be lost is withheld. */
    private void withholdRotationsWithLostHistory(Map<Slot, Long> lastWrittenAt) {
        var entries = rotations.entrySet().iterator();
        while (entries.hasNext()) {
            SessionTable.Key key = SessionTable.Key.ofHex(entries.next().getKey().hex());
            if (historyLost(new Slot(true, key), lastWrittenAt)) {
                entries.remove();
                withheld++;
            }
        }
    }

    /** Whether an unreadable record after the key's last readable one may have been the key's. */
    private boolean historyLost(Slot slot, Map<Slot, Long> lastWrittenAt) {
        long written = lastWrittenAt.get(slot);
        return written < lostHistoryBefore || lastDamagedAt.getOrDefault(slot, -1L) > written;
    }

    /**
     * Where each key's last readable record starts: the same walk again, headers only (the first walk noted where
     * the unusable records start).
     */
    private Map<Slot, Long> lastWrittenAt(FileChannel channel) throws IOException {
        Map<Slot, Long> lastWrittenAt = new HashMap<>();
        Sealer sealer = sealers.get();
        walk(channel, new Visitor() {
            private byte[] plaintext = new byte[LogPack.TARGET_BYTES];

            @Override
            public void record(LogFormat.Header header, byte[] bytes, int offset, long position) {
                if (unusable.contains(position)) {
                    return;
                }
                if (header.kind() != LogFormat.Kind.PACK) {
                    lastWrittenAt.put(Slot.of(header), position);
                    return;
                }
                // The first reading opened it whole, or it would be unusable: its keys are inside.
                if (plaintext.length < header.bodyLength()) {
                    plaintext = new byte[header.bodyLength()];
                }
                try {
                    int length = sealer.open(bytes, offset, LogFormat.ASSOCIATED_BYTES, bytes,
                            offset + LogFormat.HEADER_BYTES, header.bodyLength(), plaintext);
                    LogPack.forEach(plaintext, length, (kind, items, keyOffset, payloadOffset, payloadLength) ->
                            lastWrittenAt.put(new Slot(kind.rotation(), SessionTable.Key.of(items, keyOffset)),
                                    position));
                } catch (AEADBadTagException | IllegalArgumentException e) {
                    throw new IllegalStateException("a pack read once could not be read again", e);
                }
            }

            @Override
            public void unreadable(long position) {
            }

            @Override
            public void tornTail() {
            }
        });
        return lastWrittenAt;
    }

    /** What a walk over the log finds, in order. */
    private interface Visitor {

        /** A whole record with an intact header at {@code position}: {@code bytes[offset ...]}, valid until return. */
        void record(LogFormat.Header header, byte[] bytes, int offset, long position);

        /** Bytes at {@code position} that are no header, followed later by one. */
        void unreadable(long position);

        /** The log ends in a record cut short, or in bytes with no header after them. */
        void tornTail();
    }

    /** Walks the log's records in order; returns where they end. */
    private static long walk(FileChannel channel, Visitor visitor) throws IOException {
        Window window = new Window(channel);
        long position = 0;
        while (position < window.size) {
            LogFormat.Header header = window.has(position, LogFormat.HEADER_BYTES)
                    ? LogFormat.header(window.bytes(), window.offset(position))
                    : null;
            if (header == null) {
                if (window.zerosFrom(position)) {
                    return position; // the space preallocated ahead of the records
                }
                long next = nextHeader(window, position + 1);
                if (next < 0) {
                    visitor.tornTail();
                    return position;
                }
                // The key of whatever stood here is unknown, so every session written before it is suspect.
                visitor.unreadable(position);
                position = next;
                continue;
            }
            if (!window.has(position, header.recordBytes())) {
                visitor.tornTail(); // the last write stopped half way: it was never acknowledged
                return position;
            }
            if (cutShortInZeros(window, position, header)) {
                visitor.tornTail(); // the same, in preallocated space: what it did not write is still zeros
                return position;
            }
            window.has(position, header.recordBytes());
            visitor.record(header, window.bytes(), window.offset(position), position);
            position += header.recordBytes();
        }
        return position;
    }

    /**
     * Whether the whole record at {@code position} is a write cut short in zero-filled space: it fails its CRC, its
     * last byte is zero, and only zeros follow it to the end of the file. Moves the window.
     */
    private static boolean cutShortInZeros(Window window, long position, LogFormat.Header header) throws IOException {
        int offset = window.offset(position);
        byte[] bytes = window.bytes();
        if (bytes[offset + header.recordBytes() - 1] != 0
                || LogFormat.bodyIntact(bytes, offset + LogFormat.HEADER_BYTES, header.bodyLength())) {
            return false;
        }
        return window.zerosFrom(position + header.recordBytes());
    }

    /** The next position at or after {@code from} where an intact header starts, or -1. */
    private static long nextHeader(Window window, long from) throws IOException {
        for (long candidate = from; candidate + LogFormat.HEADER_BYTES <= window.size; candidate++) {
            if (window.has(candidate, LogFormat.HEADER_BYTES)
                    && LogFormat.header(window.bytes(), window.offset(candidate)) != null) {
                return candidate;
            }
        }
        return -1;
    }

    /**
     * Records whose header and body CRC checked out, copied out of the window, to be opened and decoded by a
     * decoder thread; then what each one turned out to be, as items: one per record, or one per put of a pack.
     */
    private static final class Batch {

        static final byte PUT = 1;
        static final byte REMOVE = 2;
        static final byte APP_TOKEN = 3;
        static final byte DAMAGED = 4;
        static final byte FOREIGN_KEY = 5;
        static final byte ROTATION_PUT = 6;
        static final byte ROTATION_REMOVE = 7;
        /** A pack that did not open or did not read back whole: none of its items is used, their keys unknown. */
        static final byte PACK_DAMAGED = 8;
        static final byte PACK_FOREIGN_KEY = 9;

        private byte[] bytes = new byte[BATCH_BYTES / 2];
        private int filled;
        final int[] offsets = new int[BATCH_RECORDS];
        final LogFormat.Kind[] kinds = new LogFormat.Kind[BATCH_RECORDS];
        final int[] bodyLengths = new int[BATCH_RECORDS];
        final long[] positions = new long[BATCH_RECORDS];
        final SessionTable.Key[] keys = new SessionTable.Key[BATCH_RECORDS];
        int count;
        /** Which record each item came from, its key, what it turned out to be. */
        int[] itemRecords = new int[BATCH_RECORDS];
        SessionTable.Key[] itemKeys = new SessionTable.Key[BATCH_RECORDS];
        byte[] outcomes = new byte[BATCH_RECORDS];
        Object[] decoded = new Object[BATCH_RECORDS];
        int items;
        /** Where each record is opened: kept with the batch, as large as its largest record so far. */
        private byte[] plaintext = new byte[256];
        /** Where a pack's item is copied to be decoded on its own. */
        private byte[] item = new byte[256];

        void add(LogFormat.Header header, byte[] source, int offset, long position) {
            int length = header.recordBytes();
            if (filled + length > bytes.length) {
                bytes = java.util.Arrays.copyOf(bytes, Math.max(bytes.length * 2, filled + length));
            }
            System.arraycopy(source, offset, bytes, filled, length);
            offsets[count] = filled;
            kinds[count] = header.kind();
            bodyLengths[count] = header.bodyLength();
            positions[count] = position;
            keys[count] = header.key();
            filled += length;
            count++;
        }

        boolean full() {
            return count == BATCH_RECORDS || filled >= BATCH_BYTES;
        }

        /** Ready to be filled again, its buffers kept: what it decoded is the table's now. */
        Batch emptied() {
            java.util.Arrays.fill(decoded, 0, items, null);
            java.util.Arrays.fill(itemKeys, 0, items, null);
            java.util.Arrays.fill(keys, 0, count, null);
            count = 0;
            items = 0;
            filled = 0;
            return this;
        }

        /** Opens and decodes every record: pure, so any thread may run it. */
        Batch decode(Sealer sealer, SessionTable.Shared shared) {
            items = 0;
            for (int i = 0; i < count; i++) {
                int start = offsets[i];
                if (plaintext.length < bodyLengths[i]) {
                    plaintext = new byte[bodyLengths[i]];
                }
                boolean pack = kinds[i] == LogFormat.Kind.PACK;
                int length;
                try {
                    length = sealer.open(bytes, start, LogFormat.ASSOCIATED_BYTES, bytes,
                            start + LogFormat.HEADER_BYTES, bodyLengths[i], plaintext);
                } catch (AEADBadTagException e) {
                    addItem(i, keys[i], pack ? PACK_FOREIGN_KEY : FOREIGN_KEY, null);
                    continue;
                }
                if (pack) {
                    decodePack(i, length, shared);
                    continue;
                }
                try {
                    decodeOne(i, kinds[i], keys[i], plaintext, length, shared);
                } catch (IllegalArgumentException e) {
                    addItem(i, keys[i], DAMAGED, null);
                }
            }
            return this;
        }

        /** Each put of the pack opened into {@link #plaintext}, or if any of it does not read, none of them. */
        private void decodePack(int record, int length, SessionTable.Shared shared) {
            int first = items;
            try {
                LogPack.forEach(plaintext, length, (kind, packed, keyOffset, payloadOffset, payloadLength) -> {
                    if (item.length < payloadLength) {
                        item = new byte[Math.max(payloadLength, 2 * item.length)];
                    }
                    System.arraycopy(packed, payloadOffset, item, 0, payloadLength);
                    decodeOne(record, kind, SessionTable.Key.of(packed, keyOffset), item, payloadLength, shared);
                });
            } catch (IllegalArgumentException e) {
                java.util.Arrays.fill(decoded, first, items, null);
                java.util.Arrays.fill(itemKeys, first, items, null);
                items = first;
                addItem(record, keys[record], PACK_DAMAGED, null);
            }
        }

        /** One record's (or one packed put's) opened {@code opened[0, length)} as an item. */
        private void decodeOne(int record, LogFormat.Kind kind, SessionTable.Key key, byte[] opened, int length,
                               SessionTable.Shared shared) {
            switch (kind) {
                case PUT -> addItem(record, key, PUT, SessionCodec.decodeEntry(key, opened, length, shared));
                case REMOVE -> addItem(record, key, REMOVE, null);
                case ROTATION_PUT -> addItem(record, key, ROTATION_PUT,
                        RotationCodec.decode(java.util.Arrays.copyOf(opened, length)));
                case ROTATION_REMOVE -> addItem(record, key, ROTATION_REMOVE, null);
                case APP_TOKEN -> {
                    if (!key.equals(APP_TOKEN_KEY)) {
                        throw new IllegalArgumentException("an app token record under another key");
                    }
                    addItem(record, key, APP_TOKEN, AppTokenCodec.decode(java.util.Arrays.copyOf(opened, length)));
                }
                case PACK -> throw new IllegalArgumentException("a pack inside a pack");
            }
        }

        private void addItem(int record, SessionTable.Key key, byte outcome, Object value) {
            if (items == outcomes.length) {
                int grown = 2 * items;
                itemRecords = java.util.Arrays.copyOf(itemRecords, grown);
                itemKeys = java.util.Arrays.copyOf(itemKeys, grown);
                outcomes = java.util.Arrays.copyOf(outcomes, grown);
                decoded = java.util.Arrays.copyOf(decoded, grown);
            }
            itemRecords[items] = record;
            itemKeys[items] = key;
            outcomes[items] = outcome;
            decoded[items] = value;
            items++;
        }
    }

    /** A sliding view of the file, large enough to hold any whole record. */
    private static final class Window {

        final long size;
        private final FileChannel channel;
        private final ByteBuffer buffer = ByteBuffer.allocate(Math.max(WINDOW_BYTES, LogFormat.MAX_RECORD_BYTES));
        private long start;
        private int length;

        Window(FileChannel channel) throws IOException {
            this.channel = channel;
            this.size = channel.size();
        }

        /** Makes {@code [position, position + count)} readable; false when the file ends before. */
        boolean has(long position, int count) throws IOException {
            if (position + count > size) {
                return false;
            }
            if (position >= start && position + count <= start + length) {
                return true;
            }
            buffer.clear();
            start = position;
            while (buffer.hasRemaining()) {
                int read = channel.read(buffer, start + buffer.position());
                if (read < 0) {
                    break;
                }
            }
            length = buffer.position();
            return position + count <= start + length;
        }

        /** Whether every byte from {@code position} to the end of the file is zero. Moves the window. */
        boolean zerosFrom(long position) throws IOException {
            for (long at = position; at < size; ) {
                int count = (int) Math.min(WINDOW_BYTES, size - at);
                if (!has(at, count)) {
                    return false;
                }
                int offset = offset(at);
                for (int i = offset; i < offset + count; i++) {
                    if (buffer.array()[i] != 0) {
                        return false;
                    }
                }
                at += count;
            }
            return true;
        }

        byte[] bytes() {
            return buffer.array();
        }

        int offset(long position) {
            return (int) (position - start);
        }
    }
}
