package dev.starlib.auth.http.observe;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The clients refused lately for asking too much, by masked network, for the dashboard. Bounded: at most
 * {@link #MAX_CLIENTS} networks are remembered, the least recently limited forgotten first.
 */
public final class LimitedClients {

    static final int MAX_CLIENTS = 50;

    /** One network's refusals: how many, the last one's endpoint and reason, and when. */
    public record Limited(String maskedClient, String endpoint, String reason, long refusals, Instant last) {
    }

    private final LinkedHashMap<String, Limited> byClient = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Limited> eldest) {
            return size() > MAX_CLIENTS;
        }
    };

    synchronized void add(String maskedClient, String endpoint, String reason, Instant at) {
        Limited before = byClient.get(maskedClient);
        byClient.put(maskedClient, new Limited(maskedClient, endpoint, reason,
                before == null ? 1 : before.refusals() + 1, at));
    }

    /** The networks refused within {@code window} before {@code now}, most recently refused first. */
    public synchronized List<Limited> within(Duration window, Instant now) {
        Instant since = now.minus(window);
        return byClient.values().stream()
                .filter(limited -> limited.last().isAfter(since))
                .sorted(Comparator.comparing(Limited::last).reversed())
                .toList();
    }
}
