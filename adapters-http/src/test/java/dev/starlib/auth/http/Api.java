package dev.starlib.auth.http;

import io.helidon.http.Header;
import io.helidon.http.HeaderNames;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webclient.http1.Http1ClientRequest;
import io.helidon.webclient.http1.Http1ClientResponse;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** A thin wrapper over Helidon's client: never follows redirects, always reads the whole reply. */
final class Api {

    private final Http1Client client;

    Api(Http1Client client) {
        this.client = client;
    }

    Http1ClientRequest get(String path) {
        return client.get(TestApi.ROOT + path).followRedirects(false);
    }

    Http1ClientRequest post(String path) {
        return client.post(TestApi.ROOT + path).followRedirects(false);
    }

    Http1ClientRequest request(io.helidon.http.Method method, String path) {
        return client.method(method).uri(TestApi.ROOT + path).followRedirects(false);
    }

    static Reply send(Http1ClientRequest request) {
        try (Http1ClientResponse response = request.request()) {
            return reply(response);
        }
    }

    Reply postJson(String path, String json, Header... headers) {
        Http1ClientRequest request = post(path).header(HeaderNames.CONTENT_TYPE, "application/json");
        for (Header header : headers) {
            request.header(header);
        }
        try (Http1ClientResponse response = request.submit(json)) {
            return reply(response);
        }
    }

    static Reply reply(Http1ClientResponse response) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        response.headers().forEach(header -> headers
                .computeIfAbsent(header.name().toLowerCase(Locale.ROOT), name -> new ArrayList<>())
                .addAll(header.allValues()));
        String body = response.entity().hasEntity() ? response.as(String.class) : "";
        return new Reply(response.status().code(), headers, body);
    }
}
