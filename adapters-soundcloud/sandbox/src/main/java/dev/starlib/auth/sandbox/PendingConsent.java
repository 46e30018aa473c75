package dev.starlib.auth.sandbox;

import java.time.Instant;
import java.util.Objects;

/** A checked authorization request waiting on the consent page for Approve or Deny. */
record PendingConsent(AuthorizationRequest request, Instant expiresAt) implements SandboxGrant {

    PendingConsent {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(expiresAt, "expiresAt");
    }
}
