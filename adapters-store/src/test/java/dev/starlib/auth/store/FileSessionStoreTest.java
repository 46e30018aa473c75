package dev.starlib.auth.store;

import dev.starlib.auth.application.port.AuthEvents;
import dev.starlib.auth.application.port.SessionStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The whole store contract against the file store, where every {@code reopen} is a crash: a second store is
 * opened on the same directory while the first is still open, never closed, so nothing but what each call
 * wrote before returning can carry the sessions over.
 */
class FileSessionStoreTest extends SessionStoreContract {

    private final StoreKey key = StoreFixtures.newKey();
    private final Map<SessionStore, Opened> opened = new IdentityHashMap<>();
    private final List<FileSessionStore> abandoned = new ArrayList<>();
    @TempDir
    Path root;

    private record Opened(Path directory, int capacity, Duration resultTtl) {
    }

    @Override
    protected SessionStore newStore(int capacity, Duration resultTtl) {
        return open(new Opened(root.resolve("store-" + opened.size()), capacity, resultTtl));
    }

    @Override
    protected SessionStore reopen(SessionStore current) {
        return open(opened.get(current));
    }

    @AfterEach
    void letGoOfTheFiles() {
        abandoned.forEach(FileSessionStore::close);
    }

    private SessionStore open(Opened how) {
        FileSessionStore store = FileSessionStore.open(how.directory(), Optional.of(key), how.capacity(),
                how.resultTtl(), AuthEvents.NONE, StoreFixtures.CRASH_TESTS);
        opened.put(store, how);
        abandoned.add(store);
        return store;
    }
}
