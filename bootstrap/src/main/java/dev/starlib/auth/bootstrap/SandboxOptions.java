package dev.starlib.auth.bootstrap;

import java.time.Duration;
import java.util.Objects;

/**
 * {@code SOUNDCLOUD_MODE=sandbox}: SoundCloud is the in-process stand-in ({@link SandboxWiring}).
 *
 * @param tokenLifetime  {@code SANDBOX_TOKEN_LIFETIME_SECONDS}: the {@code expires_in} of the tokens it issues
 * @param autoApprove    {@code SANDBOX_AUTO_APPROVE}: approve every authorization at once, as the default test user
 * @param allowRemote    {@code SANDBOX_ALLOW_REMOTE}: the operator accepts a sandbox reachable from other machines
 * @param loopbackHost   how the service itself reaches the public port (the adapter speaks plain http only to
 *                       loopback): BACKEND_HOST when it is a loopback address, 127.0.0.1 for a wildcard
 */
record SandboxOptions(Duration tokenLifetime, boolean autoApprove, boolean allowRemote, String loopbackHost) {

    SandboxOptions {
        Objects.requireNonNull(tokenLifetime, "tokenLifetime");
        Objects.requireNonNull(loopbackHost, "loopbackHost");
    }
}
