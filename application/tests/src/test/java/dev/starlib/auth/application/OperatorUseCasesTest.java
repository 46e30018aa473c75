package dev.starlib.auth.application;

import dev.starlib.auth.application.Fixtures.Started;
import dev.starlib.auth.domain.OAuthSession.Cancellation;
import dev.starlib.auth.domain.OAuthSession;
import dev.starlib.auth.domain.SessionCounts;
import dev.starlib.auth.domain.SessionSummary;
import dev.starlib.auth.domain.State;
import dev.starlib.auth.domain.StateRejection;
import dev.starlib.auth.store.testing.SwitchableMemoryStore;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static dev.starlib.auth.application.Fixtures.RANDOM;
import static dev.starlib.auth.application.Fixtures.RESULT_TTL;
import static dev.starlib.auth.application.Fixtures.START;
import static dev.starlib.auth.application.Fixtures.startLogin;
import static org.assertj.core.api.Assertions.assertThat;

/** What operators do through the dashboard: count and list the sessions, cancel one that waits. */
class OperatorUseCasesTest {

    private final SwitchableMemoryStore store = new SwitchableMemoryStore();
    private final MutableClock clock = new MutableClock(START);
    private final SessionOverview overview = new SessionOverview(store, clock);
    private final CancelLogin cancelLogin = new CancelLogin(store, clock);

    @Test
    void overviewCountsAndListsTheOldestSessionsWithoutTheirSecrets() {
        Started first = startLogin(store, clock);
        clock.advance(Duration.ofSeconds(5));
        Started second = startLogin(store, clock);
        clock.advance(Duration.ofSeconds(5));
        startLogin(store, clock);

        assertThat(overview.counts()).isEqualTo(new StoreReading.Read<>(new SessionCounts(3, 0, 0, 0)));
        StoreReading<List<SessionSummary>> oldest = overview.oldest(2);
        assertThat(oldest).isInstanceOf(StoreReading.Read.class);
        List<SessionSummary> shown = ((StoreReading.Read<List<SessionSummary>>) oldest).value();
        assertThat(shown).extracting(SessionSummary::stateHint)
                .containsExactly(first.state().hint(), second.state().hint());
        assertThat(shown.toString()).doesNotContain(first.state().value(), first.verifier().value());
    }

    @Test
    void brokenStoreIsReportedAsUnavailableWithItsReason() {
        store.breakDown();

        assertThat(overview.counts()).isEqualTo(new StoreReading.Unavailable<>("disk full (test)"));
        assertThat(overview.oldest(10)).isEqualTo(new StoreReading.Unavailable<>("disk full (test)"));
        assertThat(overview.writable()).isEqualTo(new StoreReading.Unavailable<>("disk full (test)"));
    }

    @Test
    void cancelledLoginCannotBeCompletedAndTheOperatorIsToldWhichOneWent() {
        Started login = startLogin(store, clock);

        CancelLogin.Result result = cancelLogin.cancel(login.state().hash());

        assertThat(result).isEqualTo(new CancelLogin.Result.Done(new Cancellation.Cancelled(login.state().hint())));
        assertThat(store.update(login.state().hash(), OAuthSession.consume(clock.instant(), RESULT_TTL)))
                .isEqualTo(OAuthSession.Consumption.rejected(StateRejection.UNKNOWN));
        assertThat(overview.counts()).isEqualTo(new StoreReading.Read<>(SessionCounts.NONE));
    }

    @Test
    void loginThatSoundCloudAlreadyAnsweredIsLeftAlone() {
        Started login = startLogin(store, clock);
        store.update(login.state().hash(), OAuthSession.consume(clock.instant(), RESULT_TTL));

        CancelLogin.Result result = cancelLogin.cancel(login.state().hash());

        assertThat(result).isEqualTo(new CancelLogin.Result.Done(
                new Cancellation.Underway(login.state().hint(), OAuthSession.Stage.EXCHANGING)));
        assertThat(overview.counts()).isEqualTo(new StoreReading.Read<>(new SessionCounts(0, 1, 0, 0)));
    }

    @Test
    void unknownLoginIsGoneAndABrokenStoreCancelsNothing() {
        assertThat(cancelLogin.cancel(State.generate(RANDOM).hash()))
                .isEqualTo(new CancelLogin.Result.Done(new Cancellation.Gone()));

        Started login = startLogin(store, clock);
        store.breakDown();

        assertThat(cancelLogin.cancel(login.state().hash()))
                .isEqualTo(new CancelLogin.Result.StoreUnavailable("disk full (test)"));
    }
}
