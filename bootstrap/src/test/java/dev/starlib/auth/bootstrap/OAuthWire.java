package dev.starlib.auth.bootstrap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** What the end-to-end tests read off the wire: JSON bodies, query strings, form bodies, PKCE challenges. */
final class OAuthWire {

    private static final ObjectMapper JSON = new ObjectMapper();

    private OAuthWire() {
    }

    static JsonNode json(HttpResponse<String> response, int expectedStatus) throws IOException {
        assertThat(response.statusCode()).as("status of %s, body %s", response.uri(), response.body())
                .isEqualTo(expectedStatus);
        return JSON.readTree(response.body());
    }

    static Map<String, String> query(URI uri) {
        return form(uri.getRawQuery());
    }

    static Map<String, String> form(String encoded) {
        return Arrays.stream(encoded.split("&")).map(pair -> pair.split("=", 2))
                .collect(Collectors.toMap(kv -> decode(kv[0]), kv -> kv.length > 1 ? decode(kv[1]) : ""));
    }

    /** RFC 7636 S256, computed here independently of the domain's own code. */
    static String s256(String verifier) throws NoSuchAlgorithmException {
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
        return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }
}
