package dev.starlib.auth.sandbox;

import java.time.Instant;

/** Something the sandbox handed out and remembers until it is used or expires. */
sealed interface SandboxGrant permits PendingConsent, IssuedCode, IssuedToken {

    Instant expiresAt();

    default boolean isLiveAt(Instant now) {
        return now.isBefore(expiresAt());
    }
}
