package dev.starlib.auth.bootstrap;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The packaged jar, started as a user would: sandbox mode refuses to listen where other machines reach it. */
class SandboxJarIT {

    @Test
    void sandboxOnANonLoopbackHostRefusesToStartWithExitCode2(@TempDir Path dir) throws Exception {
        try (ChildProcess jar = ChildProcess.start(List.of(ChildProcess.currentJava(), "-jar", ChildProcess.jar().toString()),
                dir, Map.of("SOUNDCLOUD_MODE", "sandbox", "BACKEND_HOST", "0.0.0.0", "BACKEND_PORT", "0", "ADMIN_PORT", "0"), "[jar] ")) {
            int exit = jar.waitFor(Duration.ofMinutes(1));

            assertThat(exit).isEqualTo(2);
            assertThat(jar.output()).contains("cannot start", "BACKEND_HOST=0.0.0.0", "SANDBOX_ALLOW_REMOTE=true");
        }
    }

    @Test
    void sandboxOnANonLoopbackHostStartsWhenAllowed(@TempDir Path dir) throws Exception {
        try (ChildProcess jar = ChildProcess.start(List.of(ChildProcess.currentJava(), "-jar", ChildProcess.jar().toString()),
                dir, Map.of("SOUNDCLOUD_MODE", "sandbox", "BACKEND_HOST", "0.0.0.0", "BACKEND_PORT", "0", "ADMIN_PORT", "0",
                        "SANDBOX_ALLOW_REMOTE", "true"), "[jar] ")) {
            long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
            while (!jar.output().contains("listening on") && System.nanoTime() < deadline) {
                Thread.sleep(200);
            }

            assertThat(jar.output()).contains("SANDBOX MODE", "remote access: ALLOWED", "listening on");
        }
    }
}
