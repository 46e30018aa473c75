package dev.starlib.auth.store;

import dev.starlib.auth.domain.ClientKey;
import dev.starlib.auth.domain.CodeVerifier;
import dev.starlib.auth.domain.FinishedLogin;
import dev.starlib.auth.domain.OAuthSession;
import dev.starlib.auth.domain.PendingAuthorization;
import dev.starlib.auth.domain.ReturnTo;
import dev.starlib.auth.domain.State;
import dev.starlib.auth.domain.StateHash;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import static dev.starlib.auth.store.Logins.T0;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The compact layout gives back exactly what was stored, whether a session fits it or not, read from memory or
 * decoded straight from a log record; and the quota rule read from a packed entry is the domain's.
 */
class SessionTableTest {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final ClientKey CLIENT = Logins.client("203.0.113.7");
    private static final Duration TTL = Duration.ofMinutes(10);

    @Test
    void everyLoginComesBackExactlyWhetherItFitsTheCompactLayoutOrNot() {
        List<OAuthSession> sessions = new ArrayList<>();
        for (String verifier : verifiers()) {
            for (String hint : List.of("abcdefgh", "abc", "é1234567", "ABCDEFGHI")) {
                for (ClientKey client : List.of(ClientKey.UNKNOWN, CLIENT)) {
                    for (String returnTo : List.of("http://localhost:3000/auth/soundcloud/callback",
                            "http://LOCALHOST:3000/auth/soundcloud/callback", "tauri://localhost/done?x=%C3%A9")) {
                        State state = State.generate(RANDOM);
                        sessions.add(new OAuthSession.Pending(new PendingAuthorization(state.hash(), hint,
                                new CodeVerifier(verifier), new ReturnTo(URI.create(returnTo)),
                                T0.plusNanos(RANDOM.nextInt(1_000_000)), T0.plus(TTL), client)));
                    }
                }
            }
        }
        SessionTable table = new SessionTable();
        SessionTable.Shared shared = new SessionTable.Shared();
        for (OAuthSession session : sessions) {
            assertThat(table.insert(session)).isTrue();
            SessionTable.Key key = SessionTable.Key.of(session.key());
            assertThat(table.get(session.key())).as("kept in memory").isEqualTo(session);
            assertThat(table.get(session.key()).toString()).isEqualTo(session.toString());
            OAuthSession decoded = SessionCodec.decodeEntry(key, SessionCodec.encode(session), shared).session();
            assertThat(decoded).as("decoded from its record").isEqualTo(session);
            assertThat(((OAuthSession.Pending) decoded).authorization().returnTo().uri().toString())
                    .as("the return_to's exact text").isEqualTo(
                            ((OAuthSession.Pending) session).authorization().returnTo().uri().toString());
        }
        assertThat(table.size()).isEqualTo(sessions.size());
    }

    /**
     * A picked-up login's marker, the stage a steady load holds most of (one per login for the rest of its
     * result's TTL): whether its hint packs or not, it comes back exactly from memory, after the transitions that
     * made it and decoded from its record, is counted as picked up, and a second pickup is told so until it expires.
     */
    @Test
    void aPickedUpMarkerComesBackExactlyWhetherItFitsTheCompactLayoutOrNot() {
        SessionTable table = new SessionTable();
        SessionTable.Shared shared = new SessionTable.Shared();
        List<OAuthSession.PickedUp> markers = new ArrayList<>();
        for (String hint : List.of("abcdefgh", "abc", "é1234567", "ABCDEFGHI", "a\u0000cdefgh")) {
            for (String origin : List.of("http://localhost:3000", "tauri://localhost", "http://LOCALHOST:3000")) {
                StateHash key = State.generate(RANDOM).hash();
                Instant finished = T0.plusNanos(RANDOM.nextInt(1_000_000));
                OAuthSession.PickedUp marker = new OAuthSession.PickedUp(key, hint, new String(origin.toCharArray()),
                        finished, finished.plus(TTL));
                markers.add(marker);
                assertThat(table.insert(marker)).isTrue();
                assertThat(table.get(key)).as("kept in memory").isEqualTo(marker);
                assertThat(table.get(SessionTable.Key.of(key))).as("rebuilt without the caller's hash").isEqualTo(marker);
                assertThat(table.get(key).toString()).isEqualTo(marker.toString());
                OAuthSession decoded = SessionCodec.decodeEntry(SessionTable.Key.of(key), SessionCodec.encode(marker),
                        shared).session();
                assertThat(decoded).as("decoded from its record").isEqualTo(marker);
            }
        }
        assertThat(table.counts(T0)).isEqualTo(Inventory.counts(List.copyOf(markers), T0));

        MemorySessionStore store = new MemorySessionStore(100);
        PendingAuthorization pending = Logins.pending(T0);
        LoginSteps.create(store, pending);
        FinishedLogin finished = LoginSteps.finish(store, pending, T0.plusSeconds(1));
        assertThat(LoginSteps.pickUp(store, pending.key(), T0.plusSeconds(2))).isEqualTo(LoginSteps.ready(finished));
        OAuthSession.PickedUp expected = new OAuthSession.PickedUp(pending.key(), pending.stateHint(),
                new OAuthSession.Pending(pending).returnToOrigin(), finished.finishedAt(), finished.expiresAt());
        OAuthSession left = store.update(pending.key(), current -> new dev.starlib.auth.domain.Step<>(current, current,
                current));
        assertThat(left).as("the marker the pickup left").isEqualTo(expected);
        assertThat(LoginSteps.pickUp(store, pending.key(), T0.plusSeconds(3))).isEqualTo(LoginSteps.ALREADY_PICKED_UP);
        assertThat(LoginSteps.pickUp(store, pending.key(), finished.expiresAt())).isEqualTo(LoginSteps.NOT_READY);
    }

    @Test
    void theQuotaRuleReadFromAnEntryIsTheDomains() {
        SessionTable table = new SessionTable();
        List<OAuthSession> sessions = List.of(pending(ClientKey.UNKNOWN), pending(CLIENT),
                new OAuthSession.Pending(new PendingAuthorization(State.generate(RANDOM).hash(), "short",
                        new CodeVerifier("~" + CodeVerifier.generate(RANDOM).value()), frontend(), T0, T0.plus(TTL),
                        CLIENT)),
                new OAuthSession.Exchanging(State.generate(RANDOM).hash(), "abcdefgh", "http://localhost:3000", T0,
                        T0.plus(TTL), CLIENT));
        sessions.forEach(table::insert);
        for (OAuthSession session : sessions) {
            for (Instant now : List.of(T0, T0.plus(TTL).minusNanos(1), T0.plus(TTL), T0.plus(TTL).plusSeconds(1))) {
                assertThat(table.takesAClientPlace(SessionTable.Key.of(session.key()), now))
                        .as("%s at %s", session.stage(), now).isEqualTo(session.takesAClientPlaceAt(now));
            }
        }
        assertThat(table.takesAClientPlace(SessionTable.Key.of(State.generate(RANDOM).hash()), T0)).isFalse();
    }

    /**
     * Counts taken while eight threads start, consume, finish and pick up logins that expire as they go: never
     * negative or torn (a count throws on a negative stage), and exact once the threads are done.
     */
    @Test
    void countsStayWholeWhileTransitionsRaceThem() throws Exception {
        MemorySessionStore store = new MemorySessionStore(1_000_000);
        java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();
        List<Thread> racers = new ArrayList<>();
        List<PendingAuthorization> started = java.util.Collections.synchronizedList(new ArrayList<>());
        for (int thread = 0; thread < 8; thread++) {
            int seed = thread;
            racers.add(Thread.ofPlatform().start(() -> {
                for (int i = 0; i < 1_500; i++) {
                    Instant at = T0.plusMillis(i * 10L + seed);
                    PendingAuthorization pending = Logins.pending(at, Duration.ofMillis(500 + (i % 7) * 100));
                    started.add(pending);
                    LoginSteps.create(store, pending);
                    if (i % 3 != 0) {
                        LoginSteps.consume(store, pending.key(), at.plusMillis(50));
                        if (i % 2 == 0) {
                            LoginSteps.saveResult(store, Logins.failed(pending, at.plusMillis(60), Duration.ofMillis(300)));
                            if (i % 4 == 0) {
                                LoginSteps.pickUp(store, pending.key(), at.plusMillis(70));
                            }
                        }
                    }
                    if (i % 200 == 0) {
                        store.purgeExpired(at);
                    }
                }
            }));
        }
        Thread counter = Thread.ofPlatform().start(() -> {
            for (int i = 0; !done.get(); i++) {
                store.counts(T0.plusMillis(i % 16_000));
            }
        });
        for (Thread racer : racers) {
            racer.join();
        }
        done.set(true);
        counter.join();
        for (Instant at : List.of(T0, T0.plusSeconds(5), T0.plusSeconds(10), T0.plusSeconds(15), T0.plusSeconds(3))) {
            List<OAuthSession> held = new ArrayList<>();
            for (PendingAuthorization pending : started) {
                OAuthSession session = store.update(pending.key(), current -> new dev.starlib.auth.domain.Step<>(
                        current, current, current));
                if (session != null) {
                    held.add(session);
                }
            }
            assertThat(store.counts(at)).as("at %s", at).isEqualTo(Inventory.counts(held, at));
        }
    }

    /**
     * Thousands of logins through one table, as a service makes them (one TTL, most removed soon after they
     * began), with some out of order (a shorter TTL, an instant shared with the previous login, a little before
     * the last ones, a clock stepped back): the counts at instants forward and back, the oldest and the expired
     * (in their order) stay those of a recount, while the stages' queues fill, are squeezed, grow and shrink.
     */
    @Test
    void aLargeTableCountsListsAndPurgesExactlyWhateverOrderLoginsArriveIn() {
        java.util.Random random = new java.util.Random(12);
        SessionTable table = new SessionTable();
        java.util.Map<StateHash, OAuthSession> model = new java.util.HashMap<>();
        List<StateHash> held = new ArrayList<>();
        Instant now = T0;
        for (int round = 0; round < 30; round++) {
            for (int i = 0; i < 400; i++) {
                now = now.plusMillis(random.nextInt(4) == 0 ? 0 : 1 + random.nextInt(2_000));
                // A clock stepped back now and then; often a little out of order (results picked up late).
                int order = random.nextInt(40);
                Instant began = order == 0 ? now.minusSeconds(random.nextInt(300))
                        : order < 8 ? now.minusMillis(random.nextInt(5_000)) : now;
                Duration ttl = random.nextInt(25) == 0 ? Duration.ofSeconds(30 + random.nextInt(600)) : TTL;
                OAuthSession session = new OAuthSession.Pending(PendingAuthorization.start(State.generate(RANDOM),
                        CodeVerifier.generate(RANDOM), frontend(), began, ttl, CLIENT));
                assertThat(table.insert(session)).isTrue();
                model.put(session.key(), session);
                held.add(session.key());
                // Most logins end soon after they began; a few are left to expire.
                if (random.nextInt(10) < 8) {
                    StateHash gone = held.remove(random.nextInt(held.size()));
                    table.put(gone, null);
                    model.remove(gone);
                }
            }
            for (Instant at : List.of(now, now.minusSeconds(400), now.plusSeconds(300), now.minusSeconds(30), now)) {
                assertThat(table.counts(at)).as("counts at %s", at).isEqualTo(Inventory.counts(model.values(), at));
            }
            assertThat(table.oldest(now, 50)).isEqualTo(Inventory.oldest(model.values(), now, 50));
            if (round % 3 == 2) {
                Instant purgeAt = now.minusSeconds(60);
                List<StateHash> expired = table.expiredAt(purgeAt).stream().map(SessionTable.Key::hash).toList();
                assertThat(expired).as("soonest expired first, then by key").isEqualTo(model.values().stream()
                        .filter(session -> session.isExpiredAt(purgeAt))
                        .sorted(Comparator.comparing(OAuthSession::expiresAt)
                                .thenComparing(session -> session.key().hex()))
                        .map(OAuthSession::key).toList());
                for (StateHash key : expired) {
                    assertThat(table.removeIfExpired(SessionTable.Key.of(key), purgeAt)).isTrue();
                    model.remove(key);
                    held.remove(key);
                }
            }
        }
        assertThat(table.size()).isEqualTo(model.size());
        assertThat(table.oldest(now.minusSeconds(3_600), Integer.MAX_VALUE))
                .isEqualTo(Inventory.oldest(model.values(), now.minusSeconds(3_600), Integer.MAX_VALUE));
    }

    @Test
    void keysOrderAsTheirHexDigits() {
        List<StateHash> hashes = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            hashes.add(State.generate(RANDOM).hash());
        }
        hashes.add(new StateHash("f".repeat(64)));
        hashes.add(new StateHash("0".repeat(64)));
        hashes.add(new StateHash("8" + "0".repeat(63)));
        hashes.add(new StateHash("7" + "f".repeat(63)));
        List<StateHash> byHex = hashes.stream().sorted(Comparator.comparing(StateHash::hex)).toList();
        List<StateHash> byKey = hashes.stream().map(SessionTable.Key::of).sorted().map(SessionTable.Key::hash).toList();
        assertThat(byKey).isEqualTo(byHex);
    }

    /** Ours (43 characters, 32 bytes), one whose last character carries padding bits, and others that do not fit. */
    private static List<String> verifiers() {
        String ours = CodeVerifier.generate(RANDOM).value();
        String nonCanonical = ours.substring(0, 42) + "B"; // decodes, but encodes back with a different last character
        if (java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(
                java.util.Base64.getUrlDecoder().decode(nonCanonical)).equals(nonCanonical)) {
            nonCanonical = ours.substring(0, 42) + "C";
        }
        return List.of(ours, nonCanonical, ours + "x", "~" + ours.substring(1), "a".repeat(128));
    }

    private static OAuthSession pending(ClientKey client) {
        return new OAuthSession.Pending(PendingAuthorization.start(State.generate(RANDOM), CodeVerifier.generate(RANDOM),
                frontend(), T0, TTL, client));
    }

    private static ReturnTo frontend() {
        return new ReturnTo(URI.create("http://localhost:3000/auth/soundcloud/callback"));
    }
}
