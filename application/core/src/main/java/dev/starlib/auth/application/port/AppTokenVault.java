package dev.starlib.auth.application.port;

import dev.starlib.auth.domain.AppTokenState;

import java.util.Optional;

/**
 * Where the app token is kept between requests, sealed like the sessions, for every instance that shares the store,
 * and what makes concurrent askers cause one call to SoundCloud. The vault keeps one {@link AppTokenState} and
 * knows nothing of what it means: when a token is due or a failure holds off is decided in the domain.
 * <p>
 * Faults are thrown as {@link SessionStoreException}, as for the sessions.
 */
public interface AppTokenVault {

    /** What is kept now, at once: a running {@link #renew} does not hold a read up. */
    Optional<AppTokenState> read();

    /**
     * Runs {@code renewal} with the vault to itself, and keeps what it returns. While one renewal runs, no other runs
     * in this process, nor in any other process sharing the vault; the others wait their turn and are then given
     * what the first one kept, so that a renewal which finds the token already renewed can return it unchanged. A
     * renewal may call SoundCloud and must be bounded in time.
     * <p>
     * What the renewal returns is kept durably before this returns, unless it is the very instance it was given
     * (nothing changed: nothing is written). A renewal that throws keeps nothing, and the next one gets its turn.
     *
     * @return what the vault keeps now
     */
    AppTokenState renew(Renewal renewal);

    /** One renewal: from what is kept (nothing, the first time), what to keep. */
    @FunctionalInterface
    interface Renewal {
        AppTokenState apply(Optional<AppTokenState> current);
    }
}
