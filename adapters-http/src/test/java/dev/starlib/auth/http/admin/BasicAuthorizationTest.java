package dev.starlib.auth.http.admin;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;

class BasicAuthorizationTest {

    @Test
    void userAndPasswordAreSplitAtTheFirstColon() {
        assertThat(BasicAuthorization.parse("Basic " + encode("admin:pass:word")))
                .contains(new BasicAuthorization("admin", "pass:word"));
    }

    @Test
    void schemeIsCaseInsensitiveAndUtf8IsRead() {
        assertThat(BasicAuthorization.parse("bAsIc " + encode("admin:pässwörd")))
                .contains(new BasicAuthorization("admin", "pässwörd"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "Bearer abc", "Basic", "Basic !!!not-base64!!!", "Basic YWRtaW4="})
    void anythingElseIsNoBasicAuthorization(String header) {
        assertThat(BasicAuthorization.parse(header)).isEmpty();
    }

    @Test
    void missingHeaderIsNoBasicAuthorization() {
        assertThat(BasicAuthorization.parse(null)).isEmpty();
    }

    @Test
    void bytesThatAreNotUtf8AreRefused() {
        String header = "Basic " + Base64.getEncoder().encodeToString(new byte[]{'a', ':', (byte) 0xC3, (byte) 0x28});

        assertThat(BasicAuthorization.parse(header)).isEmpty();
    }

    @Test
    void passwordStaysOutOfToString() {
        assertThat(new BasicAuthorization("admin", "s3cret").toString()).doesNotContain("s3cret");
    }

    private static String encode(String pair) {
        return Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
    }
}
