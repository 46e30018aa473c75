package dev.starlib.auth.bootstrap;

import dev.starlib.auth.sandbox.SandboxSettings;
import dev.starlib.auth.sandbox.SandboxSoundCloud;
import io.helidon.webserver.http.HttpService;

import java.net.URI;
import java.time.Clock;

/**
 * The one door to the sandbox module: the routes {@code SOUNDCLOUD_MODE=sandbox} mounts on the public port, and
 * where the SoundCloud adapter then calls. No other class of the service imports the sandbox, so a build without
 * it would replace this class alone (decision 0006).
 */
final class SandboxWiring {

    static final String MOUNT_PATH = SandboxSoundCloud.MOUNT_PATH;

    private SandboxWiring() {
    }

    /** Where the adapter (and the browser, through the authorization URL) reaches the stand-in on {@code port}. */
    static URI baseUrl(SandboxOptions options, int port) {
        String host = options.loopbackHost().contains(":") ? "[" + options.loopbackHost() + "]" : options.loopbackHost();
        return URI.create("http://" + host + ":" + port + MOUNT_PATH);
    }

    /** The stand-in, registered with the client the settings name (real or sandbox-generated credentials). */
    static HttpService standIn(ServiceSettings settings, SandboxOptions options, Clock clock) {
        // The backend-redirect flow sends the browser on from /redirect to the app's return_to: its origins too.
        return new SandboxSoundCloud(new SandboxSettings(settings.clientId().orElseThrow(),
                settings.clientSecret().orElseThrow().value(), settings.redirectUri(), options.tokenLifetime(),
                options.autoApprove(), SettingsLoader.sorted(settings.returnToPolicy().allowedOrigins())), clock);
    }
}
