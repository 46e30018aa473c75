package dev.starlib.auth.domain;

import java.net.URI;
import java.util.Map;
import java.util.Objects;

/**
 * Where the browser goes when a backend-redirect login is done: a frontend callback whose origin the
 * {@link ReturnToPolicy} allowed. Build one only through the policy.
 */
public record ReturnTo(URI uri) {

    public ReturnTo {
        Objects.requireNonNull(uri, "uri");
        if (!uri.isAbsolute() || uri.isOpaque() || uri.getHost() == null) {
            throw new IllegalArgumentException("return_to must be an absolute URL with a host");
        }
    }

    public Origin origin() {
        return Origin.of(uri);
    }

    /** This URL with the given query parameters appended, percent-encoded, after any query it already has. */
    public URI withParameters(Map<String, String> parameters) {
        return QueryString.append(uri, parameters);
    }

    @Override
    public String toString() {
        return "ReturnTo[" + origin() + "]";
    }
}
