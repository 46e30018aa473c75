package dev.starlib.auth.sandbox;

import java.util.List;
import java.util.Objects;

/**
 * What the consent page shows. Everything here but the request id came from the query string; the template
 * escapes it all.
 *
 * @param requestId          names the pending request server-side; the form posts only this back
 * @param denyConsentActive  the {@code deny_consent} switch is on, so Approve will be turned into a denial
 */
public record ConsentPage(String requestId, String clientId, String redirectUri, String state,
                          List<SandboxUser> users, boolean denyConsentActive) {

    public ConsentPage {
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(redirectUri, "redirectUri");
        Objects.requireNonNull(state, "state");
        users = List.copyOf(users);
    }

    public boolean isDefault(SandboxUser user) {
        return user.id() == SandboxUsers.defaultUser().id();
    }

    @Override
    public String toString() {
        return "ConsentPage[redacted]";
    }
}
