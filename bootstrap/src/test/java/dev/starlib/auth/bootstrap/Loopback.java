package dev.starlib.auth.bootstrap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/**
 * A client at one loopback address: Linux routes all of 127/8 to the loopback interface, so 127.0.0.2, 127.0.0.3,
 * ... play different clients on one machine. Every exchange under the API is checked against the contract.
 */
final class Loopback {

    private static final ObjectMapper JSON = new ObjectMapper();

    final String address;
    private final CheckedHttp http;

    private Loopback(String address, CheckedHttp http) {
        this.address = address;
        this.http = http;
    }

    static Loopback at(String address) {
        try {
            return new Loopback(address, new CheckedHttp(HttpClient.newBuilder()
                    .localAddress(InetAddress.getByName(address))
                    .followRedirects(HttpClient.Redirect.NEVER)
                    .build()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    HttpResponse<String> get(String url, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).GET();
        if (headers.length > 0) {
            request.headers(headers);
        }
        return send(request.build());
    }

    HttpResponse<String> postJson(String url, String body) {
        return send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    private HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static JsonNode json(HttpResponse<String> response) {
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException("not JSON: " + response.body(), e);
        }
    }

    /** A whole backend-redirect sign-in from this address: /authorize, SoundCloud's redirect, the pickup. */
    HttpResponse<String> signIn(String api) {
        HttpResponse<String> started = get(api + "/authorize");
        if (started.statusCode() != 200) {
            return started;
        }
        String state = json(started).get("state").asText();
        HttpResponse<String> redirect = get(api + "/redirect?code=sc-code&state=" + state);
        if (redirect.statusCode() != 303) {
            return redirect;
        }
        return get(api + "/result?state=" + state);
    }
}
