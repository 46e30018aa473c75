package dev.starlib.auth.bootstrap;

import dev.starlib.auth.contract.Exchange;
import dev.starlib.auth.contract.OpenApiContract;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;

/**
 * The JDK's HTTP client, never following redirects, with every exchange under the contract's paths checked
 * against {@code contract/openapi.yaml}: an undocumented status, field or header fails the test that saw it.
 */
final class CheckedHttp {

    private final HttpClient client;

    CheckedHttp() {
        this(HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build());
    }

    CheckedHttp(HttpClient client) {
        this.client = client;
    }

    HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
        HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
        OpenApiContract.bundled().check(new Exchange(request.method(), Exchange.targetOf(request.uri()),
                request.headers().map(), body(request), response.statusCode(), response.headers().map(),
                response.body().getBytes(StandardCharsets.UTF_8)));
        return response;
    }

    /** Reads a request's body back from its publisher (the JDK's string and byte publishers can be re-read). */
    private static byte[] body(HttpRequest request) {
        if (request.bodyPublisher().isEmpty()) {
            return new byte[0];
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        CompletableFuture<byte[]> done = new CompletableFuture<>();
        request.bodyPublisher().get().subscribe(new Flow.Subscriber<>() {
            @Override
            public void onSubscribe(Flow.Subscription subscription) {
                subscription.request(Long.MAX_VALUE);
            }

            @Override
            public void onNext(ByteBuffer item) {
                byte[] chunk = new byte[item.remaining()];
                item.get(chunk);
                bytes.writeBytes(chunk);
            }

            @Override
            public void onError(Throwable throwable) {
                done.completeExceptionally(throwable);
            }

            @Override
            public void onComplete() {
                done.complete(bytes.toByteArray());
            }
        });
        return done.join();
    }
}
