package dev.starlib.auth.bootstrap;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * The consumer test ({@code contract/consumer/frontend.mjs}) against the packaged jar: the script starts two
 * backends in sandbox mode and plays the shipped frontend through every scenario. Needs Node.js 20+ on the PATH.
 */
class ConsumerContractIT {

    private static final Duration LIMIT = Duration.ofMinutes(8);

    @Test
    void theFrontendsScenariosPassAgainstTheSandbox() throws Exception {
        Path root = Path.of("..").toAbsolutePath().normalize();
        Path script = root.resolve("contract/consumer/frontend.mjs");
        requireNode(root);

        try (ChildProcess node = ChildProcess.start(
                List.of("node", script.toString(), "--jar", ChildProcess.jar().toString(), "--java", ChildProcess.currentJava()),
                root, Map.of(), "[consumer] ")) {
            int exit = node.waitFor(LIMIT);

            assertThat(exit).as("the consumer test's exit code (-1: it ran longer than %s); its output:%n%s", LIMIT,
                    node.output()).isZero();
            assertThat(node.output()).contains("consumer: 8 passed, 0 failed");
        }
    }

    private static void requireNode(Path root) throws InterruptedException {
        try (ChildProcess version = ChildProcess.start(List.of("node", "--version"), root, Map.of(), "[node] ")) {
            int exit = version.waitFor(Duration.ofSeconds(30));
            String text = version.output().strip();
            if (exit != 0 || !text.matches("v(2[0-9]|[3-9][0-9])\\..*")) {
                fail("The consumer test needs Node.js 20 or newer as 'node' on the PATH; found: " + text);
            }
        } catch (java.io.UncheckedIOException e) {
            if (e.getCause() instanceof IOException) {
                fail("The consumer test needs Node.js 20 or newer as 'node' on the PATH (apt-get install nodejs); "
                        + "it is not installed: " + e.getCause().getMessage());
            }
            throw e;
        }
    }
}
