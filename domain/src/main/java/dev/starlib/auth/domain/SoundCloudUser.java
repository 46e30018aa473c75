package dev.starlib.auth.domain;

import java.util.Objects;

/** The signed-in SoundCloud user, as the frontend caches it ({@code sc_user}). */
public record SoundCloudUser(long id, String username, String permalink, String avatarUrl) {

    public SoundCloudUser {
        if (id <= 0) {
            throw new IllegalArgumentException("a SoundCloud user id is a positive number");
        }
        Objects.requireNonNull(username, "username");
    }

    /** Names and avatars are personal data: keep them out of logs. */
    @Override
    public String toString() {
        return "SoundCloudUser[id=" + id + "]";
    }
}
