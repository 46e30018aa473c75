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
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * A scriptable SoundCloud: answers what the test says and records every call. Refreshes may be held at a gate (a
 * slow SoundCloud), and may rotate as SoundCloud's do: each live refresh token works once, then is refused.
 * Thread-safe: refreshes run on background threads.
 */
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

    private volatile UpstreamResult<Tokens> exchangeAnswer = new UpstreamResult.Success<>(TOKENS);
    private volatile UpstreamResult<Tokens> refreshAnswer = new UpstreamResult.Success<>(TOKENS);
    private volatile UpstreamResult<SoundCloudUser> meAnswer = new UpstreamResult.Success<>(USER);
    private volatile UpstreamResult<SessionEnd> signOutAnswer = new UpstreamResult.Success<>(SessionEnd.ENDED);
    private volatile CountDownLatch gate = new CountDownLatch(0);
    /** When set, refresh tokens rotate: only these work, each once. */
    private volatile Set<String> liveRefreshTokens;
    private final AtomicInteger issued = new AtomicInteger();

    final List<Exchange> exchanges = new CopyOnWriteArrayList<>();
    final List<RefreshToken> refreshes = new CopyOnWriteArrayList<>();
    final List<AccessToken> meCalls = new CopyOnWriteArrayList<>();
    final List<AccessToken> signOuts = new CopyOnWriteArrayList<>();
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

    FakeSoundCloud answerSignOut(UpstreamResult<SessionEnd> answer) {
        this.signOutAnswer = answer;
        return this;
    }

    /** From now on, refreshes rotate as SoundCloud's: {@code live} works once, and so does each token issued. */
    FakeSoundCloud rotating(RefreshToken... live) {
        Set<String> tokens = ConcurrentHashMap.newKeySet();
        for (RefreshToken token : live) {
            tokens.add(token.value());
        }
        liveRefreshTokens = tokens;
        return this;
    }

    /** Refreshes wait here until {@link #openGate()}: SoundCloud is slow. */
    FakeSoundCloud holdRefreshes() {
        gate = new CountDownLatch(1);
        return this;
    }

    void openGate() {
        gate.countDown();
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
        return exchanges.size() + refreshes.size() + meCalls.size() + signOuts.size() + appTokenGrants.size()
                + appTokenRefreshes.size();
    }

    @Override
    public UpstreamResult<Tokens> exchangeCode(AuthorizationCode code, CodeVerifier verifier) {
        exchanges.add(new Exchange(code, verifier));
        return exchangeAnswer;
    }

    @Override
    public UpstreamResult<Tokens> refresh(RefreshToken refreshToken) {
        refreshes.add(refreshToken);
        try {
            if (!gate.await(30, TimeUnit.SECONDS)) {
                return new UpstreamResult.TimedOut<>();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new UpstreamResult.TimedOut<>();
        }
        Set<String> live = liveRefreshTokens;
        if (live == null) {
            return refreshAnswer;
        }
        if (!live.remove(refreshToken.value())) {
            return new UpstreamResult.Rejected<>("invalid_grant", 400);
        }
        int n = issued.incrementAndGet();
        RefreshToken next = new RefreshToken("rt-rotated-" + n);
        live.add(next.value());
        return new UpstreamResult.Success<>(new Tokens(new AccessToken("at-rotated-" + n), next, Duration.ofHours(1)));
    }

    @Override
    public UpstreamResult<SoundCloudUser> me(AccessToken accessToken) {
        meCalls.add(accessToken);
        return meAnswer;
    }

    @Override
    public UpstreamResult<SessionEnd> signOut(AccessToken accessToken) {
        signOuts.add(accessToken);
        return signOutAnswer;
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
