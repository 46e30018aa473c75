package dev.starlib.auth.store.redis;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * One real {@code redis-server} for a test class, in a temporary directory of its own, started before the first
 * test and stopped (and its directory removed) after the last:
 * {@code @RegisterExtension static final RedisPerClass REDIS = new RedisPerClass();}.
 */
final class RedisPerClass implements BeforeAllCallback, AfterAllCallback {

    private Path directory;
    private RedisServer server;

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        directory = Files.createTempDirectory("redis-" + context.getRequiredTestClass().getSimpleName() + "-");
        server = RedisServer.start(directory);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        try {
            if (server != null) {
                server.close();
            }
        } finally {
            delete(directory);
        }
    }

    RedisServer server() {
        if (server == null) {
            throw new IllegalStateException("the test class's Redis is not started yet");
        }
        return server;
    }

    private static void delete(Path directory) {
        if (directory == null || !Files.exists(directory)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
