package dev.starlib.auth.bench.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.helidon.common.media.type.MediaTypes;
import io.helidon.common.tls.Tls;
import io.helidon.http.HeaderNames;
import io.helidon.webclient.api.HttpClientResponse;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webclient.http1.Http1ClientConfig;

import javax.net.ssl.SSLContext;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;

/**
 * What one user's client does on the wire: Helidon's blocking HTTP/1.1 client on the user's virtual thread, with
 * keep-alive connections of its own (to the service and to the fake SoundCloud), and no redirect followed: each
 * hop of a login is a request of its own, as in a browser.
 */
public final class Browser implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    public record Answer(int status, String location, byte[] body) {

        public JsonNode json() throws Unexpected {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new Unexpected("an answer that is not JSON (HTTP " + status + ")");
            }
        }
    }

    private final Http1Client http;

    public Browser() {
        this(null);
    }

    /** @param trusting what https URLs must be signed by (the fake's own certificate), or null for plain http only */
    public Browser(SSLContext trusting) {
        Http1ClientConfig.Builder builder = Http1Client.builder()
                .followRedirects(false)
                .keepAlive(true)
                .shareConnectionCache(false)
                .connectTimeout(Duration.ofSeconds(10))
                .readTimeout(Duration.ofSeconds(60));
        if (trusting != null) {
            builder.tls(Tls.builder().sslContext(trusting).build());
        }
        http = builder.build();
    }

    /** {@code uri} is absolute and already encoded (Helidon's uri(String) would encode its '?' as a path). */
    public Answer get(String uri) {
        try (HttpClientResponse response = http.get().uri(URI.create(uri)).request()) {
            return answer(response);
        }
    }

    public Answer get(String uri, String authorization) {
        try (HttpClientResponse response = http.get().uri(URI.create(uri)).header(HeaderNames.AUTHORIZATION, authorization).request()) {
            return answer(response);
        }
    }

    public Answer postJson(String uri, String json) {
        try (HttpClientResponse response = http.post().uri(URI.create(uri))
                .contentType(MediaTypes.APPLICATION_JSON)
                .submit(json)) {
            return answer(response);
        }
    }

    private static Answer answer(HttpClientResponse response) {
        int status = response.status().code();
        String location = response.headers().first(HeaderNames.LOCATION).orElse(null);
        // Reading the whole body keeps the connection reusable.
        byte[] body = response.entity().hasEntity() ? response.as(byte[].class) : new byte[0];
        return new Answer(status, location, body);
    }

    @Override
    public void close() {
        http.closeResource();
    }
}
