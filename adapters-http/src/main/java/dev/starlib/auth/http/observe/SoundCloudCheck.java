package dev.starlib.auth.http.observe;

import dev.starlib.auth.application.TokenEndpointBreaker;
import io.helidon.health.HealthCheckResponse;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * What real traffic last saw of SoundCloud; SoundCloud is never called for this check. It reports and does not
 * vote: it stays UP with {@code answering=false} when the last call failed, because readiness that only
 * traffic can restore would keep a load balancer from sending the traffic that restores it, and pulling an
 * instance does not help when SoundCloud itself is down. The token endpoint's circuit breaker is reported the
 * same way: an open breaker is SoundCloud's outage passed on gently, not this instance's fault.
 */
final class SoundCloudCheck extends ReadinessCheck {

    static final String NAME = "soundcloud";

    private final Supplier<Optional<UpstreamCall>> lastCall;
    private final Supplier<Optional<TokenEndpointBreaker.Status>> breaker;
    private final Clock clock;

    SoundCloudCheck(Supplier<Optional<UpstreamCall>> lastCall, Supplier<Optional<TokenEndpointBreaker.Status>> breaker,
                    Clock clock) {
        super(NAME);
        this.lastCall = lastCall;
        this.breaker = breaker;
        this.clock = clock;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponse.Builder response = HealthCheckResponse.builder().status(HealthCheckResponse.Status.UP);
        breaker.get().ifPresent(status -> {
            response.detail("tokenBreaker", status.state().label());
            status.nextTryAt().ifPresent(at -> response.detail("tokenBreakerRetryInSeconds",
                    Math.max(1, Duration.between(clock.instant(), at).toSeconds())));
        });
        Optional<UpstreamCall> last = lastCall.get();
        if (last.isEmpty()) {
            return response.detail("lastCall", "none since start").build();
        }
        UpstreamCall call = last.get();
        return response
                .detail("answering", call.answered())
                .detail("lastOutcome", call.outcome())
                .detail("lastEndpoint", call.endpoint())
                .detail("lastLatencyMs", call.latency().toMillis())
                .detail("lastCallAt", call.at().toString())
                .detail("secondsAgo", Math.max(0, Duration.between(call.at(), clock.instant()).toSeconds()))
                .build();
    }
}
