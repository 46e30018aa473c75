package dev.starlib.auth.store;

import dev.starlib.auth.domain.SealedRotation;
import dev.starlib.auth.domain.TokenHash;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The book's indexes (by token handed out, by deadline) give exactly what a scan of every remembered answer gives,
 * through any sequence of answers kept, replaced, forgotten and expired. The tokens come from a small pool, so that
 * one token is often the key of one answer and handed out by others, or handed out by several.
 */
class RotationBookPropertyTest {

    private static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");
    private static final List<TokenHash> POOL = java.util.stream.IntStream.range(0, 6)
            .mapToObj(i -> RotationLedgerContract.token()).toList();

    sealed interface Op {
        /** An answer for {@code key}, handing out {@code handsOut}, kept {@code seconds} from now. */
        record Keep(int key, Set<Integer> handsOut, int seconds) implements Op {
        }

        /** A sign-out of {@code token}. */
        record Forget(int token) implements Op {
        }

        /** Time moves on by {@code seconds}, and a purge runs. */
        record Purge(int seconds) implements Op {
        }
    }

    /** What the book must agree with: every remembered answer, searched by a full scan. */
    private record Modelled(SealedRotation answer, Set<TokenHash> handsOut, Instant keepUntil) {
    }

    @Provide
    Arbitrary<List<Op>> ops() {
        Arbitrary<Integer> index = Arbitraries.integers().between(0, POOL.size() - 1);
        Arbitrary<Op> keep = Combinators.combine(index, index.set().ofMaxSize(3), Arbitraries.integers().between(1, 90))
                .as(Op.Keep::new);
        Arbitrary<Op> forget = index.map(Op.Forget::new);
        Arbitrary<Op> purge = Arbitraries.integers().between(0, 40).map(Op.Purge::new);
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(5, keep), net.jqwik.api.Tuple.of(2, forget), net.jqwik.api.Tuple.of(2, purge))
                .list().ofMaxSize(60);
    }

    @Property(tries = 1_000)
    void theIndexesFindExactlyWhatAScanFinds(@ForAll("ops") List<Op> ops) {
        RotationBook book = new RotationBook(POOL.size());
        Map<TokenHash, Modelled> model = new HashMap<>();
        Instant now = T0;
        for (Op op : ops) {
            switch (op) {
                case Op.Keep keep -> {
                    TokenHash key = POOL.get(keep.key());
                    Set<TokenHash> handsOut = keep.handsOut().stream().map(POOL::get).collect(Collectors.toSet());
                    Modelled answer = new Modelled(RotationLedgerContract.answer(), handsOut, now.plusSeconds(keep.seconds()));
                    book.keep(key, new RotationBook.Kept(answer.answer(), handsOut, answer.keepUntil()));
                    model.put(key, answer);
                }
                case Op.Forget forget -> {
                    TokenHash token = POOL.get(forget.token());
                    Set<TokenHash> scanned = model.entrySet().stream()
                            .filter(entry -> entry.getKey().equals(token) || entry.getValue().handsOut().contains(token))
                            .map(Map.Entry::getKey).collect(Collectors.toSet());
                    List<TokenHash> removed = book.removeKeptFor(token);
                    assertThat(removed).doesNotHaveDuplicates();
                    assertThat(new HashSet<>(removed)).isEqualTo(scanned);
                    scanned.forEach(model::remove);
                }
                case Op.Purge purge -> {
                    now = now.plusSeconds(purge.seconds());
                    Instant at = now;
                    Set<TokenHash> scanned = model.entrySet().stream()
                            .filter(entry -> !at.isBefore(entry.getValue().keepUntil()))
                            .map(Map.Entry::getKey).collect(Collectors.toSet());
                    List<TokenHash> removed = book.removeExpired(now);
                    assertThat(removed).doesNotHaveDuplicates();
                    assertThat(new HashSet<>(removed)).isEqualTo(scanned);
                    scanned.forEach(model::remove);
                }
            }
            assertThat(book.size()).isEqualTo(model.size());
            Map<TokenHash, Modelled> held = new HashMap<>();
            for (RotationBook.Remembered remembered : book.snapshot()) {
                RotationBook.Kept kept = remembered.kept();
                held.put(new TokenHash(remembered.rotated.hex()),
                        new Modelled(kept.answer(), kept.handsOut(), kept.keepUntil()));
            }
            assertThat(held).isEqualTo(model);
        }
    }
}
