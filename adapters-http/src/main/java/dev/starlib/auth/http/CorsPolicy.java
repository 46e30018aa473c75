package dev.starlib.auth.http;

import dev.starlib.auth.domain.Origin;

import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Which browser origins may call the public API.
 *
 * @param allowedOrigins    origins allowed exactly (scheme, host and port all equal)
 * @param anyLocalhostPort  also allow {@code http://localhost:<any port>}, for frontend dev servers
 */
public record CorsPolicy(Set<Origin> allowedOrigins, boolean anyLocalhostPort) {

    public CorsPolicy {
        allowedOrigins = Set.copyOf(Objects.requireNonNull(allowedOrigins, "allowedOrigins"));
    }

    /** True when a request carrying this {@code Origin} header may read our responses. */
    public boolean allows(String originHeader) {
        Optional<Origin> origin = Origin.parse(originHeader);
        return origin.isPresent() && (allowedOrigins.contains(origin.get()) || isLocalhostDevServer(origin.get()));
    }

    private boolean isLocalhostDevServer(Origin origin) {
        return anyLocalhostPort && "http".equals(origin.scheme()) && "localhost".equals(origin.host());
    }
}
