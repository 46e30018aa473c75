package dev.starlib.auth.application;

import dev.starlib.auth.application.port.SoundCloud;
import dev.starlib.auth.domain.AccessToken;
import dev.starlib.auth.domain.AuthorizationCode;
import dev.starlib.auth.domain.CodeVerifier;
import dev.starlib.auth.domain.RefreshToken;
import dev.starlib.auth.domain.SoundCloudUser;
import dev.starlib.auth.domain.Tokens;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** A scriptable SoundCloud: answers what the test says and records every call. */
final class FakeSoundCloud implements SoundCloud {

    static final Tokens TOKENS = new Tokens(new AccessToken("at-issued-by-soundcloud"),
            new RefreshToken("rt-issued-by-soundcloud"), Duration.ofHours(1));
    static final SoundCloudUser USER = new SoundCloudUser(4242, "Listener", "listener",
            "https://i1.sndcdn.com/avatars-000-large.jpg");

    record Exchange(AuthorizationCode code, CodeVerifier verifier) {
    }

    private UpstreamResult<Tokens> exchangeAnswer = new UpstreamResult.Success<>(TOKENS);
    private UpstreamResult<Tokens> refreshAnswer = new UpstreamResult.Success<>(TOKENS);
    private UpstreamResult<SoundCloudUser> meAnswer = new UpstreamResult.Success<>(USER);

    final List<Exchange> exchanges = new ArrayList<>();
    final List<RefreshToken> refreshes = new ArrayList<>();
    final List<AccessToken> meCalls = new ArrayList<>();

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

    int totalCalls() {
        return exchanges.size() + refreshes.size() + meCalls.size();
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
}
