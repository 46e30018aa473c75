package dev.starlib.auth.http;

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
import java.util.function.Supplier;

/** SoundCloud as a test wants it to answer; by default every call succeeds. */
final class ScriptedSoundCloud implements SoundCloud {

    static final Tokens TOKENS = new Tokens(new AccessToken("access-token-1"), new RefreshToken("refresh-token-1"),
            Duration.ofSeconds(3600));
    static final Tokens REFRESHED = new Tokens(new AccessToken("access-token-2"), new RefreshToken("refresh-token-2"),
            Duration.ofSeconds(3599));
    static final SoundCloudUser USER = new SoundCloudUser(4242, "Night Drive", "night-drive",
            "https://i1.sndcdn.com/avatars-000-large.jpg");

    private volatile Supplier<UpstreamResult<Tokens>> exchange;
    private volatile Supplier<UpstreamResult<Tokens>> refresh;
    static final AppTokenGrant APP_GRANT = new AppTokenGrant(new AccessToken("app-token-1"),
            Optional.of(new RefreshToken("app-refresh-1")), Duration.ofSeconds(3600));

    private volatile Supplier<UpstreamResult<SoundCloudUser>> me;
    private volatile Supplier<UpstreamResult<SessionEnd>> signOut;
    private final List<AccessToken> signedOut = new ArrayList<>();
    private final List<RefreshToken> refreshed = new ArrayList<>();
    private volatile Supplier<UpstreamResult<AppTokenGrant>> appGrant;
    private volatile int appGrants;
    private final List<String> exchangedCodes = new ArrayList<>();

    ScriptedSoundCloud() {
        reset();
    }

    synchronized void reset() {
        exchange = () -> new UpstreamResult.Success<>(TOKENS);
        refresh = () -> new UpstreamResult.Success<>(REFRESHED);
        me = () -> new UpstreamResult.Success<>(USER);
        signOut = () -> new UpstreamResult.Success<>(SessionEnd.ENDED);
        appGrant = () -> new UpstreamResult.Success<>(APP_GRANT);
        appGrants = 0;
        exchangedCodes.clear();
        signedOut.clear();
        refreshed.clear();
    }

    void answerExchangeWith(Supplier<UpstreamResult<Tokens>> answer) {
        exchange = answer;
    }

    void answerRefreshWith(Supplier<UpstreamResult<Tokens>> answer) {
        refresh = answer;
    }

    void answerSignOutWith(Supplier<UpstreamResult<SessionEnd>> answer) {
        signOut = answer;
    }

    synchronized List<AccessToken> signedOut() {
        return List.copyOf(signedOut);
    }

    synchronized List<RefreshToken> refreshed() {
        return List.copyOf(refreshed);
    }

    void answerAppGrantWith(Supplier<UpstreamResult<AppTokenGrant>> answer) {
        appGrant = answer;
    }

    synchronized int appGrants() {
        return appGrants;
    }

    synchronized List<String> exchangedCodes() {
        return List.copyOf(exchangedCodes);
    }

    @Override
    public UpstreamResult<Tokens> exchangeCode(AuthorizationCode code, CodeVerifier verifier) {
        synchronized (this) {
            exchangedCodes.add(code.value());
        }
        return exchange.get();
    }

    @Override
    public UpstreamResult<Tokens> refresh(RefreshToken refreshToken) {
        synchronized (this) {
            refreshed.add(refreshToken);
        }
        return refresh.get();
    }

    @Override
    public UpstreamResult<SessionEnd> signOut(AccessToken accessToken) {
        synchronized (this) {
            signedOut.add(accessToken);
        }
        return signOut.get();
    }

    @Override
    public UpstreamResult<SoundCloudUser> me(AccessToken accessToken) {
        return me.get();
    }

    @Override
    public UpstreamResult<AppTokenGrant> grantAppToken() {
        synchronized (this) {
            appGrants++;
        }
        return appGrant.get();
    }

    @Override
    public UpstreamResult<AppTokenGrant> refreshAppToken(RefreshToken refreshToken) {
        return appGrant.get();
    }
}
