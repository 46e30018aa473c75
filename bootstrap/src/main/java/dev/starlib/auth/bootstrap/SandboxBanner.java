package dev.starlib.auth.bootstrap;

import java.net.URI;

/** The log banner of sandbox mode: nobody should run it without noticing. */
final class SandboxBanner {

    private static final String RULE = "*".repeat(96);

    private SandboxBanner() {
    }

    static String text(ServiceSettings settings, URI sandboxBaseUrl) {
        SandboxOptions options = settings.sandbox().orElseThrow();
        return String.join(System.lineSeparator(),
                "",
                RULE,
                "*  SANDBOX MODE (SOUNDCLOUD_MODE=sandbox): SoundCloud is an in-process stand-in, NOT the real one.",
                "*  Anyone who can reach this port signs in as a test user, without a password. Never use it in production.",
                "*  Stand-in:   fault switches at " + sandboxBaseUrl + "/control; its consent page opens from the "
                        + "authorization URL that /auth/soundcloud/authorize answers",
                "*  Client id:  " + settings.clientId().orElseThrow()
                        + "   redirect_uri: " + settings.redirectUri(),
                "*  Tokens:     expires_in " + options.tokenLifetime().toSeconds() + " s"
                        + "   auto-approve: " + (options.autoApprove() ? "on" : "off (consent page)")
                        + "   remote access: " + (options.allowRemote() ? "ALLOWED" : "off (loopback only)"),
                RULE);
    }
}
