package dev.starlib.auth.store;

import dev.starlib.auth.application.port.AuthEvents;
import dev.starlib.auth.store.InventoryProperty.Model;
import dev.starlib.auth.store.InventoryProperty.Op;
import dev.starlib.auth.store.InventoryProperty.Ttls;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The counts and the oldest sessions that operators see stay exact through any sequence of logins, transitions,
 * expiries and purges ({@link InventoryProperty}): each store's incremental counters and indexes against a
 * brute-force recount. The file store is also reopened at the end: what it reads back counts the same.
 */
class SessionInventoryPropertyTest {

    @Provide
    Arbitrary<List<Op>> ops() {
        return InventoryProperty.ops();
    }

    /** Longer runs, steps closer together: a stage's queue fills, is squeezed and grows. */
    @Provide
    Arbitrary<List<Op>> manyOps() {
        return InventoryProperty.ops(240, 20_000);
    }

    @Property(tries = 300)
    void theMemoryStoreCountsAndListsExactly(@ForAll("ops") List<Op> ops, @ForAll Ttls ttls) {
        MemorySessionStore store = new MemorySessionStore(10_000);
        InventoryProperty.run(ops, ttls, store, store::purgeExpired);
    }

    @Property(tries = 60)
    void theMemoryStoreCountsAndListsExactlyThroughLongRuns(@ForAll("manyOps") List<Op> ops, @ForAll Ttls ttls) {
        MemorySessionStore store = new MemorySessionStore(10_000);
        InventoryProperty.run(ops, ttls, store, store::purgeExpired);
    }

    @Property(tries = 60)
    void theFileStoreCountsAndListsExactlyAndReadsBackTheSame(@ForAll("ops") List<Op> ops, @ForAll Ttls ttls)
            throws IOException {
        Path directory = Files.createTempDirectory("inventory-property");
        StoreKey key = StoreFixtures.newKey();
        try {
            Model model;
            Instant end;
            try (FileSessionStore store = open(directory, key)) {
                model = InventoryProperty.run(ops, ttls, store, store::purgeExpired);
                end = model.now();
            }
            try (FileSessionStore reopened = open(directory, key)) {
                model.check(reopened, end);
                model.check(reopened, end.plus(InventoryProperty.RESULT_TTL));
            }
        } finally {
            try (Stream<Path> files = Files.walk(directory)) {
                for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(file);
                }
            }
        }
    }

    private static FileSessionStore open(Path directory, StoreKey key) {
        return FileSessionStore.open(directory, Optional.of(key), 10_000, AuthEvents.NONE,
                new FileSessionStore.Options(false, 20, FileSessionStore.Options.DEFAULTS.preallocationBytes()));
    }
}
