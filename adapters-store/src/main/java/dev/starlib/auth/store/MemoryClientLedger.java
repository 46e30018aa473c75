package dev.starlib.auth.store;

import dev.starlib.auth.application.port.ClientLedger;
import dev.starlib.auth.domain.ClientKey;
import dev.starlib.auth.domain.ClientRule;

import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Tallies per client in this process's memory, in a table that cannot grow without bound: a tally is forgotten
 * once its rule says keeping it makes no difference ({@link ClientRule.Outcome#forgetAt()}), and when the table
 * holds {@code capacity} tallies the least recently used one is forgotten for the newcomer. Forgetting is always a
 * fresh start for that client, never a refusal, so an attacker who rotates addresses to fill the table can only
 * reset the budgets of others, not spend them; the session store's per-client quota stands regardless.
 * <p>
 * One lock over an access-ordered map: an update is a hash lookup and a few arithmetic operations.
 */
public final class MemoryClientLedger implements ClientLedger {

    /** How many expired tallies one update sweeps from the cold end of the table, at most. */
    private static final int SWEEP = 4;

    private final int capacity;
    private final LinkedHashMap<Entry, Tally> tallies = new LinkedHashMap<>(256, 0.75f, true);
    private final ReentrantLock lock = new ReentrantLock();
    private long evictedForRoom;

    private record Entry(String scope, ClientKey client) {
    }

    private record Tally(Object state, Instant forgetAt) {
    }

    /** @param capacity most tallies held at once, over all scopes */
    public MemoryClientLedger(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1");
        }
        this.capacity = capacity;
    }

    @Override
    @SuppressWarnings("unchecked")
    public <S, A> A update(String scope, ClientKey client, ClientRule<S, A> rule, Instant now) {
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(client, "client");
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(now, "now");
        Entry entry = new Entry(scope, client);
        lock.lock();
        try {
            Tally held = tallies.get(entry);
            S current = held == null || !now.isBefore(held.forgetAt()) ? null : (S) held.state();
            ClientRule.Outcome<S, A> outcome = rule.apply(current, now);
            if (outcome.next() == null || !now.isBefore(outcome.forgetAt())) {
                tallies.remove(entry);
            } else {
                tallies.put(entry, new Tally(outcome.next(), outcome.forgetAt()));
                makeRoom(now);
            }
            return outcome.answer();
        } finally {
            lock.unlock();
        }
    }

    /** How many tallies are held now (expired ones not yet swept included). */
    public int size() {
        lock.lock();
        try {
            return tallies.size();
        } finally {
            lock.unlock();
        }
    }

    /** Forgets every tally whose time is up; the service calls it with the session purge. */
    public int purgeExpired(Instant now) {
        lock.lock();
        try {
            int before = tallies.size();
            tallies.values().removeIf(tally -> !now.isBefore(tally.forgetAt()));
            return before - tallies.size();
        } finally {
            lock.unlock();
        }
    }

    /** Tallies forgotten only because the table was full: a sign that the table is too small, or under attack. */
    public long evictedForRoom() {
        lock.lock();
        try {
            return evictedForRoom;
        } finally {
            lock.unlock();
        }
    }

    private void makeRoom(Instant now) {
        Iterator<Tally> coldest = tallies.values().iterator();
        for (int swept = 0; swept < SWEEP && coldest.hasNext(); swept++) {
            if (!now.isBefore(coldest.next().forgetAt())) {
                coldest.remove();
            }
        }
        while (tallies.size() > capacity) {
            Iterator<Map.Entry<Entry, Tally>> eldest = tallies.entrySet().iterator();
            eldest.next();
            eldest.remove();
            evictedForRoom++;
        }
    }

    @Override
    public String toString() {
        return "MemoryClientLedger[capacity=" + capacity + "]";
    }
}
