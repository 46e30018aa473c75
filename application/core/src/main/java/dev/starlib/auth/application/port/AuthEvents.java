package dev.starlib.auth.application.port;

import dev.starlib.auth.domain.LoginFailure;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

/**
 * What the use cases and the SoundCloud adapter report as they work, for metrics, health and the operator
 * dashboard. Never receives a secret: outcomes are stable codes, not messages.
 */
public interface AuthEvents {

    enum Flow {
        BACKEND_REDIRECT("backend_redirect"), DIRECT_CALLBACK("direct_callback");

        private final String label;

        Flow(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    enum UpstreamEndpoint {
        TOKEN_EXCHANGE("token_exchange"), TOKEN_REFRESH("token_refresh"), ME("me"), SIGN_OUT("sign_out"),
        APP_TOKEN_GRANT("app_token_grant"), APP_TOKEN_REFRESH("app_token_refresh");

        private final String label;

        UpstreamEndpoint(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    /**
     * Every outcome {@link #loginFinished} reports: {@code success}, {@code invalid_state} and each failure code.
     * Listed so that what counts them can show each at zero from the start, before the first one happens.
     */
    List<String> LOGIN_OUTCOMES = Stream.concat(Stream.of("success", "invalid_state"),
            Arrays.stream(LoginFailure.Reason.values()).map(LoginFailure.Reason::code)).toList();

    /**
     * Every outcome {@link #refreshFinished} reports: {@code success} (this call rotated the token), {@code shared}
     * (a concurrent call's answer), {@code reused} (inside the reuse window), or a failure; a refresh is never
     * refused by a user, only by SoundCloud.
     */
    List<String> REFRESH_OUTCOMES = Stream.concat(Stream.of("success", "shared", "reused"),
            Arrays.stream(LoginFailure.Reason.values()).filter(reason -> reason != LoginFailure.Reason.ACCESS_DENIED)
                    .map(LoginFailure.Reason::code)).toList();

    /** Every outcome {@link #upstreamCall} reports. */
    List<String> UPSTREAM_OUTCOMES = List.of("success", "rejected", "unavailable", "timeout");

    /** Every operation a store reports to {@link #storeError}; a store that adds one adds it here. */
    List<String> STORE_OPERATIONS = List.of("write", "compact", "replay");

    void loginStarted();

    /**
     * {@code outcome} is a stable code: {@code success}, {@code invalid_state}, or a
     * {@link dev.starlib.auth.domain.LoginFailure.Reason#code() failure code} ({@code access_denied},
     * {@code invalid_grant}, {@code invalid_client}, {@code upstream_unavailable}, {@code upstream_timeout}).
     */
    void loginFinished(Flow flow, String outcome, String stateHint);

    /**
     * {@code outcome} is {@code success} (this call's own rotation), {@code shared} (the new pair of a rotation
     * another call made at the same time), {@code reused} (a pair remembered from a rotation within the reuse window)
     * or a {@link dev.starlib.auth.domain.LoginFailure.Reason#code() failure code}.
     */
    void refreshFinished(String outcome);

    /** {@code outcome} is {@code success}, {@code already_invalid} or a failure code. */
    default void signOutFinished(String outcome) {
    }

    /** The token endpoint's circuit breaker opened: calls fail fast for {@code openFor}. */
    default void breakerOpened(Duration openFor) {
    }

    /** A call to {@code endpoint} was refused by the open breaker, without reaching SoundCloud. */
    default void breakerRefused(UpstreamEndpoint endpoint) {
    }

    void upstreamCall(UpstreamEndpoint endpoint, String outcome, Duration duration);

    void storeError(String operation);

    /**
     * One command to the session store's server (Redis) as its client timed it, from sending to the whole answer;
     * {@code command} is the command's name ({@code get}, {@code evalsha}, {@code wait}, ...).
     */
    default void storeCommand(String command, Duration took) {
    }

    /** The session store's client has its connection to the server back, after losing it. */
    default void storeReconnected() {
    }

    /**
     * A client was refused for asking too much: {@code endpoint} is the endpoint's name ({@code authorize},
     * {@code admin}), {@code reason} why ({@code rate}, {@code pending_quota}, {@code admin_backoff},
     * {@code connections}), {@code maskedClient} the client's network as logs may show it ({@code 203.0.113.*}).
     */
    default void clientLimited(String endpoint, String reason, String maskedClient) {
    }

    /**
     * One attempt to obtain the app token from SoundCloud: {@code method} is {@code grant} or {@code refresh};
     * {@code outcome} is {@code success}, {@code invalid_grant} (a refresh token SoundCloud refused: a grant follows) or
     * a {@link dev.starlib.auth.domain.RenewalFailure.Cause#code() failure code} ({@code invalid_client},
     * {@code rate_limited}, {@code refused}, {@code upstream_unavailable}, {@code upstream_timeout}).
     */
    default void appTokenRenewal(String method, String outcome) {
    }

    /**
     * One request for the app token answered: {@code served}, or why not ({@code invalid_client},
     * {@code rate_limited}, {@code refused}, {@code upstream_unavailable}, {@code upstream_timeout},
     * {@code store_unavailable}).
     */
    default void appTokenRequest(String outcome) {
    }

    AuthEvents NONE = new AuthEvents() {
        @Override
        public void loginStarted() {
        }

        @Override
        public void loginFinished(Flow flow, String outcome, String stateHint) {
        }

        @Override
        public void refreshFinished(String outcome) {
        }

        @Override
        public void upstreamCall(UpstreamEndpoint endpoint, String outcome, Duration duration) {
        }

        @Override
        public void storeError(String operation) {
        }
    };
}
