package dev.starlib.auth.store;

import dev.starlib.auth.application.port.SessionInventory;
import dev.starlib.auth.application.port.SessionStore;
import dev.starlib.auth.domain.ClientKey;
import dev.starlib.auth.domain.CodeVerifier;
import dev.starlib.auth.domain.OAuthSession;
import dev.starlib.auth.domain.PendingAuthorization;
import dev.starlib.auth.domain.ReturnTo;
import dev.starlib.auth.domain.State;
import dev.starlib.auth.domain.StateHash;
import dev.starlib.auth.domain.Step;
import dev.starlib.auth.domain.Transition;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

import java.net.URI;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The steps of the inventory property, shared by every store's check ({@code SessionInventoryPropertyTest} here,
 * the Redis store's in its module): logins started, consumed, finished, picked up, cancelled, expired and purged
 * on one or more stores that share their sessions, and after every step each store's counts and oldest sessions
 * compared with a brute-force recount ({@link Inventory}) over a plain map to which the same transitions were
 * applied. The stored sessions must come back equal, and the per-client quota must refuse exactly when the
 * domain's rule says the client's places are taken.
 */
public final class InventoryProperty {

    public static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");
    public static final Duration RESULT_TTL = Duration.ofSeconds(90);
    private static final int QUOTA = 3;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final ClientKey.Hasher CLIENTS = new ClientKey.Hasher(new byte[32]);
    private static final List<ClientKey> CLIENT_KEYS = List.of(ClientKey.UNKNOWN, CLIENTS.keyOf("203.0.113.7"),
            CLIENTS.keyOf("198.51.100.4"));
    private static final List<ReturnTo> RETURN_TOS = List.of(
            new ReturnTo(URI.create("http://localhost:3000/auth/soundcloud/callback")),
            new ReturnTo(URI.create("http://LOCALHOST:3000/auth/soundcloud/callback")),
            new ReturnTo(URI.create("tauri://localhost/done?x=%C3%A9")));

    private InventoryProperty() {
    }

    /**
     * START_EARLIER begins a login {@code after} before the model's clock (the clock stepped back, or an instant
     * shared with the previous login when {@code after} is zero).
     */
    public enum Kind { START, START_ODD, START_EARLIER, CONSUME, FINISH, PICK_UP, CANCEL, PURGE, WAIT }

    /**
     * How long the logins live: each its own TTL (out of order, nearly always); one TTL for all (in order, as in
     * service); one TTL, then a shorter one after the first half of the logins (a restart with another setting).
     */
    public enum Ttls { VARIED, CONSTANT, SHORTENED }

    /**
     * One step: what, on which of the logins started so far, how long after the previous step. {@code after} is
     * in milliseconds, plus {@code micros} (0 to 999, mostly 0): a step may fall inside a millisecond, and logins
     * may begin in the same one.
     */
    public record Op(Kind kind, int target, int client, Duration after) {
    }

    /** Up to 60 steps, each up to 200 s after the previous one; some of them within one millisecond. */
    public static Arbitrary<List<Op>> ops() {
        return ops(60, 200_000);
    }

    /** Up to {@code most} steps, each up to {@code longestStepMillis} after the previous one. */
    public static Arbitrary<List<Op>> ops(int most, long longestStepMillis) {
        Arbitrary<Duration> after = Arbitraries.frequencyOf(
                Tuple.of(6, Arbitraries.longs().between(0, longestStepMillis).map(Duration::ofMillis)),
                Tuple.of(2, Arbitraries.just(Duration.ZERO)),
                Tuple.of(1, Arbitraries.longs().between(1, 999_999).map(Duration::ofNanos)));
        Arbitrary<Op> op = Combinators.combine(
                Arbitraries.of(Kind.class).edgeCases(edges -> edges.includeOnly(Kind.START)),
                Arbitraries.integers().between(0, 1_000),
                Arbitraries.integers().between(0, CLIENT_KEYS.size() - 1),
                after).as(Op::new);
        return op.list().ofMinSize(1).ofMaxSize(most);
    }

    public interface Purge {
        int purgeExpired(Instant now);
    }

    /**
     * A clock that reads the steps' time: a store that reckons from its clock (the Redis store: expiries and
     * client places) sees the same instants as the steps.
     */
    public static final class StepClock extends Clock {

        private volatile Instant now = T0;

        /** Moves the clock to {@code instant} (the steps do it themselves). */
        public void set(Instant instant) {
            now = instant;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException("the steps' clock is in UTC");
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    /** Runs {@code ops} on one store; see {@link #run(List, Ttls, List, Purge, StepClock)}. */
    public static <S extends SessionStore & SessionInventory> Model run(List<Op> ops, Ttls ttls, S store,
                                                                        Purge purge) {
        return run(ops, ttls, List.of(store), purge, new StepClock());
    }

    /**
     * Runs {@code ops} on {@code stores}, which hold the same sessions (instances sharing one Redis), each step on
     * the next store in turn, and checks every store after every step.
     */
    public static <S extends SessionStore & SessionInventory> Model run(List<Op> ops, Ttls ttls, List<S> stores,
                                                                        Purge purge, StepClock clock) {
        Model model = new Model(ttls, ops.size());
        int turn = 0;
        for (Op op : ops) {
            if (op.kind() != Kind.START_EARLIER) {
                model.now = model.now.plus(op.after());
            }
            clock.now = model.now;
            Instant now = model.now;
            S store = stores.get(turn++ % stores.size());
            switch (op.kind()) {
                case START, START_ODD, START_EARLIER -> {
                    PendingAuthorization pending = model.newLogin(op, op.kind() == Kind.START_EARLIER
                            ? now.minus(op.after()) : now);
                    OAuthSession.Pending session = new OAuthSession.Pending(pending);
                    boolean quotaFull = pending.client().known() && model.sessions.values().stream()
                            .filter(stored -> stored.client().equals(pending.client()))
                            .filter(stored -> stored.takesAClientPlaceAt(pending.createdAt())).count() >= QUOTA;
                    SessionStore.Creation creation = store.create(session, QUOTA);
                    if (quotaFull) {
                        assertThat(creation).as("the client holds its quota")
                                .isInstanceOf(SessionStore.Creation.QuotaExceeded.class);
                    } else {
                        assertThat(creation).isEqualTo(new SessionStore.Creation.Created());
                        model.sessions.put(pending.key(), session);
                        model.started.add(pending);
                    }
                }
                case CONSUME -> model.apply(store, op, OAuthSession.consume(now, RESULT_TTL));
                case FINISH -> model.finish(store, op, now);
                case PICK_UP -> model.apply(store, op, OAuthSession.pickUp(now));
                case CANCEL -> model.apply(store, op, OAuthSession.cancel(now));
                case PURGE -> {
                    int expected = (int) model.sessions.values().stream().filter(s -> s.isExpiredAt(now)).count();
                    model.sessions.values().removeIf(s -> s.isExpiredAt(now));
                    assertThat(purge.purgeExpired(now)).as("purged").isEqualTo(expected);
                }
                case WAIT -> {
                }
            }
            for (S each : stores) {
                model.check(each, now);
                model.check(each, now.plus(op.after()));
            }
        }
        return model;
    }

    /** The same logins in a plain map, changed by the same transitions, and counted by a scan. */
    public static final class Model {

        final Map<StateHash, OAuthSession> sessions = new HashMap<>();
        final List<PendingAuthorization> started = new ArrayList<>();
        final Ttls ttls;
        final int steps;
        int logins;
        Instant now = T0;

        Model(Ttls ttls, int steps) {
            this.ttls = ttls;
            this.steps = steps;
        }

        private Duration ttl(Op op) {
            logins++;
            return switch (ttls) {
                case VARIED -> Duration.ofSeconds(30 + op.target() % 600);
                case CONSTANT -> Duration.ofSeconds(300);
                case SHORTENED -> Duration.ofSeconds(logins <= steps / 2 ? 600 : 45);
            };
        }

        /** The time of the last step. */
        public Instant now() {
            return now;
        }

        PendingAuthorization newLogin(Op op, Instant now) {
            State state = State.generate(RANDOM);
            // Now and then a verifier and a hint the compact layout cannot pack: such a login is kept as it is.
            CodeVerifier verifier = op.kind() == Kind.START_ODD
                    ? new CodeVerifier("~" + CodeVerifier.generate(RANDOM).value() + ".odd")
                    : CodeVerifier.generate(RANDOM);
            Duration ttl = ttl(op);
            // A login begun before the clock is of no known client: a client's places are pruned at the latest
            // instant seen, which the quota's model here does not follow back.
            ClientKey client = op.kind() == Kind.START_EARLIER ? ClientKey.UNKNOWN : CLIENT_KEYS.get(op.client());
            ReturnTo returnTo = RETURN_TOS.get(op.target() % RETURN_TOS.size());
            if (op.kind() == Kind.START_ODD) {
                return new PendingAuthorization(state.hash(), state.hint().substring(1), verifier, returnTo,
                        now, now.plus(ttl), client);
            }
            return PendingAuthorization.start(state, verifier, returnTo, now, ttl, client);
        }

        <A> void apply(SessionStore store, Op op, Transition<A> transition) {
            if (started.isEmpty()) {
                return;
            }
            StateHash key = started.get(op.target() % started.size()).key();
            Step<A> expected = transition.apply(sessions.get(key));
            A answer = store.update(key, transition);
            assertThat(answer).as("the store's answer is the model's").isEqualTo(expected.answer());
            if (expected.changes()) {
                expected.kept().ifPresentOrElse(kept -> sessions.put(key, kept), () -> sessions.remove(key));
            }
        }

        /** The use case finishes only what it consumed: a login whose marker is there or gone, never twice. */
        void finish(SessionStore store, Op op, Instant now) {
            if (started.isEmpty()) {
                return;
            }
            PendingAuthorization pending = started.get(op.target() % started.size());
            OAuthSession current = sessions.get(pending.key());
            if (current instanceof OAuthSession.Exchanging) {
                apply(store, op, OAuthSession.finish(op.client() == 0
                        ? Logins.failed(pending, now, RESULT_TTL)
                        : Logins.succeeded(pending, now, RESULT_TTL), pending.client()));
            }
        }

        public <S extends SessionStore & SessionInventory> void check(S store, Instant at) {
            assertThat(store.counts(at)).as("counts at " + at).isEqualTo(Inventory.counts(sessions.values(), at));
            assertThat(store.oldest(at, 4)).as("the oldest at " + at)
                    .isEqualTo(Inventory.oldest(sessions.values(), at, 4));
            assertThat(store.oldest(at, 1_000)).as("all, oldest first, at " + at)
                    .isEqualTo(Inventory.oldest(sessions.values(), at, 1_000));
            for (PendingAuthorization pending : started) {
                OAuthSession stored = store.update(pending.key(), current -> new Step<>(current, current, current));
                assertThat(stored).as("what the store holds, rebuilt").isEqualTo(sessions.get(pending.key()));
            }
        }
    }
}
