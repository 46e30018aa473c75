package dev.starlib.auth.application;

import dev.starlib.auth.application.TokenEndpointBreaker.Permit;
import dev.starlib.auth.application.TokenEndpointBreaker.State;
import dev.starlib.auth.application.port.AuthEvents.UpstreamEndpoint;
import dev.starlib.auth.application.port.SoundCloud.UpstreamResult;
import dev.starlib.auth.domain.Tokens;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.Optional;
import java.util.stream.Stream;

import static dev.starlib.auth.application.FakeSoundCloud.TOKENS;
import static dev.starlib.auth.application.Fixtures.START;
import static org.assertj.core.api.Assertions.assertThat;

class TokenEndpointBreakerTest {

    private static final Duration OPEN_FOR = Duration.ofSeconds(10);
    private static final UpstreamResult<Tokens> DOWN = new UpstreamResult.Unavailable<>("HTTP 503");
    private static final UpstreamResult<Tokens> SLOW = new UpstreamResult.TimedOut<>();
    private static final UpstreamResult<Tokens> ANSWERED = new UpstreamResult.Success<>(TOKENS);

    private final MutableClock clock = new MutableClock(START);
    private final RecordingAuthEvents events = new RecordingAuthEvents();
    private final TokenEndpointBreaker breaker = new TokenEndpointBreaker(
            new TokenEndpointBreaker.Settings(3, OPEN_FOR, Duration.ofSeconds(35)), clock, events);

    @Test
    void aRunOfOutageFailuresOpensItAndCallsThenFailFastUntilTheWaitIsOver() {
        call(DOWN);
        call(SLOW);
        assertThat(breaker.status().state()).isEqualTo(State.CLOSED);

        call(DOWN);

        assertThat(breaker.status().state()).isEqualTo(State.OPEN);
        assertThat(breaker.status().nextTryAt()).contains(START.plus(OPEN_FOR));
        assertThat(refused()).isEqualTo(OPEN_FOR);
        clock.advance(Duration.ofSeconds(4));
        assertThat(refused()).as("the Retry-After shrinks as the wait passes").isEqualTo(Duration.ofSeconds(6));
        assertThat(events.breakerOpenings).containsExactly(OPEN_FOR);
        assertThat(events.breakerRefusals).containsExactly(UpstreamEndpoint.TOKEN_REFRESH, UpstreamEndpoint.TOKEN_REFRESH);
    }

    static Stream<UpstreamResult<Tokens>> answers() {
        return Stream.of(new UpstreamResult.Rejected<>("invalid_grant", 400),
                new UpstreamResult.Rejected<>("invalid_client", 401),
                new UpstreamResult.RateLimited<>(Optional.of(Duration.ofSeconds(30))),
                new UpstreamResult.RateLimited<>(Optional.empty()),
                new UpstreamResult.Success<>(TOKENS));
    }

    @ParameterizedTest
    @MethodSource("answers")
    void anAnswerFromSoundCloudNeverOpensItAndEndsARunOfFailures(UpstreamResult<Tokens> answer) {
        for (int i = 0; i < 20; i++) {
            call(answer);
        }
        call(DOWN);
        call(DOWN);
        call(answer);
        call(DOWN);
        call(DOWN);

        assertThat(breaker.status().state()).isEqualTo(State.CLOSED);
        assertThat(breaker.status().failuresInARow()).isEqualTo(2);
    }

    @Test
    void whenTheWaitIsOverOneProbeGoesThroughAndTheOthersStillFailFast() {
        open();
        clock.advance(OPEN_FOR);

        Permit.Call probe = permitted();

        assertThat(probe.probe()).isTrue();
        assertThat(breaker.status().state()).isEqualTo(State.HALF_OPEN);
        assertThat(refused()).isEqualTo(TokenEndpointBreaker.WHILE_PROBING);
        assertThat(refused()).isEqualTo(TokenEndpointBreaker.WHILE_PROBING);
    }

    @Test
    void aProbeThatGetsAnAnswerClosesIt() {
        open();
        clock.advance(OPEN_FOR);

        breaker.record(permitted(), new UpstreamResult.Rejected<>("invalid_grant", 400));

        assertThat(breaker.status()).isEqualTo(new TokenEndpointBreaker.Status(State.CLOSED, 0, 0, Optional.empty()));
        assertThat(permitted().probe()).isFalse();
    }

    @Test
    void aProbeThatGetsNoAnswerReopensItForTwiceAsLongUpToTheCap() {
        open();
        for (Duration expected : new Duration[] {Duration.ofSeconds(20), Duration.ofSeconds(35), Duration.ofSeconds(35)}) {
            clock.advance(breaker.status().nextTryAt().map(at -> Duration.between(clock.instant(), at)).orElseThrow());
            breaker.record(permitted(), DOWN);

            assertThat(breaker.status().state()).isEqualTo(State.OPEN);
            assertThat(refused()).isEqualTo(expected);
        }
        assertThat(events.breakerOpenings).containsExactly(OPEN_FOR, Duration.ofSeconds(20), Duration.ofSeconds(35),
                Duration.ofSeconds(35));
    }

    @Test
    void afterClosingTheNextOpeningStartsShortAgain() {
        open();
        clock.advance(OPEN_FOR);
        breaker.record(permitted(), DOWN);
        clock.advance(Duration.ofSeconds(20));
        breaker.record(permitted(), ANSWERED);

        open();

        assertThat(refused()).isEqualTo(OPEN_FOR);
    }

    @Test
    void aCallThatStartedBeforeItOpenedChangesNothingWhenItEnds() {
        Permit.Call straggler = permitted();
        open();
        clock.advance(OPEN_FOR);
        Permit.Call probe = permitted();

        breaker.record(straggler, ANSWERED);

        assertThat(breaker.status().state()).isEqualTo(State.HALF_OPEN);
        breaker.record(probe, DOWN);
        assertThat(breaker.status().state()).isEqualTo(State.OPEN);
    }

    @Test
    void aProbeThatThrowsCountsAsNoAnswerSoTheBreakerIsNeverStuckProbing() {
        open();
        clock.advance(OPEN_FOR);

        breaker.recordThrown(permitted());

        assertThat(breaker.status().state()).isEqualTo(State.OPEN);
    }

    @Test
    void aCallThatThrowsWhileClosedSaysNothingAboutSoundCloud() {
        call(DOWN);
        call(DOWN);

        breaker.recordThrown(permitted());

        assertThat(breaker.status().state()).isEqualTo(State.CLOSED);
        assertThat(breaker.status().failuresInARow()).isEqualTo(2);
    }

    private void open() {
        for (int i = 0; i < 3; i++) {
            call(DOWN);
        }
        assertThat(breaker.status().state()).isEqualTo(State.OPEN);
    }

    private void call(UpstreamResult<Tokens> result) {
        breaker.record(permitted(), result);
    }

    private Permit.Call permitted() {
        Permit permit = breaker.permit(UpstreamEndpoint.TOKEN_REFRESH);
        assertThat(permit).isInstanceOf(Permit.Call.class);
        return (Permit.Call) permit;
    }

    private Duration refused() {
        Permit permit = breaker.permit(UpstreamEndpoint.TOKEN_REFRESH);
        assertThat(permit).isInstanceOf(Permit.Refused.class);
        return ((Permit.Refused) permit).retryAfter();
    }
}
