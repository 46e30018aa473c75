package dev.starlib.auth.domain;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The login lifecycle under any order of requests at any times: whatever the callers do, a verifier goes to one
 * code exchange at most, a result to one pickup at most, never to a client a bound pickup refuses, an ended
 * session is never kept, and every transition is a pure function of what is stored.
 */
class OAuthSessionPropertyTest {

    private static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");
    private static final Duration PENDING_TTL = Duration.ofMinutes(10);
    private static final Duration RESULT_TTL = Duration.ofMinutes(2);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final ClientKey.Hasher CLIENTS = new ClientKey.Hasher(new byte[32]);
    private static final ClientKey OWNER = CLIENTS.keyOf("203.0.113.7");
    private static final ClientKey STRANGER = CLIENTS.keyOf("198.51.100.4");

    enum Kind { CONSUME, FINISH, PICK_UP, PICK_UP_BOUND_OWNER, PICK_UP_BOUND_STRANGER, CANCEL }

    record Request(Kind kind, Duration after) {
    }

    @Provide
    Arbitrary<List<Request>> requests() {
        Arbitrary<Request> request = Combinators.combine(Arbitraries.of(Kind.class),
                        Arbitraries.longs().between(0, 15 * 60 * 1000).map(Duration::ofMillis))
                .as(Request::new);
        return request.list().ofMinSize(1).ofMaxSize(25);
    }

    @Property(tries = 500)
    void aVerifierAndAResultAreEachHandedOutAtMostOnce(@ForAll("requests") List<Request> requests) {
        State state = State.generate(RANDOM);
        PendingAuthorization pending = PendingAuthorization.start(state, CodeVerifier.generate(RANDOM),
                new ReturnTo(java.net.URI.create("http://localhost:3000/cb")), T0, PENDING_TTL, OWNER);
        OAuthSession stored = new OAuthSession.Pending(pending);
        int consumed = 0;
        int handedOut = 0;
        boolean awaitingResult = false;
        for (Request request : requests) {
            Instant now = T0.plus(request.after());
            Transition<?> transition = switch (request.kind()) {
                case CONSUME -> OAuthSession.consume(now, RESULT_TTL);
                // The use case finishes only a login it consumed itself, once: so does this caller.
                case FINISH -> awaitingResult ? OAuthSession.finish(new FinishedLogin(pending.key(), pending.stateHint(),
                        new LoginOutcome.Failed(new LoginFailure(LoginFailure.Reason.ACCESS_DENIED, "denied")), now,
                        now.plus(RESULT_TTL)), OWNER) : null;
                case PICK_UP -> OAuthSession.pickUp(now);
                case PICK_UP_BOUND_OWNER -> OAuthSession.pickUp(now, Optional.of(OWNER));
                case PICK_UP_BOUND_STRANGER -> OAuthSession.pickUp(now, Optional.of(STRANGER));
                case CANCEL -> OAuthSession.cancel(now);
            };
            if (transition == null) {
                continue;
            }
            Step<?> step = transition.apply(stored);
            assertThat(transition.apply(stored)).as("a transition is pure").isEqualTo(step);
            assertThat(step.before()).isSameAs(stored);
            Object answer = step.answer();
            if (answer instanceof OAuthSession.Consumption.Consumed) {
                consumed++;
                awaitingResult = true;
            }
            if (request.kind() == Kind.FINISH) {
                awaitingResult = false;
            }
            if (answer instanceof OAuthSession.PickUp.Ready) {
                handedOut++;
                assertThat(request.kind()).isNotEqualTo(Kind.PICK_UP_BOUND_STRANGER);
            }
            step.kept().ifPresent(kept -> assertThat(kept.stage().ended()).isFalse());
            stored = step.kept().orElse(null);
            if (stored != null) {
                assertThat(stored.key()).isEqualTo(pending.key());
                assertThat(stored.takesAClientPlaceAt(now)).isEqualTo(stored instanceof OAuthSession.Pending
                        && now.isBefore(pending.expiresAt()));
            }
        }
        assertThat(consumed).isLessThanOrEqualTo(1);
        assertThat(handedOut).isLessThanOrEqualTo(1);
    }

    @Property(tries = 300)
    void aBoundPickupNeverHandsAResultToAStrangerAndLeavesItForItsOwner(
            @ForAll("requests") @Size(max = 10) List<Request> strangers) {
        State state = State.generate(RANDOM);
        FinishedLogin login = new FinishedLogin(state.hash(), state.hint(),
                new LoginOutcome.Failed(new LoginFailure(LoginFailure.Reason.ACCESS_DENIED, "denied")), T0,
                T0.plus(Duration.ofHours(1)));
        OAuthSession stored = new OAuthSession.Finished(login, "http://localhost:3000", OWNER);
        for (Request attempt : strangers) {
            Step<OAuthSession.PickUp> step = OAuthSession.pickUp(T0.plus(attempt.after()), Optional.of(STRANGER))
                    .apply(stored);
            assertThat(step.answer()).isEqualTo(new OAuthSession.PickUp.OtherClient());
            assertThat(step.changes()).isFalse();
        }
        assertThat(OAuthSession.pickUp(T0.plusSeconds(1), Optional.of(OWNER)).apply(stored).answer())
                .isEqualTo(new OAuthSession.PickUp.Ready(login));
    }
}
