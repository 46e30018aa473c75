package dev.starlib.auth.http;

import io.helidon.http.HeaderNames;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webclient.http1.Http1ClientRequest;
import io.helidon.webclient.http1.Http1ClientResponse;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Requests to the internal API as the backend's own services send them, checked against the contract by {@link Api}. */
final class Internal {

    static final String KEY = "internal-test-key-0123456789-abcdefghijklmn";

    private final Http1Client client;

    Internal(Http1Client client) {
        this.client = client;
    }

    Http1ClientRequest appToken() {
        return client.get(InternalApi.APP_TOKEN_PATH).followRedirects(false);
    }

    /** With {@code Authorization: Bearer <KEY>}. */
    Reply appTokenWithKey() {
        return Api.send(appToken().header(HeaderNames.AUTHORIZATION, "Bearer " + KEY));
    }

    Reply appTokenWith(String authorization) {
        return Api.send(appToken().header(HeaderNames.AUTHORIZATION, authorization));
    }

    /** Not checked against the contract: for what it leaves to the listener (other methods, other paths). */
    static Reply unchecked(Http1ClientRequest request) {
        try (Http1ClientResponse response = request.followRedirects(false).request()) {
            Map<String, List<String>> headers = new LinkedHashMap<>();
            response.headers().forEach(header -> headers
                    .computeIfAbsent(header.name().toLowerCase(Locale.ROOT), name -> new ArrayList<>())
                    .addAll(header.allValues()));
            return new Reply(response.status().code(), headers,
                    response.entity().hasEntity() ? response.as(String.class) : "");
        }
    }
}
