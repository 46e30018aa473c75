package dev.starlib.auth.soundcloud;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * When SoundCloud says a 429 ends: its {@code Retry-After} (seconds, or an HTTP date, RFC 9110 §10.2.3), and the
 * {@code reset_time} its rate-limit errors carry ({@code {"errors":[{"meta":{…,"reset_time":"2022/05/26 16:31:52
 * +0000"}}]}}, soundcloud/api#212). When it says both, the later one counts: asking again before either says is only
 * refused again. Empty when it says neither. A reset already past means a second; one further off than SoundCloud's
 * longest limit window ({@link #LONGEST}) is not believed and is cut to it. How long a caller actually waits is its
 * own policy: a user's client is told an hour at most, the app token holds off until the reset.
 */
final class RateLimitReset {

    /** SoundCloud's longest rate-limit window: 50 client-credentials grants per 12 hours per app. */
    static final Duration LONGEST = Duration.ofHours(12);
    private static final Duration SHORTEST = Duration.ofSeconds(1);
    private static final Pattern SECONDS = Pattern.compile("[0-9]{1,9}");
    private static final DateTimeFormatter SOUNDCLOUD_RESET = DateTimeFormatter.ofPattern("yyyy/MM/dd HH:mm:ss Z");

    private RateLimitReset() {
    }

    static Optional<Duration> of(Optional<String> retryAfter, byte[] body, Instant now) {
        return Stream.concat(retryAfter.flatMap(header -> fromHeader(header.strip(), now)).stream(), fromBody(body, now))
                .max(Duration::compareTo)
                .map(RateLimitReset::bounded);
    }

    private static Optional<Duration> fromHeader(String header, Instant now) {
        if (SECONDS.matcher(header).matches()) {
            return Optional.of(Duration.ofSeconds(Long.parseLong(header)));
        }
        return at(header, DateTimeFormatter.RFC_1123_DATE_TIME, now);
    }

    private static Stream<Duration> fromBody(byte[] body, Instant now) {
        JsonNode errors = UpstreamJson.object(body).map(object -> object.path("errors")).orElse(null);
        if (errors == null || !errors.isArray()) {
            return Stream.empty();
        }
        return StreamSupport.stream(errors.spliterator(), false)
                .map(error -> error.path("meta").path("reset_time"))
                .filter(JsonNode::isTextual)
                .flatMap(reset -> at(reset.textValue(), SOUNDCLOUD_RESET, now).stream());
    }

    private static Optional<Duration> at(String text, DateTimeFormatter format, Instant now) {
        try {
            return Optional.of(Duration.between(now, ZonedDateTime.parse(text, format).toInstant()));
        } catch (DateTimeParseException notADate) {
            return Optional.empty();
        }
    }

    private static Duration bounded(Duration wait) {
        if (wait.compareTo(SHORTEST) < 0) {
            return SHORTEST;
        }
        return wait.compareTo(LONGEST) > 0 ? LONGEST : wait;
    }
}
