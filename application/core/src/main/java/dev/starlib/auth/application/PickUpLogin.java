package dev.starlib.auth.application;

import dev.starlib.auth.application.port.SessionStore;
import dev.starlib.auth.domain.ClientKey;
import dev.starlib.auth.domain.FinishedLogin;
import dev.starlib.auth.domain.LoginOutcome;
import dev.starlib.auth.domain.OAuthSession;
import dev.starlib.auth.domain.State;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/** {@code GET /result}: hands a finished backend-redirect login to the frontend, once. */
public final class PickUpLogin {

    private static final System.Logger LOG = System.getLogger(PickUpLogin.class.getName());

    private final SessionStore store;
    private final Clock clock;

    public PickUpLogin(SessionStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    public sealed interface Result {
        /**
         * The outcome, with the access token's lifetime (or a failure's wait before a retry) counted from now
         * rather than from the exchange.
         */
        record Ready(LoginOutcome outcome) implements Result {
        }

        /** Not finished yet, or not known: the client keeps polling. */
        record NotReady() implements Result {
        }

        record AlreadyPickedUp() implements Result {
        }

        /** {@code PICKUP_BINDING=client}: another client started this login; its result stays for that one. */
        record OtherClient() implements Result {
        }
    }

    public Result pickUp(State state) {
        return pickUp(state, Optional.empty());
    }

    /** @param boundTo the client asking, when pickups are bound to the client that started the login */
    public Result pickUp(State state, Optional<ClientKey> boundTo) {
        var now = clock.instant();
        return switch (store.update(state.hash(), OAuthSession.pickUp(now, boundTo))) {
            case OAuthSession.PickUp.NotReady notReady -> new Result.NotReady();
            case OAuthSession.PickUp.OtherClient other -> {
                LOG.log(System.Logger.Level.WARNING, "result refused state={0}… reason=other_client", state.hint());
                yield new Result.OtherClient();
            }
            case OAuthSession.PickUp.AlreadyPickedUp picked -> {
                LOG.log(System.Logger.Level.INFO, "result refused state={0}… reason=already_picked_up", state.hint());
                yield new Result.AlreadyPickedUp();
            }
            case OAuthSession.PickUp.Ready ready -> {
                FinishedLogin finished = ready.finished();
                LOG.log(System.Logger.Level.INFO, "result picked up state={0}…", finished.stateHint());
                yield new Result.Ready(aged(finished.outcome(), Duration.between(finished.finishedAt(), now)));
            }
        };
    }

    private static LoginOutcome aged(LoginOutcome outcome, Duration waited) {
        return switch (outcome) {
            case LoginOutcome.Succeeded s -> new LoginOutcome.Succeeded(s.tokens().aged(waited), s.user());
            case LoginOutcome.Failed f -> new LoginOutcome.Failed(f.failure().aged(waited));
        };
    }
}
