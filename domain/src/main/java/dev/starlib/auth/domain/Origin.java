package dev.starlib.auth.domain;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * A web origin, {@code scheme://host[:port]}, normalised: lowercase scheme and host, default ports of http
 * and https made explicit. Two origins are the same only when all three parts are equal.
 */
public record Origin(String scheme, String host, int port) {

    public Origin {
        Objects.requireNonNull(scheme, "scheme");
        Objects.requireNonNull(host, "host");
        if (scheme.isEmpty() || host.isEmpty()) {
            throw new IllegalArgumentException("an origin needs a scheme and a host");
        }
        // Normalise here, not only in of(): an origin built by hand must compare equal to a parsed one.
        scheme = scheme.toLowerCase(Locale.ROOT);
        host = host.toLowerCase(Locale.ROOT);
        port = effectivePort(scheme, port);
    }

    /** Parses a configured origin such as {@code http://localhost:3000} or {@code tauri://localhost}. */
    public static Optional<Origin> parse(String raw) {
        if (raw == null || raw.isBlank() || !Secrets.isVisibleAscii(raw.strip())) {
            return Optional.empty();
        }
        String value = raw.strip();
        if (value.endsWith("/")) {
            value = value.substring(0, value.length() - 1);
        }
        try {
            URI uri = new URI(value);
            if (!uri.isAbsolute() || uri.isOpaque() || uri.getRawUserInfo() != null || uri.getHost() == null
                    || uri.getRawQuery() != null || uri.getRawFragment() != null
                    || (uri.getRawPath() != null && !uri.getRawPath().isEmpty())) {
                return Optional.empty();
            }
            return Optional.of(of(uri));
        } catch (URISyntaxException e) {
            return Optional.empty();
        }
    }

    /** The origin of an absolute, hierarchical URI that has a host. */
    static Origin of(URI uri) {
        return new Origin(uri.getScheme(), uri.getHost(), uri.getPort());
    }

    private static int effectivePort(String scheme, int port) {
        if (port != -1) {
            return port;
        }
        return switch (scheme) {
            case "http" -> 80;
            case "https" -> 443;
            default -> -1;
        };
    }

    @Override
    public String toString() {
        boolean defaultPort = port == -1 || ("http".equals(scheme) && port == 80) || ("https".equals(scheme) && port == 443);
        return scheme + "://" + host + (defaultPort ? "" : ":" + port);
    }
}
