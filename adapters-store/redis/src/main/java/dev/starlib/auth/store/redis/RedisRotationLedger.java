package dev.starlib.auth.store.redis;

import dev.starlib.auth.application.port.AuthEvents;
import dev.starlib.auth.application.port.RotationLedger;
import dev.starlib.auth.application.port.SessionStoreException;
import dev.starlib.auth.domain.SealedRotation;
import dev.starlib.auth.domain.TokenHash;
import dev.starlib.auth.store.SealedAnswers;
import dev.starlib.auth.store.SealedSessions;
import io.lettuce.core.KeyValue;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static java.nio.charset.StandardCharsets.US_ASCII;

/**
 * The refresh-token rotation ledger in Redis, shared by every instance (decision 0008 sketched it, decision 0010
 * says what was built), so that concurrent refreshes of one token on any instances make one SoundCloud call.
 * <ul>
 *   <li><b>The lease</b> of a token is {@code rotation-lease:<hash>} = {@code <holder>:<until ms>}, taken with
 *       {@code SET NX PX} ({@link Scripts#CLAIM}) under a random 128-bit holder, kept alive while its holder works
 *       ({@link LeaseKeeper}: a short expiry, renewed) up to the deadline the use case gave, and let go by
 *       compare-and-delete. The deadline is also in the value, so a lease past it by the caller's clock counts as
 *       none.</li>
 *   <li><b>The answer</b> goes to {@code rotation-done:<hash>:<holder>} for the lease's waiters, and, for the reuse
 *       window, to {@code rotation:<hash>} (a hash of the deadline, the answer and the handed-out token hashes)
 *       with a Redis expiry at that deadline, indexed for capacity and the purge. Both sealed again under the store
 *       key ({@link SealedAnswers}); the use case sealed the answer under the old token before.</li>
 *   <li><b>Waiters</b> on this instance are woken by the publication at once; waiters elsewhere poll Redis (every 5
 *       ms at first, at most every 50 ms): one {@code MGET} of the answer and the lease, atomic, so an answer
 *       published before the wait began is found, and a lease that vanished without one (abandoned, its holder's
 *       process gone) is an ended rotation. While Redis cannot be reached, a waiter beside the holder keeps
 *       waiting for the answer, which reaches it in this process; a waiter elsewhere gets the fault at once.</li>
 * </ul>
 * Every change is confirmed by the replicas like a session's ({@link ReplicatedWrites}); lease renewals are not.
 */
final class RedisRotationLedger implements RotationLedger {

    /** A rotation's answer stays with its waiters at least this long, however short its lease. */
    static final Duration LEAST_DONE_TTL = Duration.ofSeconds(10);
    private static final Duration FIRST_POLL = Duration.ofMillis(5);
    private static final Duration LONGEST_POLL = Duration.ofMillis(50);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder HOLDER = Base64.getUrlEncoder().withoutPadding();

    private final RedisConnection redis;
    private final ReplicatedWrites writes;
    private final RedisKeys keys;
    private final SealedAnswers sealed;
    private final int capacity;
    private final Clock clock;
    private final LeaseKeeper leases;
    private final AuthEvents events;
    /** The leases this process holds and keeps alive, by {@link #name}. */
    private final Map<String, LeaseKeeper.Kept> held = new ConcurrentHashMap<>();
    /** How this process's waiters learn at once of an end decided here: the answer, or none. */
    private final Map<String, CompletableFuture<Optional<SealedRotation>>> endings = new ConcurrentHashMap<>();

    RedisRotationLedger(RedisConnection redis, ReplicatedWrites writes, RedisKeys keys, SealedAnswers sealed,
                        int capacity, Clock clock, LeaseKeeper leases, AuthEvents events) {
        this.redis = redis;
        this.writes = writes;
        this.keys = keys;
        this.sealed = sealed;
        this.capacity = capacity;
        this.clock = clock;
        this.leases = leases;
        this.events = events;
    }

    @Override
    public Claim claim(TokenHash rotated, Instant now, Instant leaseUntil) {
        Objects.requireNonNull(rotated, "rotated");
        Lease mine = new Lease(rotated, newHolder(), Instant.ofEpochMilli(leaseUntil.toEpochMilli()));
        byte[] leaseKey = keys.rotationLease(rotated);
        List<Object> answer = writes.run("claim", claimed -> kind(claimed) == 0, Scripts.CLAIM,
                new byte[][]{keys.rotation(rotated), leaseKey}, number(now.toEpochMilli()), ascii(value(mine)),
                number(leases.firstTtlMillis(mine.until())));
        return switch ((int) kind(answer)) {
            case 0 -> {
                held.put(name(mine), leases.keep(leaseKey, value(mine), mine.until()));
                yield new Claim.Granted(mine);
            }
            case 1 -> new Claim.Remembered(open(rotated, (byte[]) answer.get(1)));
            case 2 -> new Claim.Underway(lease(rotated, new String((byte[]) answer.get(1), US_ASCII)));
            default -> throw new IllegalStateException("the claim script answered " + answer.getFirst());
        };
    }

    @Override
    public Publication publish(Lease lease, SealedRotation answer, Set<TokenHash> handsOut, Instant now,
                               Instant keepUntil) {
        Objects.requireNonNull(answer, "answer");
        TokenHash rotated = lease.rotated();
        StringBuilder handed = new StringBuilder();
        handsOut.forEach(token -> handed.append(token.hex()).append(','));
        long keepUntilMillis = ceilMillis(keepUntil);
        long clockNow = clock.instant().toEpochMilli();
        try {
            long outcome = writes.run("rotation", published -> true, Scripts.PUBLISH,
                    new byte[][]{keys.rotation(rotated), keys.rotationLease(rotated), keys.rotationDone(rotated,
                            lease.holder()), keys.rotationForgotten(rotated), keys.rotations()},
                    ascii(value(lease)), ascii(lease.holder()), sealed.seal(rotated, answer),
                    number(now.toEpochMilli()), number(keepUntilMillis), number(Math.max(1, keepUntilMillis - clockNow)),
                    number(doneTtlMillis(lease, clockNow)), number(capacity), ascii(rotated.hex()),
                    ascii(handed.toString()), keys.rotationPrefix(), keys.handsOutPrefix());
            return switch ((int) outcome) {
                case 1 -> Publication.REMEMBERED;
                case 2 -> Publication.NOT_KEPT;
                case 3 -> Publication.FULL;
                case 4 -> Publication.FORGOTTEN;
                default -> throw new IllegalStateException("the publish script answered " + outcome);
            };
        } finally {
            // This process's waiters have it whatever became of the write; the others find it in Redis, or not.
            end(lease, Optional.of(answer));
        }
    }

    @Override
    public void abandon(Lease lease) {
        try {
            writes.<Long>run("rotation", released -> released == 1, Scripts.RELEASE,
                    new byte[][]{keys.rotationLease(lease.rotated())}, ascii(value(lease)));
        } finally {
            end(lease, Optional.empty());
        }
    }

    @Override
    public Awaited await(Lease lease, Duration atMost) throws InterruptedException {
        String name = name(lease);
        CompletableFuture<Optional<SealedRotation>> ending = endings.computeIfAbsent(name,
                ignored -> new CompletableFuture<>());
        try {
            long deadline = System.nanoTime() + Math.max(0, atMost.toNanos());
            long pause = FIRST_POLL.toNanos();
            while (true) {
                if (ending.isDone()) {
                    return ended(ending.join());
                }
                Awaited seen;
                try {
                    seen = look(lease);
                } catch (SessionStoreException unreachable) {
                    if (!held.containsKey(name) && !ending.isDone()) {
                        throw unreachable;
                    }
                    // The rotation runs in this process: its answer comes here whether Redis answers or not.
                    seen = new Awaited.StillUnderway();
                }
                if (!(seen instanceof Awaited.StillUnderway)) {
                    return seen;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return seen;
                }
                try {
                    return ended(ending.get(Math.min(pause, left), TimeUnit.NANOSECONDS));
                } catch (TimeoutException notYet) {
                    pause = Math.min(pause * 2, LONGEST_POLL.toNanos());
                } catch (ExecutionException cannotHappen) {
                    return new Awaited.Ended();
                }
            }
        } finally {
            endings.remove(name, ending);
        }
    }

    @Override
    public void forget(TokenHash token) {
        Objects.requireNonNull(token, "token");
        writes.run("forget", forgotten -> true, Scripts.FORGET,
                new byte[][]{keys.rotation(token), keys.handsOut(token), keys.rotationLease(token),
                        keys.rotationForgotten(token), keys.rotations()},
                ascii(token.hex()), keys.rotationPrefix(), number(clock.instant().toEpochMilli()),
                number(LEAST_DONE_TTL.toMillis()));
    }

    /** Forgets the remembered answers whose time is up at {@code now}, by the index (Redis expires them too). */
    int purgeExpired(Instant now, int batch) {
        int purged = 0;
        while (true) {
            long went = writes.<Long>runUnconfirmed("purge", Scripts.PURGE, new byte[][]{keys.rotations()},
                    number(now.toEpochMilli()), keys.rotationPrefix(), number(batch));
            purged += (int) went;
            if (went < batch) {
                return purged;
            }
        }
    }

    /** Stops keeping this process's leases alive; they lapse in Redis within the lease expiry. */
    void stopRenewing() {
        held.values().forEach(LeaseKeeper.Kept::stop);
        held.clear();
    }

    private static Awaited ended(Optional<SealedRotation> answer) {
        return answer.<Awaited>map(Awaited.Published::new).orElseGet(Awaited.Ended::new);
    }

    /** Where the rotation a lease names stands now, in Redis: one atomic read of its answer and its lease. */
    private Awaited look(Lease lease) {
        TokenHash rotated = lease.rotated();
        List<KeyValue<byte[], byte[]>> values = redis.await(redis.commands().mget(keys.rotationDone(rotated,
                lease.holder()), keys.rotationLease(rotated)), "read");
        if (values.get(0).hasValue()) {
            return new Awaited.Published(open(rotated, values.get(0).getValue()));
        }
        if (values.get(1).hasValue()) {
            Lease current = lease(rotated, new String(values.get(1).getValue(), US_ASCII));
            if (current.holder().equals(lease.holder()) && current.until().isAfter(clock.instant())) {
                return new Awaited.StillUnderway();
            }
        }
        return new Awaited.Ended();
    }

    private void end(Lease lease, Optional<SealedRotation> answer) {
        String name = name(lease);
        LeaseKeeper.Kept kept = held.remove(name);
        if (kept != null) {
            kept.stop();
        }
        CompletableFuture<Optional<SealedRotation>> ending = endings.remove(name);
        if (ending != null) {
            ending.complete(answer);
        }
    }

    /** An answer that does not open under the store key is a fault (503), never a miss: it is never served. */
    private SealedRotation open(TokenHash rotated, byte[] value) {
        try {
            return sealed.open(rotated, value);
        } catch (SealedSessions.Unreadable e) {
            events.storeError("unreadable");
            throw new SessionStoreException("a remembered rotation in Redis at " + redis.where()
                    + " cannot be opened: " + e.getMessage(), null);
        }
    }

    /** The answer stays with the lease's waiters until its deadline (a waiter told "under way" may come late). */
    private static long doneTtlMillis(Lease lease, long clockNow) {
        return Math.max(LEAST_DONE_TTL.toMillis(), lease.until().toEpochMilli() - clockNow + LEAST_DONE_TTL.toMillis());
    }

    private static Lease lease(TokenHash rotated, String value) {
        int colon = value.lastIndexOf(':');
        return new Lease(rotated, value.substring(0, colon), Instant.ofEpochMilli(Long.parseLong(value.substring(colon + 1))));
    }

    private static String value(Lease lease) {
        return lease.holder() + ":" + lease.until().toEpochMilli();
    }

    private static String name(Lease lease) {
        return lease.rotated().hex() + ":" + lease.holder();
    }

    private static String newHolder() {
        byte[] holder = new byte[16];
        RANDOM.nextBytes(holder);
        return HOLDER.encodeToString(holder);
    }

    private static long kind(List<Object> answer) {
        return (Long) answer.getFirst();
    }

    /** A deadline in whole milliseconds, rounded up, so nothing is forgotten early. */
    private static long ceilMillis(Instant at) {
        long millis = at.toEpochMilli();
        return at.equals(Instant.ofEpochMilli(millis)) ? millis : millis + 1;
    }

    private static byte[] ascii(String text) {
        return text.getBytes(US_ASCII);
    }

    private static byte[] number(long value) {
        return Long.toString(value).getBytes(US_ASCII);
    }

    @Override
    public String toString() {
        return "RedisRotationLedger[capacity=" + capacity + "]";
    }
}
