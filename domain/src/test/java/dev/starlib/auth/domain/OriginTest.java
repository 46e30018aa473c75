package dev.starlib.auth.domain;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URI;

import static org.assertj.core.api.Assertions.assertThat;

class OriginTest {

    @Test
    void parsesAConfiguredOriginWithAPort() {
        assertThat(Origin.parse("http://localhost:3000")).contains(new Origin("http", "localhost", 3000));
    }

    @Test
    void makesDefaultPortsExplicit() {
        assertThat(Origin.parse("http://example.test")).contains(new Origin("http", "example.test", 80));
        assertThat(Origin.parse("https://tauri.localhost")).contains(new Origin("https", "tauri.localhost", 443));
        assertThat(Origin.parse("https://tauri.localhost:443")).contains(new Origin("https", "tauri.localhost", 443));
    }

    @Test
    void customSchemesHaveNoPort() {
        assertThat(Origin.parse("tauri://localhost")).contains(new Origin("tauri", "localhost", -1));
        assertThat(Origin.parse("starlib://localhost")).contains(new Origin("starlib", "localhost", -1));
    }

    @Test
    void lowercasesSchemeAndHost() {
        assertThat(Origin.parse("HTTP://LocalHost:3000")).contains(new Origin("http", "localhost", 3000));
    }

    @Test
    void toleratesOneTrailingSlashAndSurroundingWhitespace() {
        assertThat(Origin.parse(" http://localhost:3000/ ")).contains(new Origin("http", "localhost", 3000));
    }

    @Test
    void printsWithoutDefaultPorts() {
        assertThat(Origin.parse("https://tauri.localhost:443").orElseThrow()).hasToString("https://tauri.localhost");
        assertThat(Origin.parse("http://localhost:3000").orElseThrow()).hasToString("http://localhost:3000");
        assertThat(Origin.parse("tauri://localhost").orElseThrow()).hasToString("tauri://localhost");
    }

    @Test
    void originOfAUrlIgnoresPathQueryAndCase() {
        assertThat(Origin.of(URI.create("HTTP://LOCALHOST:3000/a/b?c=d")))
                .isEqualTo(new Origin("http", "localhost", 3000));
    }

    @Test
    void anOriginBuiltByHandIsNormalisedLikeAParsedOne() {
        assertThat(new Origin("HTTPS", "Tauri.LocalHost", -1)).isEqualTo(Origin.parse("https://tauri.localhost").orElseThrow());
        assertThat(new Origin("http", "localhost", -1).port()).isEqualTo(80);
        assertThat(new Origin("tauri", "localhost", -1).port()).isEqualTo(-1);
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {
            " ",
            "localhost",
            "localhost:3000",
            "//localhost:3000",
            "http://",
            "http://localhost:3000/callback",
            "http://localhost:3000//",
            "http://localhost:3000/?",
            "http://localhost:3000?x=1",
            "http://localhost:3000?",
            "http://localhost:3000#x",
            "http://user@localhost:3000",
            "http://user:pass@localhost:3000",
            "http://localhost:3000@evil.com",
            "http://local host:3000",
            "http://l\u043Ecalhost:3000",
            "http://localhost:3000.evil.com",
            "http://localhost\\@evil.com",
            "javascript:alert(1)",
            "*",
            "http://*.localhost",
    })
    void refusesAnythingButSchemeHostAndPort(String raw) {
        assertThat(Origin.parse(raw)).isEmpty();
    }
}
