package dev.starlib.auth.store;

import dev.starlib.auth.application.port.AuthEvents;
import dev.starlib.auth.application.port.SessionStoreException;
import dev.starlib.auth.domain.AppTokenState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import static dev.starlib.auth.store.LoginSteps.consume;
import static dev.starlib.auth.store.LoginSteps.consumed;
import static dev.starlib.auth.store.LoginSteps.create;
import static dev.starlib.auth.store.Logins.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The app token vault contract against the file store, where every {@code reopen} is a crash (the store before is
 * left open, never closed), and what only a file can show: sealing at rest, torn and damaged records, rewrites.
 */
class FileAppTokenVaultTest extends AppTokenVaultContract<FileSessionStore> {

    private static final int HEADER = LogFormat.HEADER_BYTES;

    private final StoreKey key = StoreFixtures.newKey();
    private final Map<FileSessionStore, Path> directories = new IdentityHashMap<>();
    private final List<FileSessionStore> opened = new ArrayList<>();
    @TempDir
    Path root;
    private StoreFixtures.Directory directory;

    @BeforeEach
    void createDirectory() {
        directory = new StoreFixtures.Directory(root.resolve("crashes"));
    }

    @AfterEach
    void letGoOfTheFiles() {
        opened.forEach(FileSessionStore::close);
        directory.close();
    }

    @Override
    protected FileSessionStore newStore(int capacity) {
        return open(root.resolve("store-" + directories.size()), capacity);
    }

    @Override
    protected FileSessionStore reopen(FileSessionStore current) {
        return open(directories.get(current), 100);
    }

    @Override
    protected int purgeExpired(FileSessionStore store, Instant now) {
        return store.purgeExpired(now);
    }

    private FileSessionStore open(Path path, int capacity) {
        FileSessionStore store = FileSessionStore.open(path, Optional.of(key), capacity, AuthEvents.NONE,
                StoreFixtures.CRASH_TESTS);
        directories.put(store, path);
        opened.add(store);
        return store;
    }

    @Test
    void theTokenItsRefreshTokenAndTheCredentialsAreNeverInClearInTheFiles() throws IOException {
        FileSessionStore store = directory.start();
        AppTokenState state = AppTokens.granted(T0);
        store.renew(current -> state);
        List<String> secrets = List.of(AppTokens.accessOf(state), AppTokens.refreshOf(state).orElseThrow(),
                state.credentials().hex(), "APP-ACCESS", "APP-REFRESH");

        assertNoneInTheFiles(secrets);
        store.compact();
        assertNoneInTheFiles(secrets);
        assertThat(directory.start().read()).contains(state);
    }

    @Test
    void aRenewalThatChangesNothingWritesNothing() throws IOException {
        FileSessionStore store = directory.start();
        store.renew(current -> AppTokens.granted(T0));
        long size = directory.logSize();

        store.renew(current -> current.orElseThrow());

        assertThat(directory.logSize()).isEqualTo(size);
    }

    @Test
    void aRenewalTornByACrashLeavesTheTokenBeforeIt() throws IOException {
        FileSessionStore before = directory.start();
        AppTokenState first = AppTokens.granted(T0);
        before.renew(current -> first);
        long end = directory.logSize();
        before.renew(current -> AppTokens.granted(T0.plusSeconds(3300)));
        directory.cutLogAt(end + HEADER + 3);

        FileSessionStore after = directory.start();

        assertThat(after.read()).contains(first);
        assertThat(directory.events.storeErrors("replay")).isEqualTo(1);
    }

    @Test
    void aDamagedRenewalWithholdsTheTokenButNoLogin() throws IOException {
        FileSessionStore before = directory.start();
        Logins.Started login = Logins.start(T0);
        create(before, login.pending());
        before.renew(current -> AppTokens.granted(T0));
        long start = directory.logSize();
        before.renew(current -> AppTokens.granted(T0.plusSeconds(3300)));
        directory.flipByteAt(start + HEADER + 20);

        FileSessionStore after = directory.start();

        // The unreadable record may have rotated the refresh token: the older one is not served, a grant replaces it.
        assertThat(after.read()).isEmpty();
        assertThat(consume(after, login.pending().key(), T0.plusSeconds(1))).isEqualTo(consumed(login.pending()));
        assertThat(directory.events.storeErrors("replay")).isEqualTo(1);
        assertThat(directory.start().read()).as("the rewrite at open left nothing to skip").isEmpty();
        assertThat(directory.events.storeErrors("replay")).isEqualTo(1);
    }

    @Test
    void aDamagedRenewalThatALaterOneReplacedCostsNothing() throws IOException {
        FileSessionStore before = directory.start();
        long start = directory.logSize();
        before.renew(current -> AppTokens.granted(T0));
        AppTokenState last = AppTokens.granted(T0.plusSeconds(3300));
        before.renew(current -> last);
        directory.flipByteAt(start + HEADER + 20);

        assertThat(directory.start().read()).contains(last);
    }

    @Test
    void theTokenSurvivesEveryRewriteOfTheLog() throws IOException {
        FileSessionStore store = directory.start();
        AppTokenState kept = AppTokens.granted(T0);
        store.renew(current -> kept);
        for (int i = 0; i < 5; i++) {
            create(store, Logins.pending(T0));
        }

        store.purgeExpired(T0.plusSeconds(3600));
        store.compact();

        assertThat(directory.start().read()).contains(kept);
    }

    @Test
    void aLogFromBeforeTheAppTokenOpensWithoutOne() {
        FileSessionStore before = directory.start();
        Logins.Started login = Logins.start(T0);
        create(before, login.pending());

        FileSessionStore after = directory.start();

        assertThat(after.read()).isEmpty();
        assertThat(consume(after, login.pending().key(), T0.plusSeconds(1))).isEqualTo(consumed(login.pending()));
        assertThat(directory.events.storeErrors).isEmpty();
    }

    @Test
    void aClosedStoreNeitherReadsNorRenews() {
        FileSessionStore store = directory.start();
        store.close();

        assertThatThrownBy(store::read)
                .isInstanceOf(SessionStoreException.class);
        assertThatThrownBy(() -> store.renew(current -> {
            throw new AssertionError("a renewal ran on a stopped store: SoundCloud would be asked for nothing");
        })).isInstanceOf(SessionStoreException.class);
    }

    private void assertNoneInTheFiles(List<String> secrets) throws IOException {
        try (Stream<Path> files = Files.walk(directory.path)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                String content = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
                for (String secret : secrets) {
                    assertThat(content).as("%s holds %s in clear", file.getFileName(), secret).doesNotContain(secret);
                }
            }
        }
    }
}
