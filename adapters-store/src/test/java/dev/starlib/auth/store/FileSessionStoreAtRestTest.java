package dev.starlib.auth.store;

import dev.starlib.auth.application.port.AuthEvents;
import dev.starlib.auth.application.port.SessionStoreException;
import dev.starlib.auth.domain.AccessToken;
import dev.starlib.auth.domain.FinishedLogin;
import dev.starlib.auth.domain.LoginOutcome;
import dev.starlib.auth.domain.PendingAuthorization;
import dev.starlib.auth.domain.RefreshToken;
import dev.starlib.auth.domain.SoundCloudUser;
import dev.starlib.auth.domain.Tokens;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import static dev.starlib.auth.store.LoginSteps.consume;
import static dev.starlib.auth.store.LoginSteps.consumed;
import static dev.starlib.auth.store.LoginSteps.create;
import static dev.starlib.auth.store.LoginSteps.saveResult;
import static dev.starlib.auth.store.LoginSteps.pickUp;
import static dev.starlib.auth.store.LoginSteps.summaries;
import static dev.starlib.auth.store.Logins.T0;
import static dev.starlib.auth.store.StoreFixtures.RESULT_TTL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What someone with a copy of the store directory, or another account on the machine, can get from it. */
class FileSessionStoreAtRestTest {

    @TempDir
    Path root;
    private final List<FileSessionStore> opened = new ArrayList<>();

    @AfterEach
    void closeStores() {
        opened.forEach(FileSessionStore::close);
    }

    @Test
    void noStateVerifierTokenUserOrReturnToCanBeFoundInTheStoreFiles() throws IOException {
        Path directory = root.resolve("sessions");
        FileSessionStore store = open(directory, Optional.of(StoreFixtures.newKey()), FileSessionStore.Options.DEFAULTS);
        Logins.Started waiting = Logins.start(T0);
        create(store, waiting.pending());
        Logins.Started done = Logins.start(T0);
        create(store, done.pending());
        consume(store, done.pending().key(), T0);
        saveResult(store, finishedWithSentinels(done.pending()));
        Logins.Started pickedUp = Logins.start(T0);
        create(store, pickedUp.pending());
        consume(store, pickedUp.pending().key(), T0);
        saveResult(store, finishedWithSentinels(pickedUp.pending()));
        pickUp(store, pickedUp.pending().key(), T0);

        List<String> secrets = new ArrayList<>(List.of(SENTINEL_ACCESS, SENTINEL_REFRESH, SENTINEL_USERNAME,
                SENTINEL_PERMALINK, SENTINEL_AVATAR, "/auth/soundcloud/callback", "localhost:3000"));
        for (Logins.Started login : List.of(waiting, done, pickedUp)) {
            secrets.addAll(List.of(login.state().value(), login.state().hint(), login.pending().verifier().value()));
        }

        assertThat(filesIn(directory)).isNotEmpty().allSatisfy(file -> assertNoneIn(file, secrets));
        store.compact();
        assertThat(filesIn(directory)).allSatisfy(file -> assertNoneIn(file, secrets));
    }

    @Test
    void keyFileIsCreatedOwnerOnlyOnFirstStartAndUsedOnTheNext() throws IOException {
        Path directory = root.resolve("sessions");
        FileSessionStore first = open(directory, Optional.empty(), StoreFixtures.CRASH_TESTS);
        PendingAuthorization pending = Logins.pending(T0);
        create(first, pending);
        Path keyFile = directory.resolve(KeyFile.NAME);
        byte[] written = Files.readAllBytes(keyFile);

        FileSessionStore second = open(directory, Optional.empty(), StoreFixtures.CRASH_TESTS);

        assertThat(permissions(keyFile)).isEqualTo("rw-------");
        assertThat(Base64.getDecoder().decode(new String(written, StandardCharsets.US_ASCII).strip())).hasSize(32);
        assertThat(Files.readAllBytes(keyFile)).isEqualTo(written);
        assertThat(consume(second, pending.key(), T0.plusSeconds(1))).isEqualTo(consumed(pending));
    }

    @Test
    void configuredKeyLeavesNoKeyFileBehind() {
        Path directory = root.resolve("sessions");
        open(directory, Optional.of(StoreFixtures.newKey()), FileSessionStore.Options.DEFAULTS);

        assertThat(directory.resolve(KeyFile.NAME)).doesNotExist();
    }

    @Test
    void keyFileThatIsNotAKeyStopsTheStartWithoutShowingWhatItHolds() throws IOException {
        Path directory = root.resolve("sessions");
        Files.createDirectories(directory);
        Files.writeString(directory.resolve(KeyFile.NAME), "c2VjcmV0LWJ1dC1zaG9ydA==\n");

        assertThatThrownBy(() -> open(directory, Optional.empty(), FileSessionStore.Options.DEFAULTS))
                .isInstanceOf(SessionStoreException.class)
                .hasMessageContaining(KeyFile.NAME)
                .hasMessageContaining("not 32")
                .hasMessageNotContaining("c2VjcmV0LWJ1dC1zaG9ydA");
    }

    @Test
    void directoryIsOwnerOnlyAndSoIsEveryFileInIt() throws IOException {
        Path directory = root.resolve("new").resolve("sessions");
        FileSessionStore store = open(directory, Optional.empty(), FileSessionStore.Options.DEFAULTS);
        create(store, Logins.pending(T0));
        store.compact();

        assertThat(permissions(directory)).isEqualTo("rwx------");
        assertThat(filesIn(directory)).extracting(Path::getFileName).extracting(Path::toString)
                .containsExactlyInAnyOrder(FileSessionStore.LOG_FILE, KeyFile.NAME, DirectoryLock.NAME);
        assertThat(filesIn(directory)).allSatisfy(file -> assertThat(permissions(file)).isEqualTo("rw-------"));
    }

    @Test
    void existingDirectoryAndFilesOpenToOthersAreClosed() throws IOException {
        Path directory = root.resolve("sessions");
        open(directory, Optional.empty(), StoreFixtures.CRASH_TESTS);
        Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwxr-xr-x"));
        for (Path file : filesIn(directory)) {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        }

        open(directory, Optional.empty(), StoreFixtures.CRASH_TESTS);

        assertThat(permissions(directory)).isEqualTo("rwx------");
        assertThat(permissions(directory.resolve(KeyFile.NAME))).isEqualTo("rw-------");
        assertThat(permissions(directory.resolve(FileSessionStore.LOG_FILE))).isEqualTo("rw-------");
    }

    @Test
    void secondStoreOnTheSameDirectoryIsRefusedUntilTheFirstLetsGo() {
        Path directory = root.resolve("sessions");
        FileSessionStore first = open(directory, Optional.empty(), FileSessionStore.Options.DEFAULTS);

        assertThatThrownBy(() -> open(directory, Optional.empty(), FileSessionStore.Options.DEFAULTS))
                .isInstanceOf(SessionStoreException.class)
                .hasMessageContaining("another process");

        first.close();
        assertThat(summaries(open(directory, Optional.empty(), FileSessionStore.Options.DEFAULTS), T0)).isEmpty();
    }

    @Test
    void storePathThatIsAFileIsRefused() throws IOException {
        Path file = Files.createFile(root.resolve("sessions"));

        assertThatThrownBy(() -> open(file, Optional.empty(), FileSessionStore.Options.DEFAULTS))
                .isInstanceOf(SessionStoreException.class)
                .hasMessageContaining("not a directory");
    }

    // --- helpers --------------------------------------------------------------------------------------

    private static final String SENTINEL_ACCESS = "SENTINEL-ACCESS-TOKEN-c0ffee";
    private static final String SENTINEL_REFRESH = "SENTINEL-REFRESH-TOKEN-decaf";
    private static final String SENTINEL_USERNAME = "Sentinel Ünïcode Username";
    private static final String SENTINEL_PERMALINK = "sentinel-permalink";
    private static final String SENTINEL_AVATAR = "https://i1.sndcdn.com/sentinel-avatar.jpg";

    private static FinishedLogin finishedWithSentinels(PendingAuthorization pending) {
        Tokens tokens = new Tokens(new AccessToken(SENTINEL_ACCESS), new RefreshToken(SENTINEL_REFRESH),
                Duration.ofHours(1));
        SoundCloudUser user = new SoundCloudUser(77, SENTINEL_USERNAME, SENTINEL_PERMALINK, SENTINEL_AVATAR);
        return new FinishedLogin(pending.key(), pending.stateHint(), new LoginOutcome.Succeeded(tokens, user),
                T0, T0.plus(RESULT_TTL));
    }

    private FileSessionStore open(Path directory, Optional<StoreKey> key, FileSessionStore.Options options) {
        FileSessionStore store = FileSessionStore.open(directory, key, 100, AuthEvents.NONE, options);
        opened.add(store);
        return store;
    }

    private static void assertNoneIn(Path file, List<String> secrets) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        for (String secret : secrets) {
            assertThat(FileSessionStoreRecoveryTest.contains(bytes, secret.getBytes(StandardCharsets.UTF_8)))
                    .as("%s holds a secret in clear", file.getFileName())
                    .isFalse();
        }
    }

    private static List<Path> filesIn(Path directory) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.toList();
        }
    }

    private static String permissions(Path path) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
    }
}
