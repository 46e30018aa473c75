package dev.starlib.auth.http;

import dev.starlib.auth.application.port.SoundCloud.UpstreamResult;
import dev.starlib.auth.domain.RefreshToken;
import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.testing.junit5.RoutingTest;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpRoute;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code GET /internal/soundcloud/app-token} as the operators' listener serves it, over the real use case and memory
 * store, at two speeds. Routed on its own, as on the admin port; every GET exchange is checked against the contract.
 */
abstract class InternalApiRoutesTest {

    private static final TestApi APP = new TestApi();

    private Http1Client client;
    private Internal internal;

    @RoutingTest
    static final class InMemory extends InternalApiRoutesTest {
    }

    @ServerTest
    static final class OnSocket extends InternalApiRoutesTest {
    }

    @SetUpRoute
    static void routing(HttpRouting.Builder routing) {
        InternalApi.register(routing, Optional.of(InternalApiKey.of(Internal.KEY)), Optional.of(APP.appToken));
    }

    @BeforeEach
    void reset(Http1Client client) {
        this.client = client;
        this.internal = new Internal(client);
        APP.reset();
    }

    @Test
    void theRightKeyGetsTheAppTokenAndNoCacheMayKeepIt() {
        Reply reply = internal.appTokenWithKey();

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.header("Content-Type")).hasValue("application/json");
        assertThat(reply.json().get("access_token").asText()).isEqualTo(ScriptedSoundCloud.APP_GRANT.accessToken().value());
        assertThat(reply.json().get("expires_in").asLong()).isEqualTo(3600);
        assertThat(reply.header("Cache-Control")).hasValue("no-store");
        assertThat(reply.header("Pragma")).hasValue("no-cache");
        assertThat(reply.header("X-Content-Type-Options")).hasValue("nosniff");
    }

    @Test
    void everyAskAfterTheFirstIsServedWithoutAGrantAndExpiresInCountsDown() {
        internal.appTokenWithKey();
        APP.clock.advance(Duration.ofMinutes(20));

        Reply later = internal.appTokenWithKey();

        assertThat(later.json().get("expires_in").asLong()).isEqualTo(2400);
        assertThat(APP.soundCloud.appGrants()).isEqualTo(1);
    }

    @Test
    void theSchemeNameIsCaseInsensitive() {
        assertThat(internal.appTokenWith("bearer " + Internal.KEY).status()).isEqualTo(200);
    }

    @Test
    void withoutAKeyTheAnswerIs401AndAsksForABearerToken() {
        Reply reply = Api.send(internal.appToken());

        assertThat(reply.status()).isEqualTo(401);
        assertThat(reply.error()).isEqualTo("unauthorized");
        assertThat(reply.header("WWW-Authenticate")).hasValue("Bearer realm=\"Starlib Auth internal API\"");
        assertThat(reply.header("Cache-Control")).hasValue("no-store");
        assertThat(APP.soundCloud.appGrants()).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"Bearer wrong-key", "Bearer " + Internal.KEY + "x", "Bearer " + Internal.KEY + " x",
            "Bearer internal-test-key"})
    void aWrongKeyIs401WithInvalidTokenAndNoToken(String authorization) {
        Reply reply = internal.appTokenWith(authorization);

        assertThat(reply.status()).isEqualTo(401);
        assertThat(reply.header("WWW-Authenticate")).hasValue("Bearer realm=\"Starlib Auth internal API\", error=\"invalid_token\"");
        assertThat(reply.body()).doesNotContain(ScriptedSoundCloud.APP_GRANT.accessToken().value());
        assertThat(APP.soundCloud.appGrants()).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"Basic " + Internal.KEY, Internal.KEY, "Bearer", "Bearer   "})
    void aKeyInAnotherShapeIsNoKey(String authorization) {
        Reply reply = internal.appTokenWith(authorization);

        assertThat(reply.status()).isEqualTo(401);
        assertThat(reply.header("WWW-Authenticate")).hasValue("Bearer realm=\"Starlib Auth internal API\"");
    }

    @Test
    void wrongCredentialsAre503InvalidClientWithWhenToRetry() {
        APP.soundCloud.answerAppGrantWith(() -> new UpstreamResult.Rejected<>("invalid_client", 401));

        Reply reply = internal.appTokenWithKey();

        assertThat(reply.status()).isEqualTo(503);
        assertThat(reply.error()).isEqualTo("invalid_client");
        assertThat(reply.detail()).contains("CLIENT_ID and CLIENT_SECRET");
        assertThat(reply.header("Retry-After")).hasValue("60");
    }

    @Test
    void aRateLimitIs503SayingUntilWhen() {
        Instant reset = APP.clock.instant().plus(Duration.ofMinutes(30));
        APP.soundCloud.answerAppGrantWith(() -> new UpstreamResult.RateLimited<>(Optional.of(Duration.ofMinutes(30))));

        Reply reply = internal.appTokenWithKey();

        assertThat(reply.status()).isEqualTo(503);
        assertThat(reply.error()).isEqualTo("upstream_rate_limited");
        assertThat(reply.detail()).contains(reset.toString());
        assertThat(reply.header("Retry-After")).hasValue("1800");
    }

    @Test
    void anOutageWithoutATokenIs502AndATimeout504BothWithRetryAfter() {
        APP.soundCloud.answerAppGrantWith(() -> new UpstreamResult.Unavailable<>("HTTP 503"));
        Reply down = internal.appTokenWithKey();
        APP.clock.advance(Duration.ofSeconds(10));
        APP.soundCloud.answerAppGrantWith(UpstreamResult.TimedOut::new);
        Reply slow = internal.appTokenWithKey();

        assertThat(down.status()).isEqualTo(502);
        assertThat(down.error()).isEqualTo("upstream_unavailable");
        assertThat(down.header("Retry-After")).hasValue("10");
        assertThat(slow.status()).isEqualTo(504);
        assertThat(slow.error()).isEqualTo("upstream_timeout");
        assertThat(slow.header("Retry-After")).hasValue("10");
    }

    @Test
    void anOpenTokenEndpointBreakerIs502WithTheBreakersRetryAfterAndNothingIsSent() {
        APP.soundCloud.answerRefreshWith(() -> new UpstreamResult.Unavailable<>("HTTP 503"));
        for (int i = 0; i < 3; i++) { // users' refreshes find SoundCloud's token endpoint down: the breaker opens
            APP.useCases.refreshTokens().refresh(new RefreshToken("user-refresh-" + i));
        }
        APP.clock.advance(Duration.ofSeconds(3));

        Reply reply = internal.appTokenWithKey();

        assertThat(reply.status()).isEqualTo(502);
        assertThat(reply.error()).isEqualTo("upstream_unavailable");
        assertThat(reply.header("Retry-After")).hasValue("7");
        assertThat(APP.soundCloud.appGrants()).isZero();
    }

    @Test
    void anOutageWithAValidTokenServesIt() {
        internal.appTokenWithKey();
        APP.clock.advance(Duration.ofMinutes(57));
        APP.soundCloud.answerAppGrantWith(() -> new UpstreamResult.Unavailable<>("HTTP 500"));

        Reply reply = internal.appTokenWithKey();

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.json().get("expires_in").asLong()).isEqualTo(180);
    }

    @Test
    void aStoreThatCannotBeUsedIs503StoreUnavailable() {
        APP.store.breakDown();

        Reply reply = internal.appTokenWithKey();

        assertThat(reply.status()).isEqualTo(503);
        assertThat(reply.error()).isEqualTo("store_unavailable");
        assertThat(APP.soundCloud.appGrants()).isZero();
    }

    /** Not checked against the contract, which documents GET only (see OpenApiContract). */
    @Test
    void anotherMethodIs405AllowingGet() {
        Reply reply = Internal.unchecked(client.method(Method.POST).uri(InternalApi.APP_TOKEN_PATH)
                .header(HeaderNames.AUTHORIZATION, "Bearer " + Internal.KEY));

        assertThat(reply.status()).isEqualTo(405);
        assertThat(reply.header("Allow")).hasValue("GET");
        assertThat(reply.header("Content-Type")).hasValue("application/problem+json");
    }

    @Test
    void anotherPathUnderInternalIsNotFoundEvenWithTheKey() {
        Reply reply = Internal.unchecked(client.get("/internal/soundcloud/user-token")
                .header(HeaderNames.AUTHORIZATION, "Bearer " + Internal.KEY));

        assertThat(reply.status()).isEqualTo(404);
        assertThat(reply.error()).isEqualTo("not_found");
    }
}
