package dev.starlib.auth.sandbox;

import java.util.Objects;

/**
 * A test user a tester can sign in as. {@code deniesConsent} marks a user whose approval turns into
 * {@code access_denied}, so a denied login can be played without flipping a global switch.
 */
public record SandboxUser(long id, String username, String fullName, String permalink, String avatarUrl,
                          boolean deniesConsent) {

    public SandboxUser {
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(fullName, "fullName");
        Objects.requireNonNull(permalink, "permalink");
        Objects.requireNonNull(avatarUrl, "avatarUrl");
        if (id <= 0) {
            throw new IllegalArgumentException("a SoundCloud user id is positive");
        }
    }

    /** SoundCloud's URN for the user, e.g. {@code soundcloud:users:1001}. */
    public String urn() {
        return "soundcloud:users:" + id;
    }
}
