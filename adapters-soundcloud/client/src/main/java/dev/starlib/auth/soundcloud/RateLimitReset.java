package dev.starlib.auth.soundcloud;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * When SoundCloud says a 429 ends: its {@code Retry-After} (seconds, or an HTTP date), or else the
 * {@code reset_time} its rate-limit errors carry ({@code {"errors":[{"meta":{…,"reset_time":"2022/05/26 16:31:52
 * +0000"}}]}}, soundcloud/api#212). Empty when it says neither; capped, so a bogus far-off time locks nobody out.
 */
final class RateLimitReset {

    static final Duration LONGEST = Duration.ofHours(1);
    private static final Pattern SECONDS = Pattern.compile("[0-9]{1,9}");
    private static final DateTimeFormatter SOUNDCLOUD_RESET = DateTimeFormatter.ofPattern("yyyy/MM/dd HH:mm:ss Z");

    private RateLimitReset() {
    }

    static Optional<Duration> of(Optional<String> retryAfter, byte[] body, Instant now) {
        return retryAfter.flatMap(header -> fromHeader(header.strip(), now))
                .or(() -> fromBody(body, now))
                .map(RateLimitReset::bounded);
    }

    private static Optional<Duration> fromHeader(String header, Instant now) {
        if (SECONDS.matcher(header).matches()) {
            return Optional.of(Duration.ofSeconds(Long.parseLong(header)));
        }
        return at(header, DateTimeFormatter.RFC_1123_DATE_TIME, now);
    }

    private static Optional<Duration> fromBody(byte[] body, Instant now) {
        Optional<JsonNode> object = UpstreamJson.object(body);
        if (object.isEmpty() || !object.get().path("errors").isArray()) {
            return Optional.empty();
        }
        for (JsonNode error : object.get().path("errors")) {
            JsonNode reset = error.path("meta").path("reset_time");
            if (reset.isTextual()) {
                Optional<Duration> wait = at(reset.textValue(), SOUNDCLOUD_RESET, now);
                if (wait.isPresent()) {
                    return wait;
                }
            }
        }
        return Optional.empty();
    }

    private static Optional<Duration> at(String text, DateTimeFormatter format, Instant now) {
        try {
            return Optional.of(Duration.between(now, ZonedDateTime.parse(text, format).toInstant()));
        } catch (DateTimeParseException notADate) {
            return Optional.empty();
        }
    }

    /** A reset already past means "now": a second. */
    private static Duration bounded(Duration wait) {
        if (wait.compareTo(Duration.ofSeconds(1)) < 0) {
            return Duration.ofSeconds(1);
        }
        return wait.compareTo(LONGEST) > 0 ? LONGEST : wait;
    }
}
