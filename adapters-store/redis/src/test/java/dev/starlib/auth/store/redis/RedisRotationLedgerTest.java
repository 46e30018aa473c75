package dev.starlib.auth.store.redis;

import dev.starlib.auth.store.RotationLedgerContract;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * The whole rotation ledger contract against a real {@code redis-server}: every sibling and every reopen is
 * another instance of the service (a store with its own connection, on the same prefix and key), so each claim
 * race, wait and sign-out of the contract also runs across instances. Times start at this second, since Redis
 * expires keys by its own clock. What a restart of one instance does to its leases is Redis's own
 * ({@code RedisLeaseTest}): they outlive it until their expiry, so the contract's restart check does not apply.
 */
class RedisRotationLedgerTest extends RotationLedgerContract<RedisSessionStore> {

    @RegisterExtension
    static final RedisPerClass REDIS = new RedisPerClass();
    private RedisInstances instances;

    @AfterEach
    void closeInstances() {
        instances().close();
    }

    @Override
    protected Instant clockBase() {
        return Instant.now().truncatedTo(ChronoUnit.SECONDS);
    }

    @Override
    protected RedisSessionStore newLedger(int capacity) {
        return instances().fresh("ledger", capacity);
    }

    @Override
    protected RedisSessionStore reopen(RedisSessionStore current) {
        return instances().sibling(current);
    }

    @Override
    protected RedisSessionStore sibling(RedisSessionStore current) {
        return instances().sibling(current);
    }

    @Override
    protected void purgeExpired(RedisSessionStore ledger, Instant now) {
        ledger.purgeExpired(now);
    }

    /** Made on first use: the contract's own set-up opens the first ledger before this class's would run. */
    private RedisInstances instances() {
        if (instances == null) {
            instances = new RedisInstances(REDIS.server());
        }
        return instances;
    }
}
