package dev.starlib.auth.http.admin;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Objects;

/**
 * Who may open the admin pages: one user name and password (HTTP Basic). The password never appears in
 * {@link #toString()}; a generated one is revealed once, for bootstrap to print at start.
 */
public final class AdminCredentials {

    private static final int GENERATED_BYTES = 18; // 24 base64url characters, 144 bits

    private final String user;
    private final String password;
    private final boolean generated;

    private AdminCredentials(String user, String password, boolean generated) {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(password, "password");
        if (user.isEmpty() || user.indexOf(':') >= 0) {
            throw new IllegalArgumentException("the admin user must be non-empty and contain no ':'");
        }
        if (password.isEmpty()) {
            throw new IllegalArgumentException("the admin password must not be empty");
        }
        this.user = user;
        this.password = password;
        this.generated = generated;
    }

    public static AdminCredentials of(String user, String password) {
        return new AdminCredentials(user, password, false);
    }

    /** A random password for this run, for when none is configured. */
    public static AdminCredentials generate(String user, SecureRandom random) {
        byte[] bytes = new byte[GENERATED_BYTES];
        random.nextBytes(bytes);
        return new AdminCredentials(user, Base64.getUrlEncoder().withoutPadding().encodeToString(bytes), true);
    }

    public String user() {
        return user;
    }

    public boolean generated() {
        return generated;
    }

    /** The password itself: only for telling the operator a generated one, once. */
    public String revealPassword() {
        return password;
    }

    /**
     * Compares both parts in time that depends on neither: digests first, so lengths do not show, and both
     * comparisons always run.
     */
    boolean matches(String candidateUser, String candidatePassword) {
        boolean userMatches = MessageDigest.isEqual(sha256(user), sha256(candidateUser));
        boolean passwordMatches = MessageDigest.isEqual(sha256(password), sha256(candidatePassword));
        return userMatches & passwordMatches;
    }

    private static byte[] sha256(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    @Override
    public String toString() {
        return "AdminCredentials[user=" + user + ", password=<hidden>" + (generated ? " (generated)" : "") + "]";
    }
}
