package dev.starlib.auth.http.observe;

import io.helidon.health.HealthCheck;
import io.helidon.health.HealthCheckResponse;
import io.helidon.health.HealthCheckType;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * What real traffic last saw of SoundCloud; SoundCloud is never called for this check. It reports and does not
 * vote: it stays UP with {@code answering=false} when the last call failed, because readiness that only
 * traffic can restore would keep a load balancer from sending the traffic that restores it, and pulling an
 * instance does not help when SoundCloud itself is down.
 */
final class SoundCloudCheck implements HealthCheck {

    static final String NAME = "soundcloud";

    private final Supplier<Optional<UpstreamCall>> lastCall;
    private final Clock clock;

    SoundCloudCheck(Supplier<Optional<UpstreamCall>> lastCall, Clock clock) {
        this.lastCall = lastCall;
        this.clock = clock;
    }

    @Override
    public HealthCheckType type() {
        return HealthCheckType.READINESS;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponse.Builder response = HealthCheckResponse.builder().status(HealthCheckResponse.Status.UP);
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
