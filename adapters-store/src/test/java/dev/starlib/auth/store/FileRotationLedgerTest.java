package dev.starlib.auth.store;

import dev.starlib.auth.application.port.AuthEvents;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The whole ledger contract against the file store, where every {@code reopen} is a crash: a second store is opened
 * on the same directory while the first is still open, never closed, so nothing but what each call wrote before
 * returning carries the answers over.
 */
class FileRotationLedgerTest extends RotationLedgerContract<FileSessionStore> {

    private final StoreKey key = StoreFixtures.newKey();
    private final Map<FileSessionStore, Opened> opened = new IdentityHashMap<>();
    private final List<FileSessionStore> abandoned = new ArrayList<>();
    @TempDir
    Path root;

    private record Opened(Path directory, int capacity) {
    }

    @Override
    protected FileSessionStore newLedger(int capacity) {
        return open(new Opened(root.resolve("store-" + opened.size()), capacity));
    }

    @Override
    protected FileSessionStore reopen(FileSessionStore current) {
        return open(opened.get(current));
    }

    @Override
    protected boolean durable() {
        return true;
    }

    @Override
    protected void purgeExpired(FileSessionStore ledger, Instant now) {
        ledger.purgeExpired(now);
    }

    @AfterEach
    void letGoOfTheFiles() {
        abandoned.forEach(FileSessionStore::close);
    }

    private FileSessionStore open(Opened how) {
        FileSessionStore store = FileSessionStore.open(how.directory(), Optional.of(key), how.capacity(),
                AuthEvents.NONE, StoreFixtures.CRASH_TESTS);
        opened.put(store, how);
        abandoned.add(store);
        return store;
    }
}
