package dev.starlib.auth.bench.fake;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the fake SoundCloud remembers: codes (single-use, bound to a PKCE challenge and a redirect URI, short-lived)
 * and token pairs (refresh tokens single-use and rotated, as SoundCloud's are). Every removal is atomic, so of two
 * concurrent redemptions of one code or one refresh token exactly one wins.
 */
final class FakeGrants {

    static final Duration CODE_LIFETIME = Duration.ofSeconds(60);
    static final long TOKEN_LIFETIME_SECONDS = 3599;
    /** Long enough for any benchmark phase; bounds the fake's memory however long it runs. */
    private static final Duration FORGET_TOKENS_AFTER = Duration.ofMinutes(30);

    record Code(String challenge, String redirectUri, long issuedAtNanos) {
    }

    record User(long id) {
        String username() {
            return "bench-user-" + id;
        }
    }

    record Issued(String accessToken, String refreshToken, User user) {
    }

    private record Held(User user, long issuedAtNanos) {
    }

    private final ConcurrentHashMap<String, Code> codes = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Held> accessTokens = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Held> refreshTokens = new ConcurrentHashMap<>();
    private final AtomicLong users = new AtomicLong(1_000_000);
    private final AtomicLong serial = new AtomicLong();

    String issueCode(String challenge, String redirectUri) {
        String code = token("c");
        codes.put(code, new Code(challenge, redirectUri, System.nanoTime()));
        return code;
    }

    /** Removes the code whatever happens next: a code that was presented once is spent, right or wrong. */
    Optional<Code> redeem(String code) {
        Code held = code == null ? null : codes.remove(code);
        if (held == null || System.nanoTime() - held.issuedAtNanos() > CODE_LIFETIME.toNanos()) {
            return Optional.empty();
        }
        return Optional.of(held);
    }

    Issued issueTokens() {
        return issueTokens(new User(users.incrementAndGet()));
    }

    /** The old refresh token dies with this call; empty when it was unknown or already used. */
    Optional<Issued> rotate(String refreshToken) {
        Held held = refreshToken == null ? null : refreshTokens.remove(refreshToken);
        return held == null ? Optional.empty() : Optional.of(issueTokens(held.user()));
    }

    Optional<User> userOf(String accessToken) {
        Held held = accessTokens.get(accessToken);
        return held == null ? Optional.empty() : Optional.of(held.user());
    }

    /** Drops expired codes and long-forgotten tokens. */
    void sweep() {
        long now = System.nanoTime();
        codes.values().removeIf(code -> now - code.issuedAtNanos() > CODE_LIFETIME.toNanos());
        accessTokens.values().removeIf(held -> now - held.issuedAtNanos() > FORGET_TOKENS_AFTER.toNanos());
        refreshTokens.values().removeIf(held -> now - held.issuedAtNanos() > FORGET_TOKENS_AFTER.toNanos());
    }

    static boolean sameSecret(String presented, String expected) {
        return presented != null && MessageDigest.isEqual(presented.getBytes(StandardCharsets.UTF_8),
                expected.getBytes(StandardCharsets.UTF_8));
    }

    private Issued issueTokens(User user) {
        String access = token("a");
        String refresh = token("r");
        long now = System.nanoTime();
        accessTokens.put(access, new Held(user, now));
        refreshTokens.put(refresh, new Held(user, now));
        return new Issued(access, refresh, user);
    }

    /**
     * Unique (a serial number) and unguessable enough for a loopback benchmark; ThreadLocalRandom keeps the fake's
     * CPU low. The service's own state and PKCE use SecureRandom, and that is what is measured.
     */
    private String token(String kind) {
        byte[] random = new byte[24];
        ThreadLocalRandom.current().nextBytes(random);
        return kind + "-" + Long.toString(serial.incrementAndGet(), 36) + "-"
                + Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    }
}
