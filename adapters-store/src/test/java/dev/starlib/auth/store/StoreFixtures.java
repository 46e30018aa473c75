package dev.starlib.auth.store;

import dev.starlib.auth.application.port.AuthEvents;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Opening file stores the way the crash tests need, and reading and harming their log. */
final class StoreFixtures {

    /** No directory lock: a crash test opens the directory again while the "killed" store is still open. */
    static final FileSessionStore.Options CRASH_TESTS =
            new FileSessionStore.Options(false, FileSessionStore.Options.DEFAULTS.compactionSlack(),
                    FileSessionStore.Options.DEFAULTS.preallocationBytes());
    static final Duration RESULT_TTL = Duration.ofMinutes(2);

    private StoreFixtures() {
    }

    static StoreKey newKey() {
        return StoreKey.generate(new SecureRandom());
    }

    /**
     * Stores for a contract suite, each in a directory of its own under {@code root}, where every {@link #reopen} is a
     * crash: a second store is opened on the same directory while the first is still open, never closed, so nothing
     * but what each call wrote before returning carries over. Closes them all at the end.
     */
    static final class CrashingStores implements AutoCloseable {

        private record Opened(Path directory, int capacity) {
        }

        private final Path root;
        private final StoreKey key = newKey();
        private final Map<FileSessionStore, Opened> opened = new IdentityHashMap<>();
        private final List<FileSessionStore> all = new ArrayList<>();

        CrashingStores(Path root) {
            this.root = root;
        }

        FileSessionStore newStore(int capacity) {
            return open(new Opened(root.resolve("store-" + opened.size()), capacity));
        }

        FileSessionStore reopen(FileSessionStore current) {
            return open(opened.get(current));
        }

        private FileSessionStore open(Opened how) {
            FileSessionStore store = FileSessionStore.open(how.directory(), Optional.of(key), how.capacity(),
                    AuthEvents.NONE, CRASH_TESTS);
            opened.put(store, how);
            all.add(store);
            return store;
        }

        @Override
        public void close() {
            all.forEach(FileSessionStore::close);
        }
    }

    /** Opens stores on one directory, as successive processes would; closes them all at the end. */
    static final class Directory implements AutoCloseable {

        final Path path;
        final StoreKey key;
        final RecordingEvents events = new RecordingEvents();
        private final FileSessionStore.Options options;
        private final List<FileSessionStore> opened = new ArrayList<>();

        private final int capacity;

        Directory(Path path, StoreKey key, FileSessionStore.Options options) {
            this(path, key, options, 1_000);
        }

        Directory(Path path, StoreKey key, FileSessionStore.Options options, int capacity) {
            this.path = path;
            this.key = key;
            this.options = options;
            this.capacity = capacity;
        }

        Directory(Path path) {
            this(path, newKey(), CRASH_TESTS);
        }

        /** A process starting on this directory; the ones before it are left open, as if killed. */
        FileSessionStore start() {
            return startWith(key);
        }

        FileSessionStore startWith(StoreKey someKey) {
            FileSessionStore store = FileSessionStore.open(path, Optional.of(someKey), capacity, events, options);
            opened.add(store);
            return store;
        }

        Path log() {
            return path.resolve(FileSessionStore.LOG_FILE);
        }

        /** Where the log's records end: the zeros preallocated after them are free space, not log. */
        long logSize() throws IOException {
            return LogReplay.end(log());
        }

        /** The file's length, preallocated zeros included. */
        long fileSize() throws IOException {
            return Files.size(log());
        }

        byte[] logBytes() throws IOException {
            return Files.readAllBytes(log());
        }

        /** One record of the log as it lies in the file, with the key its header carries. */
        record Written(long position, LogFormat.Kind kind, SessionTable.Key key, int bodyLength) {
        }

        /** The log's records in order, read by their headers. */
        List<Written> records() throws IOException {
            byte[] bytes = logBytes();
            List<Written> records = new ArrayList<>();
            for (int at = 0; at + LogFormat.HEADER_BYTES <= bytes.length; ) {
                LogFormat.Header header = LogFormat.header(bytes, at);
                if (header == null) {
                    break; // the zeros ahead of the records
                }
                records.add(new Written(at, header.kind(), header.key(), header.bodyLength()));
                at += header.recordBytes();
            }
            return records;
        }

        /**
         * The key of every record the log holds, superseded ones included, and of every put inside its packs (whose
         * keys are sealed, so not to be found in the file's bytes): what is physically on disk.
         */
        List<SessionTable.Key> keysWritten() throws IOException {
            byte[] bytes = logBytes();
            List<SessionTable.Key> keys = new ArrayList<>();
            for (Written record : records()) {
                if (record.kind() == LogFormat.Kind.PACK) {
                    keys.addAll(keysIn(bytes, record));
                } else {
                    keys.add(record.key());
                }
            }
            return keys;
        }

        /** The keys of the puts packed into {@code pack}. */
        List<SessionTable.Key> keysIn(Written pack) throws IOException {
            return keysIn(logBytes(), pack);
        }

        private List<SessionTable.Key> keysIn(byte[] log, Written pack) {
            int at = (int) pack.position();
            List<SessionTable.Key> keys = new ArrayList<>();
            try {
                byte[] opened = new Sealer(key, new SecureRandom()).open(log, at, LogFormat.ASSOCIATED_BYTES, log,
                        at + LogFormat.HEADER_BYTES, pack.bodyLength());
                LogPack.forEach(opened, opened.length, (kind, items, keyOffset, payloadOffset, payloadLength) ->
                        keys.add(SessionTable.Key.of(items, keyOffset)));
            } catch (javax.crypto.AEADBadTagException e) {
                throw new AssertionError("a pack of this log does not open under its key", e);
            }
            return keys;
        }

        /** Whether any record or packed put of the log is under {@code state}'s key. */
        boolean written(dev.starlib.auth.domain.StateHash state) throws IOException {
            return keysWritten().contains(SessionTable.Key.of(state));
        }

        void cutLogAt(long length) throws IOException {
            byte[] bytes = logBytes();
            Files.write(log(), Arrays.copyOf(bytes, Math.toIntExact(length)));
        }

        /**
         * What a write cut short leaves in a preallocated log: its bytes from {@code offset} on never reached the
         * disk, so they are still the zeros written ahead of it; the file keeps its length.
         */
        void zeroLogFrom(long offset) throws IOException {
            byte[] bytes = logBytes();
            Arrays.fill(bytes, Math.toIntExact(offset), bytes.length, (byte) 0);
            Files.write(log(), bytes);
        }

        void flipByteAt(long offset) throws IOException {
            byte[] bytes = logBytes();
            bytes[Math.toIntExact(offset)] ^= 0x5A;
            Files.write(log(), bytes);
        }

        @Override
        public void close() {
            opened.forEach(FileSessionStore::close);
        }
    }
}
