package dev.starlib.auth.bootstrap;

import dev.starlib.auth.application.TokenEndpointBreaker;
import dev.starlib.auth.domain.ReturnTo;
import dev.starlib.auth.domain.ReturnToPolicy;
import dev.starlib.auth.http.CorsPolicy;
import dev.starlib.auth.http.InternalApiKey;
import dev.starlib.auth.soundcloud.ClientSecret;
import dev.starlib.auth.soundcloud.SoundCloudSettings;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Every setting the service reads, parsed and checked once by {@link SettingsLoader}: what the wiring gets is
 * already the value it needs (a policy, a key, a mode), never a string to check again. The client secret, the
 * store key, the admin password and the internal API key are kept out of {@link #toString()}: it says only whether
 * they are set.
 */
record ServiceSettings(
        Optional<String> clientId,
        Optional<ClientSecret> clientSecret,
        URI redirectUri,
        String host,
        int port,
        SoundCloudMode soundCloud,
        Duration upstreamTimeout,
        ReturnToPolicy returnToPolicy,
        ReturnTo defaultReturnTo,
        CorsPolicy cors,
        Duration pendingTtl,
        Duration resultTtl,
        StoreSettings store,
        int adminPort,
        String adminUser,
        Optional<String> adminPassword,
        Duration refreshReuse,
        TokenEndpointBreaker.Settings breaker,
        Optional<InternalApiKey> internalApiKey,
        Duration appTokenRenewBefore,
        Path adminPasswordFile,
        Duration shutdownGrace,
        FairUseSettings fairUse,
        Duration soundCloudKeepAlive) {

    boolean credentialsConfigured() {
        return clientId.isPresent() && clientSecret.isPresent();
    }

    /** The credential variables that are not set, by name, for a message that says exactly what to add. */
    List<String> missingCredentials() {
        List<String> missing = new ArrayList<>();
        if (clientId.isEmpty()) {
            missing.add("CLIENT_ID");
        }
        if (clientSecret.isEmpty()) {
            missing.add("CLIENT_SECRET");
        }
        return List.copyOf(missing);
    }

    /**
     * How the SoundCloud adapter reaches SoundCloud at these base URLs (the live ones, or the sandbox's).
     *
     * @throws IllegalArgumentException naming the adapter's own field when a URL is not one it may call
     */
    SoundCloudSettings soundCloudSettings(URI authBaseUrl, URI apiBaseUrl) {
        return new SoundCloudSettings(authBaseUrl, apiBaseUrl, clientId.orElseThrow(), clientSecret.orElseThrow(),
                redirectUri, upstreamTimeout).withKeepAlive(soundCloudKeepAlive);
    }

    Optional<SandboxOptions> sandbox() {
        return soundCloud instanceof SoundCloudMode.Sandbox sandbox ? Optional.of(sandbox.options()) : Optional.empty();
    }

    @Override
    public String toString() {
        return "ServiceSettings[clientId=" + clientId.orElse("<unset>")
                + ", clientSecret=" + (clientSecret.isPresent() ? "<set>" : "<unset>")
                + ", redirectUri=" + redirectUri + ", listen=" + host + ":" + port
                + ", soundCloud=" + soundCloud.describe()
                + ", upstreamTimeout=" + upstreamTimeout.toMillis() + "ms"
                + ", allowedReturnOrigins=" + SettingsLoader.sorted(returnToPolicy.allowedOrigins())
                + ", defaultReturnTo=" + defaultReturnTo.uri()
                + ", corsAllowedOrigins=" + CorsOrigins.describe(cors)
                + ", pendingTtl=" + pendingTtl.toSeconds() + "s, resultTtl=" + resultTtl.toSeconds() + "s"
                + ", sessionStore=" + store
                + sandbox().map(s -> ", sandbox[tokenLifetime=" + s.tokenLifetime().toSeconds()
                        + "s, autoApprove=" + s.autoApprove() + ", allowRemote=" + s.allowRemote() + "]").orElse("")
                + ", adminListen=" + host + ":" + adminPort + ", adminUser=" + adminUser
                + ", adminPassword=" + (adminPassword.isPresent() ? "<set>" : "<unset: generated into " + adminPasswordFile + ">")
                + ", refreshReuse=" + refreshReuse.toSeconds() + "s"
                + ", breaker[failures=" + breaker.failuresToOpen() + ", open=" + breaker.openFor().toSeconds()
                + "s, maxOpen=" + breaker.maxOpenFor().toSeconds() + "s]"
                + ", internalApiToken=" + (internalApiKey.isPresent() ? "<set>" : "<unset>")
                + ", appTokenRenewBefore=" + appTokenRenewBefore.toSeconds() + "s"
                + ", shutdownGrace=" + shutdownGrace.toSeconds() + "s"
                + ", " + fairUse
                + ", soundCloudKeepAlive=" + soundCloudKeepAlive.toSeconds() + "s]";
    }
}
