package dev.starlib.auth.http.observe;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/** One health check as it answered just now: {@code status} is UP, DOWN or ERROR; details in insertion order. */
public record CheckResult(String name, String type, String status, Map<String, String> details) {

    public CheckResult {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(status, "status");
        details = Collections.unmodifiableMap(new LinkedHashMap<>(details));
    }

    public boolean up() {
        return "UP".equals(status);
    }
}
