package dev.starlib.auth.bootstrap;

import java.util.Locale;
import java.util.Optional;

/**
 * Whether the heap this JVM may take can hold what {@code SESSION_STORE_CAPACITY} lets the memory and file stores
 * keep in it. Both hold every session on the heap, and as many remembered refreshes beside them, so a capacity the
 * heap cannot hold is no bound: a flood of logins runs the JVM out of memory (and run.sh's JVM exits on that) before
 * the capacity refuses a single one, and a steady load spends its time in full collections on the way there. The
 * Redis store keeps its sessions in Redis.
 * <p>
 * The figures are the benchmark's (docs/performance.md, B12 and B13): the service's own live heap is under
 * {@value #BASE_MEGABYTES} MB, a finished login waiting for its pickup with SoundCloud's tokens takes about 0.8 KB
 * and a remembered refresh about 0.55 KB. {@value #BYTES_PER_PLACE} bytes per place of capacity covers a full store
 * with a third to spare, which the collector needs: a heap that is nearly all live data goes from one full
 * collection to the next.
 */
final class HeapBudget {

    static final long BASE_MEGABYTES = 48;
    static final long BYTES_PER_PLACE = 2_048;

    private HeapBudget() {
    }

    /** The heap {@code store} may need at its capacity, in bytes; none for a store that keeps nothing on the heap. */
    static Optional<Long> needed(StoreSettings store) {
        return switch (store) {
            case StoreSettings.Memory memory -> Optional.of(bytes(memory.capacity()));
            case StoreSettings.File file -> Optional.of(bytes(file.capacity()));
            case StoreSettings.Redis redis -> Optional.empty();
        };
    }

    /**
     * What to warn an operator of when {@code maxHeap} ({@link Runtime#maxMemory()}) is less than {@code store} may
     * need, or nothing when it holds it.
     */
    static Optional<String> warning(StoreSettings store, long maxHeap) {
        return needed(store).filter(needed -> needed > maxHeap).map(needed -> String.format(Locale.ROOT,
                "SESSION_STORE_CAPACITY=%d lets the %s store keep about %d MB on the heap (its sessions and as many"
                        + " remembered refreshes), but this JVM may take at most %d MB: a flood of logins would run it"
                        + " out of memory before the capacity refused one. Raise STARLIB_HEAP_MAX to %dm or more"
                        + " (%d MB + 2 KB per session), or lower SESSION_STORE_CAPACITY to %d or less",
                store.capacity(), store.kind().label(), megabytesUp(needed), maxHeap / 1_048_576, megabytesUp(needed),
                BASE_MEGABYTES, fits(maxHeap)));
    }

    private static long bytes(int capacity) {
        return BASE_MEGABYTES * 1_048_576 + capacity * BYTES_PER_PLACE;
    }

    /** The largest capacity {@code maxHeap} holds (at least 1, the smallest capacity there is). */
    private static long fits(long maxHeap) {
        return Math.max(1, (maxHeap - BASE_MEGABYTES * 1_048_576) / BYTES_PER_PLACE);
    }

    private static long megabytesUp(long bytes) {
        return (bytes + 1_048_575) / 1_048_576;
    }
}
