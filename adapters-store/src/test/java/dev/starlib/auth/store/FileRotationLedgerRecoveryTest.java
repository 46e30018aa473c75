package dev.starlib.auth.store;

import dev.starlib.auth.application.port.RotationLedger.Claim;
import dev.starlib.auth.application.port.RotationLedger.Lease;
import dev.starlib.auth.application.port.RotationLedger.Publication;
import dev.starlib.auth.domain.AccessToken;
import dev.starlib.auth.domain.PendingAuthorization;
import dev.starlib.auth.domain.RefreshToken;
import dev.starlib.auth.domain.Rotation;
import dev.starlib.auth.domain.RotationSeal;
import dev.starlib.auth.domain.SealedRotation;
import dev.starlib.auth.domain.TokenHash;
import dev.starlib.auth.domain.Tokens;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Set;

import static dev.starlib.auth.store.LoginSteps.consume;
import static dev.starlib.auth.store.LoginSteps.consumed;
import static dev.starlib.auth.store.LoginSteps.create;
import static dev.starlib.auth.store.LoginSteps.CREATED;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The remembered rotations in the file store's log: beside the sessions, sealed like them, read back like them
 * after a crash, withheld like them when their history is damaged, and kept by a rewrite.
 */
class FileRotationLedgerRecoveryTest {

    private static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");
    private static final Duration WINDOW = Duration.ofSeconds(60);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final RefreshToken OLD = new RefreshToken("OLD-REFRESH-TOKEN-e51f0c2a9b7d4c3e8f1a6b5d2c9e0f7a");
    private static final Tokens NEW = new Tokens(new AccessToken("NEW-ACCESS-TOKEN-7c1e"),
            new RefreshToken("NEW-REFRESH-TOKEN-2b9d"), Duration.ofSeconds(3599));

    @TempDir
    Path root;
    private StoreFixtures.Directory directory;

    @BeforeEach
    void createDirectory() {
        directory = new StoreFixtures.Directory(root.resolve("sessions"));
    }

    @AfterEach
    void closeStores() {
        directory.close();
    }

    @Test
    void neitherTheTokensNorTheSealedAnswerStandInTheLog() throws IOException {
        FileSessionStore store = directory.start();
        SealedRotation sealed = RotationSeal.seal(OLD, new Rotation.Rotated(NEW, T0), RANDOM);

        remember(store, OLD.hash(), sealed);

        String log = new String(directory.logBytes(), StandardCharsets.ISO_8859_1);
        assertThat(log).doesNotContain(NEW.accessToken().value(), NEW.refreshToken().value(), OLD.value(), "TOKEN");
        // The use case's seal is sealed again under the store key: not even its bytes are in the file.
        assertThat(HexFormat.of().formatHex(directory.logBytes()))
                .doesNotContain(HexFormat.of().formatHex(sealed.bytes()).substring(0, 64));
        FileSessionStore after = directory.start();
        Claim claim = after.claim(OLD.hash(), T0.plusSeconds(1), T0.plusSeconds(40));
        assertThat(claim).isEqualTo(new Claim.Remembered(sealed));
        assertThat(RotationSeal.open(OLD, ((Claim.Remembered) claim).answer())).contains(new Rotation.Rotated(NEW, T0));
    }

    @Test
    void aRotationWhoseLaterRecordIsDamagedIsWithheld() throws IOException {
        FileSessionStore before = directory.start();
        TokenHash token = RotationLedgerContract.token();
        remember(before, token, RotationLedgerContract.answer());
        long start = directory.logSize();
        before.forget(token); // the record that says "signed out"
        directory.flipByteAt(start + LogFormat.HEADER_BYTES + 10);

        FileSessionStore after = directory.start();

        // The lost record may have been that sign-out: the answer is not handed out again.
        assertThat(after.claim(token, T0.plusSeconds(1), T0.plusSeconds(40))).isInstanceOf(Claim.Granted.class);
        assertThat(directory.events.storeErrors("replay")).isEqualTo(1);
    }

    @Test
    void damageElsewhereLeavesARotationWrittenAfterItAlone() throws IOException {
        FileSessionStore before = directory.start();
        long start = directory.logSize();
        PendingAuthorization pending = Logins.pending(T0);
        assertThat(create(before, pending)).isEqualTo(CREATED);
        TokenHash token = RotationLedgerContract.token();
        SealedRotation answer = RotationLedgerContract.answer();
        remember(before, token, answer);
        directory.flipByteAt(start + 2); // the login's header: its key is lost

        FileSessionStore after = directory.start();

        assertThat(after.claim(token, T0.plusSeconds(1), T0.plusSeconds(40))).isEqualTo(new Claim.Remembered(answer));
    }

    @Test
    void aRewriteKeepsTheRememberedRotationsBesideTheSessions() throws IOException {
        FileSessionStore before = directory.start();
        PendingAuthorization pending = Logins.pending(T0);
        assertThat(create(before, pending)).isEqualTo(CREATED);
        TokenHash token = RotationLedgerContract.token();
        SealedRotation answer = RotationLedgerContract.answer();
        remember(before, token, answer);

        before.compact();
        FileSessionStore after = directory.start();

        assertThat(after.claim(token, T0.plusSeconds(1), T0.plusSeconds(40))).isEqualTo(new Claim.Remembered(answer));
        assertThat(consume(after, pending.key(), T0.plusSeconds(1))).isEqualTo(consumed(pending));
    }

    private static void remember(FileSessionStore store, TokenHash token, SealedRotation answer) {
        Claim claim = store.claim(token, T0, T0.plusSeconds(40));
        assertThat(claim).isInstanceOf(Claim.Granted.class);
        Lease lease = ((Claim.Granted) claim).lease();
        assertThat(store.publish(lease, answer, Set.of(), T0, T0.plus(WINDOW))).isEqualTo(Publication.REMEMBERED);
    }
}
