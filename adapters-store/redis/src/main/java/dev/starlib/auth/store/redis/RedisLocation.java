package dev.starlib.auth.store.redis;

import io.lettuce.core.RedisURI;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Where Redis is, from {@code REDIS_URL}: {@code redis://[user:password@]host:port[/db]}, {@code rediss://} for
 * TLS, or {@code redis-sentinel://[password@]host1:port1,host2:port2[/db]#masterName} ({@code rediss-sentinel://}
 * with TLS) to find the primary through Sentinel. Lettuce reads the URL; this class only refuses what it should not
 * try, and never repeats the URL, which may hold a password.
 */
public final class RedisLocation {

    private static final Set<String> SCHEMES = Set.of("redis", "rediss", "redis-sentinel", "rediss-sentinel");

    private static final String NO_PRIMARY = "names Sentinels but no primary: add its master name, as in "
            + "redis-sentinel://host:26379#mymaster";

    private final RedisURI uri;
    /** The URL as given, credentials and all: parsed again for each client, never shown. */
    private final String url;

    private RedisLocation(RedisURI uri, String url) {
        this.uri = uri;
        this.url = url;
    }

    /**
     * @throws IllegalArgumentException whose message completes a sentence starting with the setting's name,
     *                                  e.g. "REDIS_URL " + message, and holds nothing of the value
     */
    public static RedisLocation parse(String url) {
        Objects.requireNonNull(url, "url");
        String text = url.strip();
        int colon = text.indexOf("://");
        String scheme = colon < 0 ? "" : text.substring(0, colon).toLowerCase(Locale.ROOT);
        if (!SCHEMES.contains(scheme)) {
            throw new IllegalArgumentException("must start with redis://, rediss://, redis-sentinel:// or "
                    + "rediss-sentinel://");
        }
        boolean sentinel = scheme.endsWith("-sentinel");
        if (sentinel && !text.contains("#") && !text.contains("sentinelMasterId=")) {
            throw new IllegalArgumentException(NO_PRIMARY);
        }
        RedisURI parsed;
        try {
            if (!sentinel && new URI(text).getHost() == null) {
                // java.net.URI is stricter than Lettuce about the authority (a port that is not a number, say).
                throw new IllegalArgumentException("no host");
            }
            parsed = RedisURI.create(text);
        } catch (RuntimeException | URISyntaxException e) {
            // Lettuce's message quotes the URL, password included: say what is expected instead.
            throw new IllegalArgumentException("is not a Redis URL Lettuce can read; expected "
                    + "redis://[user:password@]host:port[/db] or redis-sentinel://host:port[,host:port...][/db]#master");
        }
        if (sentinel && (parsed.getSentinelMasterId() == null || parsed.getSentinelMasterId().isBlank())) {
            throw new IllegalArgumentException(NO_PRIMARY);
        }
        if (sentinel ? parsed.getSentinels().isEmpty() : parsed.getHost() == null || parsed.getHost().isBlank()) {
            throw new IllegalArgumentException("has no host");
        }
        if (parsed.getDatabase() < 0) {
            throw new IllegalArgumentException("names a negative database");
        }
        return new RedisLocation(parsed, text);
    }

    /** A copy for a client to use, so that its settings (the timeout) never change this one. */
    RedisURI toUri() {
        return RedisURI.create(url);
    }

    public boolean viaSentinel() {
        return !uri.getSentinels().isEmpty();
    }

    /** For logs and the dashboard: hosts, database and master name; never a user name or password. */
    public String describe() {
        String tls = uri.isSsl() ? "s" : "";
        if (viaSentinel()) {
            String sentinels = uri.getSentinels().stream().map(s -> s.getHost() + ":" + s.getPort())
                    .collect(Collectors.joining(","));
            return "redis" + tls + "-sentinel://" + sentinels + "/" + uri.getDatabase() + " (primary '"
                    + uri.getSentinelMasterId() + "')";
        }
        return "redis" + tls + "://" + hostForUrl(uri.getHost()) + ":" + uri.getPort() + "/" + uri.getDatabase();
    }

    @Override
    public String toString() {
        return "RedisLocation[" + describe() + "]";
    }

    private static String hostForUrl(String host) {
        return host.indexOf(':') >= 0 ? "[" + host + "]" : host;
    }
}
