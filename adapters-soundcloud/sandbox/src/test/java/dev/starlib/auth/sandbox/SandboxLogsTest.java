package dev.starlib.auth.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpRoute;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static dev.starlib.auth.sandbox.SandboxBrowser.authorizeQuery;
import static dev.starlib.auth.sandbox.SandboxBrowser.json;
import static dev.starlib.auth.sandbox.SandboxBrowser.redirectParameters;
import static org.assertj.core.api.Assertions.assertThat;

/** Codes, tokens, states, verifiers and the client secret never reach a sandbox log line, at any level. */
@ServerTest
class SandboxLogsTest {

    private static final Logger SANDBOX_LOGGER = Logger.getLogger(SandboxSoundCloud.class.getPackageName());

    private final SandboxBrowser browser;
    private final List<LogRecord> records = new CopyOnWriteArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            records.add(record);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };
    private Level previousLevel;

    SandboxLogsTest(URI server) {
        this.browser = new SandboxBrowser(server, SandboxSoundCloud.MOUNT_PATH);
    }

    @SetUpRoute
    static void routing(HttpRouting.Builder routing) {
        routing.register(SandboxSoundCloud.MOUNT_PATH, new SandboxSoundCloud(SandboxBrowser.settings(false), Clock.systemUTC()));
    }

    @BeforeEach
    void captureEverything() {
        previousLevel = SANDBOX_LOGGER.getLevel();
        SANDBOX_LOGGER.setLevel(Level.ALL);
        capture.setLevel(Level.ALL);
        SANDBOX_LOGGER.addHandler(capture);
    }

    @AfterEach
    void stopCapturing() {
        SANDBOX_LOGGER.removeHandler(capture);
        SANDBOX_LOGGER.setLevel(previousLevel);
        browser.post("/control/reset", "application/json", "");
    }

    @Test
    void aWholeLoginWithRefreshAndFaultsLogsNoSecret() {
        PkcePair pkce = PkcePair.generate();
        String state = "state-that-must-not-be-logged";
        Map<String, String> back = redirectParameters(browser.consent(pkce, state, "approve", SandboxUsers.ADA.id()));
        JsonNode tokens = json(browser.exchange(back.get("code"), pkce.verifier()));
        browser.me("OAuth " + tokens.path("access_token").asText());
        browser.putJson("/control", "{\"refresh_failure\":\"invalid_grant\",\"deny_consent\":true}");
        browser.refresh(tokens.path("refresh_token").asText());
        browser.exchange(back.get("code"), pkce.verifier());
        browser.authorize(authorizeQuery(pkce, state));

        assertThat(records).as("the switch change is logged").isNotEmpty();
        List<String> secrets = List.of(back.get("code"), state, pkce.verifier(), pkce.challenge(),
                tokens.path("access_token").asText(), tokens.path("refresh_token").asText(), SandboxBrowser.CLIENT_SECRET);
        for (LogRecord record : records) {
            String line = record.getMessage() + " " + Arrays.toString(record.getParameters());
            assertThat(line).doesNotContain(secrets);
        }
    }
}
