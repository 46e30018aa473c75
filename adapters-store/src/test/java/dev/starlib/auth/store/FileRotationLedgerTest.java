package dev.starlib.auth.store;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;

/**
 * The whole ledger contract against the file store, where every {@code reopen} is a crash: a second store is opened
 * on the same directory while the first is still open, never closed, so nothing but what each call wrote before
 * returning carries the answers over.
 */
class FileRotationLedgerTest extends RotationLedgerContract<FileSessionStore> {

    @TempDir
    Path root;
    private StoreFixtures.CrashingStores stores;

    @Override
    protected FileSessionStore newLedger(int capacity) {
        return stores().newStore(capacity);
    }

    @Override
    protected FileSessionStore reopen(FileSessionStore current) {
        return stores().reopen(current);
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
        stores().close();
    }

    /** Made on first use: the contract's own set-up opens the first ledger before this class's would run. */
    private StoreFixtures.CrashingStores stores() {
        if (stores == null) {
            stores = new StoreFixtures.CrashingStores(root);
        }
        return stores;
    }
}
