package dev.starlib.auth.domain;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Decides whether a client-supplied {@code return_to} may receive the browser after login. Anything that is
 * not plainly an absolute URL on one of the allowed origins is refused: this is the open-redirect guard.
 */
public final class ReturnToPolicy {

    public static final int MAX_LENGTH = 2048;

    private final Set<Origin> allowedOrigins;

    public ReturnToPolicy(Set<Origin> allowedOrigins) {
        this.allowedOrigins = Set.copyOf(Objects.requireNonNull(allowedOrigins, "allowedOrigins"));
    }

    public Set<Origin> allowedOrigins() {
        return allowedOrigins;
    }

    /** The verdict on one candidate: the accepted URL, or a reason that is safe to show the caller. */
    public sealed interface Verdict {
        record Accepted(ReturnTo returnTo) implements Verdict {
        }

        record Rejected(String reason) implements Verdict {
        }
    }

    public Verdict check(String candidate) {
        if (candidate == null || candidate.isEmpty()) {
            return new Verdict.Rejected("return_to is empty");
        }
        if (candidate.length() > MAX_LENGTH) {
            return new Verdict.Rejected("return_to is longer than " + MAX_LENGTH + " characters");
        }
        // No controls, spaces, backslashes or non-ASCII: browsers "repair" those in ways that move the host.
        if (!Secrets.isVisibleAscii(candidate) || candidate.indexOf('\\') >= 0) {
            return new Verdict.Rejected("return_to contains characters that are not allowed in a URL");
        }
        URI uri;
        try {
            uri = new URI(candidate);
        } catch (URISyntaxException e) {
            return new Verdict.Rejected("return_to is not a valid URL");
        }
        if (!uri.isAbsolute() || uri.isOpaque() || uri.getHost() == null) {
            return new Verdict.Rejected("return_to must be an absolute URL such as http://localhost:3000/auth/soundcloud/callback");
        }
        if (uri.getRawUserInfo() != null) {
            return new Verdict.Rejected("return_to must not contain user information");
        }
        if (uri.getRawFragment() != null) {
            return new Verdict.Rejected("return_to must not contain a fragment");
        }
        if (uri.getRawQuery() != null && namesAReservedParameter(uri.getRawQuery())) {
            return new Verdict.Rejected("return_to must not already carry state, code, error or error_description");
        }
        Origin origin = Origin.of(uri);
        if (!allowedOrigins.contains(origin)) {
            return new Verdict.Rejected("return_to origin " + origin + " is not one of the allowed origins");
        }
        return new Verdict.Accepted(new ReturnTo(uri));
    }

    /**
     * The frontend reads {@code state} (and the error) from the query we append to; a return_to that already
     * carries one would let a crafted link plant a second, earlier value.
     */
    private static boolean namesAReservedParameter(String rawQuery) {
        for (String pair : rawQuery.split("&")) {
            String name = pair.split("=", 2)[0].toLowerCase(java.util.Locale.ROOT);
            if (RESERVED_PARAMETERS.contains(name)) {
                return true;
            }
        }
        return false;
    }

    private static final Set<String> RESERVED_PARAMETERS = Set.of("state", "code", "error", "error_description",
            "access_token", "refresh_token");

    /** Parses configured origins, failing loudly on a malformed one: a typo must not silently narrow or widen. */
    public static ReturnToPolicy ofOrigins(List<String> origins) {
        java.util.LinkedHashSet<Origin> parsed = new java.util.LinkedHashSet<>();
        for (String raw : origins) {
            parsed.add(Origin.parse(raw).orElseThrow(() ->
                    new IllegalArgumentException("not an origin (scheme://host[:port]): " + raw)));
        }
        return new ReturnToPolicy(parsed);
    }
}
