package dev.starlib.auth.bootstrap;

import dev.starlib.auth.domain.Origin;
import dev.starlib.auth.http.CorsPolicy;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Turns CORS_ALLOWED_ORIGINS into a policy; {@value #ANY_LOCALHOST_PORT} stands for any local dev server. */
final class CorsOrigins {

    static final String ANY_LOCALHOST_PORT = "http://localhost:*";

    private CorsOrigins() {
    }

    /** @throws SettingsLoader.InvalidSettingException naming the entry that is not an origin (origins are public) */
    static CorsPolicy policy(List<String> entries) {
        Set<Origin> origins = new LinkedHashSet<>();
        boolean anyLocalhostPort = false;
        for (String entry : entries) {
            if (ANY_LOCALHOST_PORT.equals(entry)) {
                anyLocalhostPort = true;
            } else {
                origins.add(Origin.parse(entry).orElseThrow(() -> new SettingsLoader.InvalidSettingException(
                        "CORS_ALLOWED_ORIGINS: '" + entry + "' is not an origin (scheme://host[:port]) or "
                                + ANY_LOCALHOST_PORT)));
            }
        }
        return new CorsPolicy(origins, anyLocalhostPort);
    }

    /** The policy as it was configured, for the log and the dashboard. */
    static List<String> describe(CorsPolicy policy) {
        List<String> entries = new ArrayList<>(SettingsLoader.sorted(policy.allowedOrigins()));
        if (policy.anyLocalhostPort()) {
            entries.add(ANY_LOCALHOST_PORT);
        }
        return entries;
    }
}
