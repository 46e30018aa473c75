package dev.starlib.auth.http;

import dev.starlib.auth.contract.Exchange;
import dev.starlib.auth.contract.OpenApiContract;
import io.helidon.common.uri.UriInfo;
import io.helidon.http.Header;
import io.helidon.http.HeaderNames;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webclient.http1.Http1ClientRequest;
import io.helidon.webclient.http1.Http1ClientResponse;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A thin wrapper over Helidon's client: never follows redirects, always reads the whole reply, and checks every
 * exchange against the contract ({@code contract/openapi.yaml}): an undocumented status, field or header fails
 * the test that saw it.
 */
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
            return checked(request, new byte[0], reply(response));
        }
    }

    /** Sends {@code body} as is, with whatever Content-Type the request carries. */
    static Reply submit(Http1ClientRequest request, String body) {
        try (Http1ClientResponse response = request.submit(body)) {
            return checked(request, body.getBytes(StandardCharsets.UTF_8), reply(response));
        }
    }

    Reply postJson(String path, String json, Header... headers) {
        Http1ClientRequest request = post(path).header(HeaderNames.CONTENT_TYPE, "application/json");
        for (Header header : headers) {
            request.header(header);
        }
        return submit(request, json);
    }

    private static Reply reply(Http1ClientResponse response) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        response.headers().forEach(header -> headers
                .computeIfAbsent(header.name().toLowerCase(Locale.ROOT), name -> new ArrayList<>())
                .addAll(header.allValues()));
        String body = response.entity().hasEntity() ? response.as(String.class) : "";
        return new Reply(response.status().code(), headers, body);
    }

    private static Reply checked(Http1ClientRequest request, byte[] body, Reply reply) {
        Map<String, List<String>> requestHeaders = new LinkedHashMap<>();
        request.headers().forEach(header -> requestHeaders.put(header.name(), header.allValues()));
        UriInfo uri = request.resolvedUri();
        String query = uri.query().rawValue();
        String target = uri.path().rawPath() + (query == null || query.isEmpty() ? "" : "?" + query);
        String method = ((io.helidon.webclient.api.ClientRequestBase<?, ?>) request).method().text();
        OpenApiContract.bundled().check(new Exchange(method, target, requestHeaders, body, reply.status(),
                reply.headers(), reply.body().getBytes(StandardCharsets.UTF_8)));
        return reply;
    }
}
