package dev.starlib.auth.store;

import dev.starlib.auth.domain.SealedRotation;
import dev.starlib.auth.domain.TokenHash;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** What {@link RotationBookPropertyTest}'s short runs cannot reach: the deadline queue through many sign-outs. */
class RotationBookTest {

    private static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");

    @Test
    void signOutsDoNotPileForgottenAnswersUpInTheDeadlineQueueAndEveryDeadlineStillHolds() {
        RotationBook book = new RotationBook(100);
        TokenHash early = RotationLedgerContract.token();
        TokenHash late = RotationLedgerContract.token();
        SealedRotation lateAnswer = RotationLedgerContract.answer();
        book.keep(early, kept(RotationLedgerContract.answer(), T0.plusSeconds(10)));
        book.keep(late, kept(lateAnswer, T0.plusSeconds(60)));

        for (int i = 0; i < 10_000; i++) {
            TokenHash signedOut = RotationLedgerContract.token();
            book.keep(signedOut, kept(RotationLedgerContract.answer(), T0.plusSeconds(30)));
            assertThat(book.removeKeptFor(signedOut)).containsExactly(signedOut);
            assertThat(book.deadlinesHeld()).isLessThanOrEqualTo(2 * (book.size() + 1) + 1_024);
        }

        assertThat(book.removeExpired(T0.plusSeconds(10))).containsExactly(early);
        assertThat(book.removeExpired(T0.plusSeconds(59))).isEmpty();
        assertThat(book.snapshot()).singleElement().satisfies(remembered -> {
            assertThat(remembered.answer).isEqualTo(lateAnswer);
            assertThat(remembered.kept().keepUntil()).isEqualTo(T0.plusSeconds(60));
        });
        assertThat(book.removeExpired(T0.plusSeconds(60))).isEqualTo(List.of(late));
        assertThat(book.size()).isZero();
    }

    private static RotationBook.Kept kept(SealedRotation answer, Instant keepUntil) {
        return new RotationBook.Kept(answer, Set.of(RotationLedgerContract.token()), keepUntil);
    }
}
