package dev.starlib.auth.bootstrap;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static org.assertj.core.api.Assertions.assertThat;

/** The start-up warning about missing SoundCloud credentials names exactly the ones that are missing. */
class MissingCredentialsTest {

    @TempDir
    Path workDir;
    private final List<String> warnings = new CopyOnWriteArrayList<>();
    private final Logger logger = Logger.getLogger(StarlibAuth.class.getName());
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            if (record.getLevel().intValue() >= Level.WARNING.intValue()) {
                warnings.add(record.getMessage());
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeEach
    void listen() {
        logger.addHandler(capture);
    }

    @AfterEach
    void stopListening() {
        logger.removeHandler(capture);
    }

    @ParameterizedTest
    @CsvSource({
            "some-client-id, '', CLIENT_SECRET is not set, CLIENT_ID",
            "'', some-secret, CLIENT_ID is not set, CLIENT_SECRET",
            "'', '', CLIENT_ID and CLIENT_SECRET are not set, ''"})
    void theWarningNamesWhatIsMissing(String clientId, String clientSecret, String says, String notNamed) {
        try (RunningService service = RunningService.start(workDir,
                Map.of("CLIENT_ID", clientId, "CLIENT_SECRET", clientSecret))) {
            List<String> told = warnings.stream().filter(line -> line.contains("not set")).toList();

            assertThat(told).singleElement().satisfies(line -> {
                assertThat(line).startsWith(says);
                if (!notNamed.isEmpty()) {
                    assertThat(line).doesNotContain(notNamed);
                }
            });
            assertThat(service.fetch(service.publicBase() + "/auth/soundcloud/authorize").statusCode()).isEqualTo(503);
        }
    }
}
