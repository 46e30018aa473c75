package dev.starlib.auth.bootstrap;

import java.net.URI;
import java.util.Objects;

/** {@code SOUNDCLOUD_MODE}: the real SoundCloud, or the in-process stand-in. */
sealed interface SoundCloudMode {

    /** What operators may read of it. */
    String describe();

    /**
     * @param authBaseUrl {@code SOUNDCLOUD_AUTH_BASE_URL}: {@code /authorize} and {@code /oauth/token}
     * @param apiBaseUrl  {@code SOUNDCLOUD_API_BASE_URL}: {@code /me}
     */
    record Live(URI authBaseUrl, URI apiBaseUrl) implements SoundCloudMode {

        public Live {
            Objects.requireNonNull(authBaseUrl, "authBaseUrl");
            Objects.requireNonNull(apiBaseUrl, "apiBaseUrl");
        }

        @Override
        public String describe() {
            return "live: " + authBaseUrl + " · " + apiBaseUrl;
        }
    }

    /** The stand-in, mounted on the public port; the two base URLs are ignored. */
    record Sandbox(SandboxOptions options) implements SoundCloudMode {

        public Sandbox {
            Objects.requireNonNull(options, "options");
        }

        @Override
        public String describe() {
            return "sandbox: an in-process stand-in on the public port, no real accounts";
        }
    }
}
