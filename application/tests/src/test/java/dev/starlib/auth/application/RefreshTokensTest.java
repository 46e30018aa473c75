package dev.starlib.auth.application;

import dev.starlib.auth.application.port.SoundCloud.UpstreamResult;
import dev.starlib.auth.domain.LoginFailure.Reason;
import dev.starlib.auth.domain.RefreshToken;
import dev.starlib.auth.domain.Tokens;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

import static dev.starlib.auth.application.FakeSoundCloud.TOKENS;
import static org.assertj.core.api.Assertions.assertThat;

class RefreshTokensTest {

    private static final RefreshToken OLD = new RefreshToken("rt-held-by-the-frontend");

    private final FakeSoundCloud soundCloud = new FakeSoundCloud();
    private final RecordingAuthEvents events = new RecordingAuthEvents();
    private final RefreshTokens refreshTokens = new RefreshTokens(soundCloud, events);

    @Test
    void successReturnsTheNewTokens() {
        RefreshTokens.Result result = refreshTokens.refresh(OLD);

        assertThat(result).isEqualTo(new RefreshTokens.Result.Refreshed(TOKENS));
        assertThat(soundCloud.refreshes).containsExactly(OLD);
        assertThat(soundCloud.exchanges).isEmpty();
        assertThat(soundCloud.meCalls).isEmpty();
        assertThat(events.refreshesFinished).containsExactly("success");
    }

    static Stream<Arguments> failures() {
        return Stream.of(
                Arguments.of(new UpstreamResult.Rejected<Tokens>("invalid_grant", 400), Reason.INVALID_GRANT),
                Arguments.of(new UpstreamResult.Rejected<Tokens>("invalid_client", 401), Reason.INVALID_CLIENT),
                Arguments.of(new UpstreamResult.Rejected<Tokens>("unauthorized_client", 400), Reason.INVALID_CLIENT),
                Arguments.of(new UpstreamResult.Rejected<Tokens>("invalid_request", 400), Reason.UPSTREAM_UNAVAILABLE),
                Arguments.of(new UpstreamResult.Unavailable<Tokens>("HTTP 503"), Reason.UPSTREAM_UNAVAILABLE),
                Arguments.of(new UpstreamResult.TimedOut<Tokens>(), Reason.UPSTREAM_TIMEOUT));
    }

    @ParameterizedTest
    @MethodSource("failures")
    void failuresAreReturnedWithAStableReasonAndReported(UpstreamResult<Tokens> answer, Reason expected) {
        soundCloud.answerRefresh(answer);

        RefreshTokens.Result result = refreshTokens.refresh(OLD);

        assertThat(result).isInstanceOf(RefreshTokens.Result.Failed.class);
        RefreshTokens.Result.Failed failed = (RefreshTokens.Result.Failed) result;
        assertThat(failed.failure().reason()).isEqualTo(expected);
        assertThat(failed.failure().description()).isNotBlank().doesNotContain(OLD.value());
        assertThat(events.refreshesFinished).containsExactly(expected.code());
    }

    @Test
    void theRefreshTokenIsNeverPrintedInTheResult() {
        soundCloud.answerRefresh(new UpstreamResult.Rejected<>("invalid_grant", 400));

        assertThat(refreshTokens.refresh(OLD).toString()).doesNotContain(OLD.value());
        soundCloud.answerRefresh(new UpstreamResult.Success<>(TOKENS));
        assertThat(refreshTokens.refresh(OLD).toString()).doesNotContain(TOKENS.refreshToken().value())
                .doesNotContain(TOKENS.accessToken().value());
    }
}
