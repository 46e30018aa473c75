package dev.starlib.auth.bootstrap;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Every setting the service reads, parsed and checked once at start. {@code clientSecret},
 * {@code sessionStoreKey} and {@code adminPassword} are kept out of {@link #toString()}: it says only whether
 * they are set. {@code sandbox} is present in {@code SOUNDCLOUD_MODE=sandbox}: SoundCloud is then the in-process
 * stand-in, whatever the two base URLs say.
 */
record ServiceSettings(
        Optional<String> clientId,
        Optional<String> clientSecret,
        URI redirectUri,
        String host,
        int port,
        URI authBaseUrl,
        URI apiBaseUrl,
        Duration upstreamTimeout,
        List<String> allowedReturnOrigins,
        String defaultReturnTo,
        List<String> corsAllowedOrigins,
        Duration pendingTtl,
        Duration resultTtl,
        String sessionStore,
        Path sessionStorePath,
        int sessionStoreCapacity,
        Optional<String> sessionStoreKey,
        Optional<SandboxOptions> sandbox,
        int adminPort,
        String adminUser,
        Optional<String> adminPassword) {

    boolean credentialsConfigured() {
        return clientId.isPresent() && clientSecret.isPresent();
    }

    @Override
    public String toString() {
        return "ServiceSettings[clientId=" + clientId.orElse("<unset>")
                + ", clientSecret=" + (clientSecret.isPresent() ? "<set>" : "<unset>")
                + ", redirectUri=" + redirectUri + ", listen=" + host + ":" + port
                + (sandbox.isPresent() ? ", authBaseUrl=apiBaseUrl=<the sandbox on this port>"
                        : ", authBaseUrl=" + authBaseUrl + ", apiBaseUrl=" + apiBaseUrl)
                + ", upstreamTimeout=" + upstreamTimeout.toMillis() + "ms"
                + ", allowedReturnOrigins=" + allowedReturnOrigins + ", defaultReturnTo=" + defaultReturnTo
                + ", corsAllowedOrigins=" + corsAllowedOrigins
                + ", pendingTtl=" + pendingTtl.toSeconds() + "s, resultTtl=" + resultTtl.toSeconds() + "s"
                + ", sessionStore=" + sessionStore + ", sessionStorePath=" + sessionStorePath
                + ", sessionStoreCapacity=" + sessionStoreCapacity
                + ", sessionStoreKey=" + (sessionStoreKey.isPresent() ? "<set>" : "<unset>")
                + ", soundCloudMode=" + sandbox.map(s -> "sandbox[tokenLifetime=" + s.tokenLifetime().toSeconds()
                        + "s, autoApprove=" + s.autoApprove() + ", allowRemote=" + s.allowRemote() + "]").orElse("live")
                + ", adminListen=" + host + ":" + adminPort + ", adminUser=" + adminUser
                + ", adminPassword=" + (adminPassword.isPresent() ? "<set>" : "<unset>") + "]";
    }
}
