package dev.starlib.auth.store;

import dev.starlib.auth.application.port.AuthEvents;
import dev.starlib.auth.domain.ClientKey;
import dev.starlib.auth.domain.FinishedLogin;
import dev.starlib.auth.domain.OAuthSession;
import dev.starlib.auth.domain.OAuthSession.Consumption;
import dev.starlib.auth.domain.OAuthSession.PickUp;
import dev.starlib.auth.domain.PendingAuthorization;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Optional;

import static dev.starlib.auth.store.Logins.T0;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Sessions keep their client now; logs written before they did must still open (decision 0002: the log is the
 * sessions). The earlier layout is written here by hand, byte by byte, as the earlier version wrote it.
 */
class SessionCodecTest {

    private static final ClientKey CLIENT = Logins.client("203.0.113.7");

    @TempDir
    Path directory;

    @Test
    void everyStageRoundTripsWithItsClient() {
        PendingAuthorization pending = Logins.pending(T0, CLIENT);
        FinishedLogin finished = Logins.succeeded(pending, T0.plusSeconds(5), StoreFixtures.RESULT_TTL);
        for (OAuthSession session : new OAuthSession[]{
                new OAuthSession.Pending(pending),
                new OAuthSession.Exchanging(pending.key(), pending.stateHint(), Logins.FRONTEND_ORIGIN, T0,
                        T0.plusSeconds(120), CLIENT),
                new OAuthSession.Finished(finished, Logins.FRONTEND_ORIGIN, CLIENT),
                new OAuthSession.PickedUp(pending.key(), pending.stateHint(), Logins.FRONTEND_ORIGIN, T0,
                        T0.plusSeconds(120))}) {
            assertThat(SessionCodec.decode(pending.key(), SessionCodec.encode(session))).isEqualTo(session);
        }
    }

    @Test
    void storedClientIsAKeyedHashNeverTheAddress() {
        byte[] encoded = SessionCodec.encode(new OAuthSession.Pending(Logins.pending(T0, CLIENT)));

        assertThat(new String(encoded, StandardCharsets.ISO_8859_1)).doesNotContain("203.0.113.7").contains(CLIENT.hex());
    }

    @Test
    void sessionsWrittenBeforeClientsWereKeptReadBackWithAnUnknownClient() throws IOException {
        PendingAuthorization pending = Logins.pending(T0);
        FinishedLogin finished = Logins.succeeded(Logins.pending(T0), T0.plusSeconds(5), StoreFixtures.RESULT_TTL);

        assertThat(SessionCodec.decode(pending.key(), legacyPending(pending)))
                .isEqualTo(new OAuthSession.Pending(pending))
                .extracting(OAuthSession::client).isEqualTo(ClientKey.UNKNOWN);
        assertThat(SessionCodec.decode(finished.key(), legacyExchanging(finished)))
                .isEqualTo(new OAuthSession.Exchanging(finished.key(), finished.stateHint(), Logins.FRONTEND_ORIGIN, T0,
                        T0.plusSeconds(120)));
    }

    @Test
    void logWrittenByTheEarlierVersionOpensAndServesItsLogins() throws IOException {
        StoreKey key = StoreFixtures.newKey();
        Sealer sealer = new Sealer(key, new SecureRandom());
        PendingAuthorization waiting = Logins.pending(Instant.now());
        Files.createDirectories(directory);
        try (OutputStream log = Files.newOutputStream(directory.resolve(FileSessionStore.LOG_FILE),
                StandardOpenOption.CREATE_NEW)) {
            log.write(LogFormat.encode(LogFormat.Kind.PUT, waiting.key(), legacyPending(waiting), sealer));
        }

        try (FileSessionStore store = FileSessionStore.open(directory, Optional.of(key), 10, AuthEvents.NONE,
                StoreFixtures.CRASH_TESTS)) {
            assertThat(store.update(waiting.key(), OAuthSession.pickUp(Instant.now()))).isEqualTo(new PickUp.NotReady());
            assertThat(store.update(waiting.key(), OAuthSession.consume(Instant.now(), StoreFixtures.RESULT_TTL)))
                    .isEqualTo(new Consumption.Consumed(waiting));
            // An old login counts toward no client's quota: a quota of one still admits a new client.
            assertThat(store.create(new OAuthSession.Pending(Logins.pending(Instant.now(), CLIENT)), 1))
                    .isInstanceOf(dev.starlib.auth.application.port.SessionStore.Creation.Created.class);
        }
    }

    // --- the layout before clients were kept: tag, then the fields, no client ---------------------------

    private static byte[] legacyPending(PendingAuthorization pending) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeByte(1);
        string(out, pending.stateHint());
        string(out, pending.verifier().value());
        string(out, pending.returnTo().uri().toString());
        instant(out, pending.createdAt());
        instant(out, pending.expiresAt());
        return bytes.toByteArray();
    }

    private static byte[] legacyExchanging(FinishedLogin login) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeByte(2);
        string(out, login.stateHint());
        string(out, Logins.FRONTEND_ORIGIN);
        instant(out, T0);
        instant(out, T0.plusSeconds(120));
        return bytes.toByteArray();
    }

    private static void string(DataOutputStream out, String value) throws IOException {
        byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
        out.writeInt(utf8.length);
        out.write(utf8);
    }

    private static void instant(DataOutputStream out, Instant instant) throws IOException {
        out.writeLong(instant.getEpochSecond());
        out.writeInt(instant.getNano());
    }
}
