package dev.starlib.auth.application;

import dev.starlib.auth.application.port.SoundCloud;
import dev.starlib.auth.domain.AccessToken;
import dev.starlib.auth.domain.AppTokenGrant;
import dev.starlib.auth.domain.AuthorizationCode;
import dev.starlib.auth.domain.CodeVerifier;
import dev.starlib.auth.domain.RefreshToken;
import dev.starlib.auth.domain.SoundCloudUser;
import dev.starlib.auth.domain.Tokens;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

/** A scriptable SoundCloud: answers what the test says and records every call. */
final class FakeSoundCloud implements SoundCloud {

    static final Tokens TOKENS = new Tokens(new AccessToken("at-issued-by-soundcloud"),
            new RefreshToken("rt-issued-by-soundcloud"), Duration.ofHours(1));
    static final SoundCloudUser USER = new SoundCloudUser(4242, "Listener", "listener",
            "https://i1.sndcdn.com/avatars-000-large.jpg");

    static final AppTokenGrant APP_GRANT = new AppTokenGrant(new AccessToken("app-token-granted"),
            Optional.of(new RefreshToken("app-refresh-granted")), Duration.ofHours(1));
    static final AppTokenGrant APP_REFRESHED = new AppTokenGrant(new AccessToken("app-token-refreshed"),
            Optional.of(new RefreshToken("app-refresh-rotated")), Duration.ofHours(1));

    record Exchange(AuthorizationCode code, CodeVerifier verifier) {
    }

    private UpstreamResult<Tokens> exchangeAnswer = new UpstreamResult.Success<>(TOKENS);
    private UpstreamResult<Tokens> refreshAnswer = new UpstreamResult.Success<>(TOKENS);
    private UpstreamResult<SoundCloudUser> meAnswer = new UpstreamResult.Success<>(USER);

    final List<Exchange> exchanges = new ArrayList<>();
    final List<RefreshToken> refreshes = new ArrayList<>();
    final List<AccessToken> meCalls = new ArrayList<>();
    /** App token calls may come from many threads at once. */
    final List<String> appTokenGrants = new CopyOnWriteArrayList<>();
    final List<RefreshToken> appTokenRefreshes = new CopyOnWriteArrayList<>();
    private volatile Supplier<UpstreamResult<AppTokenGrant>> appGrantAnswer = () -> new UpstreamResult.Success<>(APP_GRANT);
    private volatile Supplier<UpstreamResult<AppTokenGrant>> appRefreshAnswer =
            () -> new UpstreamResult.Success<>(APP_REFRESHED);

    FakeSoundCloud answerExchange(UpstreamResult<Tokens> answer) {
        this.exchangeAnswer = answer;
        return this;
    }

    FakeSoundCloud answerRefresh(UpstreamResult<Tokens> answer) {
        this.refreshAnswer = answer;
        return this;
    }

    FakeSoundCloud answerMe(UpstreamResult<SoundCloudUser> answer) {
        this.meAnswer = answer;
        return this;
    }

    /** What the client-credentials grant answers; called on the caller's thread, so it may also block. */
    FakeSoundCloud answerAppGrant(Supplier<UpstreamResult<AppTokenGrant>> answer) {
        this.appGrantAnswer = answer;
        return this;
    }

    FakeSoundCloud answerAppGrant(UpstreamResult<AppTokenGrant> answer) {
        return answerAppGrant(() -> answer);
    }

    FakeSoundCloud answerAppRefresh(UpstreamResult<AppTokenGrant> answer) {
        this.appRefreshAnswer = () -> answer;
        return this;
    }

    int totalCalls() {
        return exchanges.size() + refreshes.size() + meCalls.size() + appTokenGrants.size() + appTokenRefreshes.size();
    }

    @Override
    public UpstreamResult<Tokens> exchangeCode(AuthorizationCode code, CodeVerifier verifier) {
        exchanges.add(new Exchange(code, verifier));
        return exchangeAnswer;
    }

    @Override
    public UpstreamResult<Tokens> refresh(RefreshToken refreshToken) {
        refreshes.add(refreshToken);
        return refreshAnswer;
    }

    @Override
    public UpstreamResult<SoundCloudUser> me(AccessToken accessToken) {
        meCalls.add(accessToken);
        return meAnswer;
    }

    @Override
    public UpstreamResult<AppTokenGrant> grantAppToken() {
        appTokenGrants.add("client_credentials");
        return appGrantAnswer.get();
    }

    @Override
    public UpstreamResult<AppTokenGrant> refreshAppToken(RefreshToken refreshToken) {
        appTokenRefreshes.add(refreshToken);
        return appRefreshAnswer.get();
    }
}
