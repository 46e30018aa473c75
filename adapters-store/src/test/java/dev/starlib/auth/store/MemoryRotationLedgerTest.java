package dev.starlib.auth.store;

import java.time.Instant;

class MemoryRotationLedgerTest extends RotationLedgerContract<MemorySessionStore> {

    @Override
    protected MemorySessionStore newLedger(int capacity) {
        return new MemorySessionStore(capacity);
    }

    @Override
    protected void purgeExpired(MemorySessionStore ledger, Instant now) {
        ledger.purgeExpired(now);
    }
}
