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

        Directory(Path path, StoreKey key, FileSessionStore.Options options) {
            this.path = path;
            this.key = key;
            this.options = options;
        }

        Directory(Path path) {
            this(path, newKey(), CRASH_TESTS);
        }

        /** A process starting on this directory; the ones before it are left open, as if killed. */
        FileSessionStore start() {
            return startWith(key);
        }

        FileSessionStore startWith(StoreKey someKey) {
            FileSessionStore store = FileSessionStore.open(path, Optional.of(someKey), 1_000, events,
                    options);
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
