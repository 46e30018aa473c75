package dev.starlib.auth.store;

import dev.starlib.auth.store.SessionTable.Entry;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;

/**
 * One stage's entries in the order they arrived, which a {@link SessionTable} keeps only while that is also their
 * order by when they began and by when they expire (then by key): every stage keeps one TTL, so nearly all entries
 * arrive so. An entry that would break the order is not offered here (the table keeps it aside, sorted).
 * <p>
 * An array used from {@code head} to {@code tail}: appending and removing (by the slot the entry remembers, which
 * is left empty) cost O(1); the empty slots are squeezed out when the array fills, each time after at least half
 * its length of appends, so that too is O(1) amortised; a squeeze doubles the array when more than half of it held
 * entries and halves it when fewer than an eighth did.
 * <p>
 * A cursor splits the entries at the table's mark (the instant its counts last walked to): those before it have
 * expired at the mark, those from it on have not. Not thread-safe: the table's lock guards it.
 */
final class StageQueue {

    private static final int SMALLEST = 16;

    private final Comparator<Entry> bySince;
    private final Comparator<Entry> byExpiry;
    private Entry[] slots;
    private int head;
    private int tail;
    private int live;
    private int cursor;

    StageQueue(int capacity, Comparator<Entry> bySince, Comparator<Entry> byExpiry) {
        this.slots = new Entry[Math.max(SMALLEST, capacity)];
        this.bySince = bySince;
        this.byExpiry = byExpiry;
    }

    int size() {
        return live;
    }

    /**
     * Takes {@code entry} in if it begins and expires after every entry held (by {@link #bySince} and
     * {@link #byExpiry}), or a little before the last ones (among the last {@value #NEAR_THE_TAIL} slots, in both
     * orders): results are picked up, and exchanges begin, a little out of the order their stage began. Whether
     * it did.
     *
     * @param expiredAtMark whether the entry has expired at the table's mark
     */
    boolean offer(Entry entry, boolean expiredAtMark) {
        while (tail > head && slots[tail - 1] == null) {
            tail--;
        }
        cursor = Math.min(cursor, tail);
        if (tail == head || before(slots[tail - 1], entry)) {
            if (tail == slots.length) {
                makeRoom();
            }
            put(entry, tail++);
            if (expiredAtMark) {
                // Every entry before it expires sooner, so has expired at the mark too: the cursor was at the tail.
                cursor = tail;
            }
            return true;
        }
        return insertNearTheTail(entry, expiredAtMark);
    }

    /** The most slots an entry that arrives out of order may go back from the tail (each one moved up by one). */
    static final int NEAR_THE_TAIL = 64;

    private boolean insertNearTheTail(Entry entry, boolean expiredAtMark) {
        if (tail == slots.length) {
            makeRoom();
        }
        // The first entry after it by since, and where the one before it lies (or head - 1).
        int at = tail;
        Entry next = null;
        while (at > head) {
            Entry held = slots[at - 1];
            if (held != null) {
                if (bySince.compare(held, entry) < 0) {
                    break;
                }
                next = held;
            }
            if (tail - --at > NEAR_THE_TAIL) {
                return false;
            }
        }
        int previous = at - 1;
        if (previous >= head && byExpiry.compare(slots[previous], entry) >= 0
                || next == null || byExpiry.compare(entry, next) >= 0) {
            return false;
        }
        // Only empty slots lie between the one before and at; the cursor's side follows from its expiry: an
        // expired one goes at or before the cursor, any other at or after it.
        if (!expiredAtMark && at < cursor) {
            at = cursor;
        }
        if (slots[at] != null) {
            for (int from = tail - 1; from >= at; from--) {
                Entry moved = slots[from];
                if (moved != null) {
                    moved.slot = from + 1;
                }
                slots[from + 1] = moved;
            }
            tail++;
            if (expiredAtMark) {
                cursor++;
            }
        } else if (expiredAtMark && at == cursor) {
            cursor++;
        }
        put(entry, at);
        return true;
    }

    private boolean before(Entry held, Entry entry) {
        return bySince.compare(held, entry) < 0 && byExpiry.compare(held, entry) < 0;
    }

    private void put(Entry entry, int at) {
        entry.slot = at;
        slots[at] = entry;
        live++;
    }

    /** Takes {@code entry} (held here) out; whether it lay before the cursor (it had expired at the mark). */
    boolean remove(Entry entry) {
        int at = entry.slot;
        if (at < head || at >= tail || slots[at] != entry) {
            throw new IllegalStateException("an entry is not where it was put");
        }
        slots[at] = null;
        live--;
        boolean beforeCursor = at < cursor;
        while (head < tail && slots[head] == null) {
            head++;
        }
        if (head == tail) {
            head = 0;
            tail = 0;
            cursor = 0;
        } else if (cursor < head) {
            cursor = head;
        }
        return beforeCursor;
    }

    /** Moves the cursor past every entry expired at {@code upTo}; how many entries it passed. */
    int advanceTo(Entry upTo) {
        int passed = 0;
        while (cursor < tail) {
            Entry entry = slots[cursor];
            if (entry != null) {
                if (byExpiry.compare(entry, upTo) > 0) {
                    break;
                }
                passed++;
            }
            cursor++;
        }
        return passed;
    }

    /** How many entries before the cursor (expired at the mark) have not expired at {@code upTo}, a bound before it. */
    int notExpiredBeforeCursor(Entry upTo) {
        int notYet = 0;
        for (int at = cursor - 1; at >= head; at--) {
            Entry entry = slots[at];
            if (entry != null) {
                if (byExpiry.compare(entry, upTo) <= 0) {
                    break;
                }
                notYet++;
            }
        }
        return notYet;
    }

    /** Adds the entries that have expired at {@code now} to {@code into}, soonest expired first. */
    void expiredAt(Instant now, List<Entry> into) {
        for (int at = head; at < tail; at++) {
            Entry entry = slots[at];
            if (entry != null) {
                if (!entry.isExpiredAt(now)) {
                    return;
                }
                into.add(entry);
            }
        }
    }

    /**
     * Adds up to {@code limit} entries that have not expired at {@code now} to {@code into}, oldest first.
     *
     * @param markPassed whether the mark is at or before {@code now} (then what lies before the cursor has expired)
     */
    void oldest(Instant now, boolean markPassed, int limit, List<Entry> into) {
        int taken = 0;
        for (int at = markPassed ? cursor : head; at < tail && taken < limit; at++) {
            Entry entry = slots[at];
            if (entry != null && !entry.isExpiredAt(now)) {
                into.add(entry);
                taken++;
            }
        }
    }

    /**
     * Squeezes the empty slots out, into an array twice as long when more than half the slots hold an entry, half
     * as long when fewer than an eighth do.
     */
    private void makeRoom() {
        int length = slots.length;
        int wanted = live * 2 > length ? length * 2 : live * 8 < length && length > SMALLEST ? length / 2 : length;
        Entry[] into = wanted == length ? slots : new Entry[wanted];
        int held = 0;
        int beforeCursor = 0;
        for (int at = head; at < tail; at++) {
            Entry entry = slots[at];
            if (entry != null) {
                if (at < cursor) {
                    beforeCursor++;
                }
                entry.slot = held;
                into[held++] = entry;
            }
        }
        if (into == slots) {
            java.util.Arrays.fill(slots, held, tail, null);
        }
        slots = into;
        head = 0;
        tail = held;
        cursor = beforeCursor;
    }
}
