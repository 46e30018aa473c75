package dev.starlib.auth.soundcloud;

import java.util.Objects;

/** The SoundCloud app's client secret. Only this adapter holds it; it is sent in the token form and nowhere else. */
public record ClientSecret(String value) {

    public ClientSecret {
        Objects.requireNonNull(value, "value");
        if (value.isBlank()) {
            throw new IllegalArgumentException("the client secret must not be blank");
        }
    }

    @Override
    public String toString() {
        return "ClientSecret[redacted]";
    }
}
