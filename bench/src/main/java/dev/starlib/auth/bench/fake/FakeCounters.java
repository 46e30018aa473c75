package dev.starlib.auth.bench.fake;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/** What the fake has seen since it started, served at {@code GET /_fake/stats} as flat JSON of counters. */
final class FakeCounters {

    enum Counter {
        AUTHORIZATIONS("authorizations"),
        CODE_EXCHANGES("code_exchanges"),
        REFRESHES("refreshes"),
        ME("me"),
        /** Distinct connections that carried a request: with keep-alive, far fewer than requests. */
        CONNECTIONS("connections"),
        REJECTED_AUTHORIZE("rejected_authorize"),
        REJECTED_CLIENT("rejected_client"),
        REJECTED_CODE("rejected_code"),
        REJECTED_REDIRECT_URI("rejected_redirect_uri"),
        REJECTED_PKCE("rejected_pkce"),
        REJECTED_REFRESH("rejected_refresh"),
        REJECTED_ME("rejected_me"),
        REJECTED_REQUEST("rejected_request");

        final String json;

        Counter(String json) {
            this.json = json;
        }
    }

    private final Map<Counter, LongAdder> counts = new EnumMap<>(Counter.class);

    FakeCounters() {
        for (Counter counter : Counter.values()) {
            counts.put(counter, new LongAdder());
        }
    }

    void count(Counter counter) {
        counts.get(counter).increment();
    }

    /**
     * Helidon numbers the requests of each HTTP/1 connection 1, 2, 3... ({@code ServerRequest.id()}), so a request
     * with number 1 opened a connection.
     */
    void sawRequest(int requestNumberOnItsConnection) {
        if (requestNumberOnItsConnection == 1) {
            count(Counter.CONNECTIONS);
        }
    }

    String json() {
        StringBuilder json = new StringBuilder("{");
        for (Counter counter : Counter.values()) {
            if (json.length() > 1) {
                json.append(',');
            }
            json.append('"').append(counter.json).append("\":").append(counts.get(counter).sum());
        }
        return json.append('}').toString();
    }
}
