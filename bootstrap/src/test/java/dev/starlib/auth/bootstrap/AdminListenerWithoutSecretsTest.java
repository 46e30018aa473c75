package dev.starlib.auth.bootstrap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** A service started without CLIENT_ID/CLIENT_SECRET and without ADMIN_PASSWORD. */
class AdminListenerWithoutSecretsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern GENERATED = Pattern.compile("take user '([^']+)' with the password generated into (\\S+) ");

    @TempDir
    Path workDir;
    private final List<String> logLines = new ArrayList<>();
    private final Logger logger = Logger.getLogger(OperatorListener.class.getName());
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            logLines.add(record.getMessage());
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };
    private RunningService service;

    @BeforeEach
    void start() {
        logger.addHandler(capture);
        service = RunningService.start(workDir, Map.of("CLIENT_ID", "", "CLIENT_SECRET", "", "ADMIN_PASSWORD", ""));
    }

    @AfterEach
    void stop() {
        logger.removeHandler(capture);
        service.close();
    }

    @Test
    void healthIsDownWhileTheCredentialsAreMissingAndSaysWhich() throws IOException {
        HttpResponse<String> response = service.fetch(service.adminBase() + "/observe/health/ready");

        assertThat(response.statusCode()).isEqualTo(503);
        JsonNode health = JSON.readTree(response.body());
        assertThat(health.get("status").asText()).isEqualTo("DOWN");
        JsonNode credentials = health.get("checks").get(0);
        assertThat(credentials.get("name").asText()).isEqualTo("credentials");
        assertThat(credentials.get("status").asText()).isEqualTo("DOWN");
        assertThat(credentials.get("data").get("configured").asBoolean()).isFalse();
        assertThat(service.fetch(service.adminBase() + "/observe/health/live").statusCode()).isEqualTo(200);
    }

    @Test
    void generatedAdminPasswordGoesToAPrivateFileTheLogNamesAndOpensTheDashboard() throws IOException {
        List<String> told = logLines.stream().filter(line -> line.contains("ADMIN_PASSWORD is not set")).toList();
        assertThat(told).hasSize(1);
        Matcher matcher = GENERATED.matcher(told.getFirst());
        assertThat(matcher.find()).as("the log line: %s", told.getFirst()).isTrue();
        Path file = Path.of(matcher.group(2));
        assertThat(file).isEqualTo(workDir.resolve("data/admin-password"));
        assertThat(Files.getPosixFilePermissions(file)).containsExactlyInAnyOrder(
                PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
        assertThat(Files.getPosixFilePermissions(file.getParent())).doesNotContain(PosixFilePermission.GROUP_READ,
                PosixFilePermission.OTHERS_READ, PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.OTHERS_EXECUTE);
        String password = Files.readString(file).strip();
        assertThat(password).hasSize(24);
        assertThat(logLines).noneMatch(line -> line.contains(password));

        HttpResponse<String> dashboard = service.fetch(service.adminBase() + "/admin",
                RunningService.basic(matcher.group(1), password));

        assertThat(dashboard.statusCode()).isEqualTo(200);
        assertThat(dashboard.body()).contains("Not ready", "not set");
        assertThat(service.fetch(service.adminBase() + "/admin",
                RunningService.basic(matcher.group(1), RunningService.ADMIN_PASSWORD)).statusCode()).isEqualTo(401);
    }
}
