package dev.starlib.auth.bootstrap;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** scripts/use-jdk.sh, which every script sources: it finds a JDK 21+, or says what is true about getting one. */
class JdkFinderTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    private static ChildProcess source(Map<String, String> environment) {
        return ChildProcess.start(List.of("bash", "-c", ". scripts/use-jdk.sh && echo \"found $JAVA_HOME\""), ROOT,
                environment, "[use-jdk] ", List.of("JAVA_HOME"));
    }

    @Test
    void withoutJavaHomeItFindsTheJdkThisTestRunsOn() throws InterruptedException {
        Path home = Path.of(System.getProperty("java.home"));
        try (ChildProcess finder = source(Map.of("STARLIB_JDK_DIRS", home.toString()))) {
            assertThat(finder.waitFor(Duration.ofSeconds(60))).isZero();
            assertThat(finder.output()).isEqualTo("found " + home);
        }
    }

    @Test
    void withoutAnyJdk21ItSaysWhatIsTrueOnDebian12() throws InterruptedException {
        try (ChildProcess finder = source(Map.of("STARLIB_JDK_DIRS", "/nonexistent"))) {
            assertThat(finder.waitFor(Duration.ofSeconds(60))).isEqualTo(1);
            assertThat(finder.output()).startsWith("No JDK 21 or newer found")
                    .contains("Debian 12's own packages stop at openjdk-17-jdk")
                    .doesNotContain("apt-get install openjdk-21-jdk", "found /");
        }
    }
}
