package dev.starlib.auth.store.redis;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The value this instance last wrote (or was last told) under a key, for a bounded number of keys: what a
 * compare-and-set can expect without a {@code GET} first. It is only a guess. The script compares it with what Redis
 * holds and, when they differ, answers with what it holds, so a stale or evicted entry costs the round trip the
 * {@code GET} would have, never a wrong write; and an answer that writes nothing is never taken from here (the
 * callers read Redis for it).
 * <p>
 * Direct-mapped: each key has one slot, and a later key in the same slot replaces it. Nothing is locked; a slot
 * holds an immutable entry. The values are the sealed ones Redis holds, never a session or a tally in the clear.
 */
final class KnownValues {

    private final AtomicReferenceArray<Entry> slots;
    private final int mask;

    /** @param slots how many keys are remembered at most: a power of two */
    KnownValues(int slots) {
        if (slots < 1 || Integer.bitCount(slots) != 1) {
            throw new IllegalArgumentException("the slots are a power of two");
        }
        this.slots = new AtomicReferenceArray<>(slots);
        this.mask = slots - 1;
    }

    /** The value last known under {@code key}, or null when it is not known. */
    byte[] get(byte[] key) {
        Entry entry = slots.get(slot(key));
        return entry != null && Arrays.equals(entry.key, key) ? entry.value : null;
    }

    /** Remembers that {@code key} now holds {@code value}, or, for null, that nothing is known of it. */
    void put(byte[] key, byte[] value) {
        int slot = slot(key);
        if (value != null) {
            slots.set(slot, new Entry(key, value));
            return;
        }
        Entry entry = slots.get(slot);
        if (entry != null && Arrays.equals(entry.key, key)) {
            slots.compareAndSet(slot, entry, null);
        }
    }

    private int slot(byte[] key) {
        int hash = Arrays.hashCode(key);
        return (hash ^ (hash >>> 16)) & mask;
    }

    @Override
    public String toString() {
        return "KnownValues[" + slots.length() + " slots]";
    }

    private record Entry(byte[] key, byte[] value) {
    }
}
