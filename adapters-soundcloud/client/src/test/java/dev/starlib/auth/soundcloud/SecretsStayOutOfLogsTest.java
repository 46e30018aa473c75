package dev.starlib.auth.soundcloud;

import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static dev.starlib.auth.soundcloud.FakeSoundCloud.ACCESS;
import static dev.starlib.auth.soundcloud.FakeSoundCloud.CLIENT_SECRET;
import static dev.starlib.auth.soundcloud.FakeSoundCloud.CODE;
import static dev.starlib.auth.soundcloud.FakeSoundCloud.Call;
import static dev.starlib.auth.soundcloud.FakeSoundCloud.ISSUED_ACCESS;
import static dev.starlib.auth.soundcloud.FakeSoundCloud.ISSUED_REFRESH;
import static dev.starlib.auth.soundcloud.FakeSoundCloud.PRESENTED_REFRESH;
import static dev.starlib.auth.soundcloud.FakeSoundCloud.TOKEN_JSON;
import static dev.starlib.auth.soundcloud.FakeSoundCloud.USER_JSON;
import static dev.starlib.auth.soundcloud.FakeSoundCloud.VERIFIER;
import static org.assertj.core.api.Assertions.assertThat;

/** Every record any logger writes during the calls, at every level, with its exception: none holds a secret. */
class SecretsStayOutOfLogsTest {

    @RegisterExtension
    static WireMockExtension soundCloud = FakeSoundCloud.server();

    private final List<String> logged = new CopyOnWriteArrayList<>();
    private final Logger root = Logger.getLogger("");
    private final Handler capture = new Handler() {
        private final SimpleFormatter formatter = new SimpleFormatter();

        @Override
        public void publish(LogRecord record) {
            StringBuilder text = new StringBuilder(record.getLoggerName() + " " + formatter.format(record));
            if (record.getParameters() != null) {
                for (Object parameter : record.getParameters()) {
                    text.append(' ').append(parameter);
                }
            }
            if (record.getThrown() != null) {
                StringWriter trace = new StringWriter();
                record.getThrown().printStackTrace(new PrintWriter(trace));
                text.append(trace);
            }
            logged.add(text.toString());
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };
    private Level rootLevel;

    @BeforeEach
    void captureEverything() {
        rootLevel = root.getLevel();
        root.setLevel(Level.ALL);
        capture.setLevel(Level.ALL);
        root.addHandler(capture);
    }

    @AfterEach
    void stopCapturing() {
        root.removeHandler(capture);
        root.setLevel(rootLevel);
    }

    @Test
    void noLogRecordCarriesASecretTokenCodeOrBody() {
        SoundCloudClient client = new SoundCloudClient(FakeSoundCloud.settings(soundCloud, Duration.ofSeconds(10)),
                new RecordingEvents());
        SoundCloudClient impatient = new SoundCloudClient(FakeSoundCloud.settings(soundCloud, Duration.ofMillis(200)),
                new RecordingEvents());

        soundCloud.stubFor(Call.CODE_EXCHANGE.stub().willReturn(okJson(TOKEN_JSON)));
        soundCloud.stubFor(Call.ME.stub().willReturn(okJson(USER_JSON)));
        client.exchangeCode(CODE, VERIFIER);
        client.refresh(PRESENTED_REFRESH);
        client.me(ACCESS);
        client.grantAppToken();
        client.refreshAppToken(PRESENTED_REFRESH);
        // SoundCloud echoing what it got, in an error, in garbage, in a failure: still nothing reaches a log.
        soundCloud.stubFor(Call.CODE_EXCHANGE.stub().willReturn(aResponse().withStatus(400).withBody(
                "{\"error\":\"" + CODE.value() + "\",\"error_description\":\"" + CLIENT_SECRET + "\"}")));
        client.exchangeCode(CODE, VERIFIER);
        soundCloud.stubFor(Call.CODE_EXCHANGE.stub().willReturn(aResponse().withStatus(200)
                .withBody("<html>" + VERIFIER.value() + " " + ISSUED_REFRESH + "</html>")));
        client.exchangeCode(CODE, VERIFIER);
        soundCloud.stubFor(Call.ME.stub().willReturn(aResponse().withStatus(503).withBody(ACCESS.value())));
        client.me(ACCESS);
        soundCloud.stubFor(Call.ME.stub().willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
        client.me(ACCESS);
        soundCloud.stubFor(Call.APP_TOKEN_GRANT.stub().willReturn(aResponse().withStatus(429).withBody(
                "{\"errors\":[{\"meta\":{\"reset_time\":\"" + ISSUED_ACCESS + "\"}}]}")));
        client.grantAppToken();
        soundCloud.stubFor(Call.REFRESH.stub().willReturn(okJson(TOKEN_JSON).withFixedDelay(1_000)));
        impatient.refresh(PRESENTED_REFRESH);

        assertThat(logged)
                .as("the client's own records were captured, so the check below saw them")
                .anyMatch(line -> line.contains("SoundCloud POST token_exchange"))
                .anyMatch(line -> line.contains("SoundCloud GET me"))
                .anyMatch(line -> line.contains("SoundCloud POST app_token_grant"))
                .anyMatch(line -> line.contains("rate limited"))
                .anyMatch(line -> line.contains("timeout"));
        for (String secret : List.of(CLIENT_SECRET, CODE.value(), VERIFIER.value(), PRESENTED_REFRESH.value(),
                ACCESS.value(), ISSUED_ACCESS, ISSUED_REFRESH, "Nightcore Fan")) {
            assertThat(logged).noneMatch(line -> line.contains(secret));
        }
    }
}
