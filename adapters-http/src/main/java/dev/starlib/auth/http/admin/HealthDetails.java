package dev.starlib.auth.http.admin;

import dev.starlib.auth.http.observe.CheckResult;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A health check's details as an operator reads them on the dashboard: {@code 35.7 MB free of 5.9 GB},
 * {@code last call me: success in 120 ms, 8s ago}. {@code /observe/health} keeps the raw values for machines.
 */
final class HealthDetails {

    private static final String[] UNITS = {"bytes", "KB", "MB", "GB", "TB"};

    private HealthDetails() {
    }

    static String describe(CheckResult check, Instant now) {
        Map<String, String> details = check.details();
        return switch (check.name()) {
            case "heapMemory" -> heap(details);
            case "soundcloud" -> soundCloud(details, now);
            case "sessionStore" -> sessionStore(details);
            case "credentials" -> details.getOrDefault("detail", "");
            default -> generic(details, now);
        };
    }

    /** Binary units, one decimal: {@code 35.7 MB}, {@code 5.9 GB}, {@code 512 bytes}. */
    static String bytes(long bytes) {
        if (bytes < 1024) {
            return bytes + " bytes";
        }
        double value = bytes;
        int unit = 0;
        while (value >= 1024 && unit < UNITS.length - 1) {
            value /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %s", value, UNITS[unit]);
    }

    private static String heap(Map<String, String> details) {
        Long free = number(details.get("freeBytes"));
        Long max = number(details.get("maxBytes"));
        Long total = number(details.get("totalBytes"));
        if (free == null || max == null) {
            return generic(details, Instant.now());
        }
        String text = bytes(free) + " free of " + bytes(max);
        String percent = details.get("percentFree");
        if (percent != null) {
            text += " (" + percent.replace("%", " %") + " free)";
        }
        return total == null ? text : text + " · " + bytes(total) + " reserved now";
    }

    private static String soundCloud(Map<String, String> details, Instant now) {
        return lastCall(details, now) + tokenBreaker(details);
    }

    private static String lastCall(Map<String, String> details, Instant now) {
        if (details.containsKey("lastCall")) {
            return "no call to SoundCloud since start";
        }
        String answering = "true".equals(details.get("answering")) ? "answering" : "not answering";
        String endpoint = details.getOrDefault("lastEndpoint", "?").replace('_', ' ');
        String text = answering + " · last call " + endpoint + ": " + details.getOrDefault("lastOutcome", "?");
        Long latency = number(details.get("lastLatencyMs"));
        if (latency != null) {
            text += " in " + latency + " ms";
        }
        return text + ago(details.get("lastCallAt"), now);
    }

    /** The token endpoint breaker, when there is one: {@code · tokenBreaker: open, next try in 10 s}. */
    private static String tokenBreaker(Map<String, String> details) {
        String state = details.get("tokenBreaker");
        if (state == null) {
            return "";
        }
        Long retry = number(details.get("tokenBreakerRetryInSeconds"));
        return " · tokenBreaker: " + state + (retry == null ? "" : ", next try in " + retry + " s");
    }

    private static String sessionStore(Map<String, String> details) {
        if ("true".equals(details.get("writable"))) {
            Long sessions = number(details.get("sessions"));
            return "writable" + (sessions == null ? "" : " · " + sessions + (sessions == 1 ? " session" : " sessions"));
        }
        return "not writable" + (details.containsKey("error") ? ": " + details.get("error") : "");
    }

    /** Any other check: byte counts and instants made readable, the rest as it is. */
    private static String generic(Map<String, String> details, Instant now) {
        Map<String, String> shown = new LinkedHashMap<>();
        details.forEach((key, value) -> {
            Long number = number(value);
            if (key.endsWith("Bytes") && number != null) {
                shown.put(key.substring(0, key.length() - "Bytes".length()), bytes(number));
            } else if (key.endsWith("At") && !ago(value, now).isEmpty()) {
                shown.put(key.substring(0, key.length() - 2), ago(value, now).substring(2));
            } else {
                shown.putIfAbsent(key, value);
            }
        });
        return shown.entrySet().stream().map(e -> e.getKey() + ": " + e.getValue()).collect(Collectors.joining(" · "));
    }

    private static String ago(String instant, Instant now) {
        if (instant == null) {
            return "";
        }
        try {
            return ", " + Durations.brief(Duration.between(Instant.parse(instant), now)) + " ago";
        } catch (DateTimeParseException e) {
            return "";
        }
    }

    private static Long number(String value) {
        if (value == null) {
            return null;
        }
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
