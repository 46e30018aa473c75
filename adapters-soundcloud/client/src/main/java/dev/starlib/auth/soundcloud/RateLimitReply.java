package dev.starlib.auth.soundcloud;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * How long until a 429 from SoundCloud says its limit resets: a {@code Retry-After} header (seconds or an HTTP date,
 * RFC 9110 §10.2.3), or the {@code reset_time} SoundCloud puts in its body
 * ({@code {"errors":[{"meta":{"reset_time":"2015/06/01 09:49:40 +0000",…}}]}}, per its rate-limit documentation).
 * When both are given, the later one: asking again before either says is only refused again. A reset already past
 * means a second.
 */
final class RateLimitReply {

    private static final Pattern SECONDS = Pattern.compile("[0-9]{1,9}");
    private static final DateTimeFormatter SOUNDCLOUD_RESET_TIME = DateTimeFormatter.ofPattern("yyyy/MM/dd HH:mm:ss Z");
    private static final Duration SHORTEST = Duration.ofSeconds(1);

    private RateLimitReply() {
    }

    static Optional<Duration> retryAfter(Optional<String> retryAfter, byte[] body, Instant now) {
        return Stream.concat(retryAfter.flatMap(value -> fromHeader(value.strip(), now)).stream(), fromBody(body))
                .max(Instant::compareTo)
                .map(reset -> Duration.between(now, reset))
                .map(wait -> wait.compareTo(SHORTEST) < 0 ? SHORTEST : wait);
    }

    private static Optional<Instant> fromHeader(String value, Instant now) {
        if (SECONDS.matcher(value).matches()) {
            return Optional.of(now.plusSeconds(Long.parseLong(value)));
        }
        return parse(value, DateTimeFormatter.RFC_1123_DATE_TIME);
    }

    private static Stream<Instant> fromBody(byte[] body) {
        JsonNode errors = UpstreamJson.object(body).map(object -> object.get("errors")).orElse(null);
        if (errors == null || !errors.isArray()) {
            return Stream.empty();
        }
        return StreamSupport.stream(errors.spliterator(), false)
                .map(error -> error.path("meta").path("reset_time"))
                .filter(JsonNode::isTextual)
                .flatMap(time -> parse(time.textValue(), SOUNDCLOUD_RESET_TIME).stream());
    }

    private static Optional<Instant> parse(String value, DateTimeFormatter format) {
        try {
            return Optional.of(ZonedDateTime.parse(value, format).toInstant());
        } catch (DateTimeException unreadable) {
            return Optional.empty();
        }
    }
}
