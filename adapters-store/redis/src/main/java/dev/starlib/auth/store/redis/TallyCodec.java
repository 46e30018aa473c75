package dev.starlib.auth.store.redis;

import dev.starlib.auth.domain.GuessingBackoff;
import dev.starlib.auth.domain.TokenBucket;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * What a client tally is in Redis: one short ASCII line per kind, with the instant the tally may be forgotten
 * first. A tally holds counts and instants of a client known only by its keyed hash, never an address or a secret,
 * so it is not sealed.
 * <pre>
 *   b forgetAt tokens at                       a rate limit's bucket (TokenBucket)
 *   g forgetAt failures lastFailure waitUntil  wrong admin passwords (GuessingBackoff)
 * </pre>
 * Instants are {@code <epoch second>.<nanos>}; a bucket's tokens are Java's exact decimal form of the double.
 */
final class TallyCodec {

    private TallyCodec() {
    }

    record Decoded(Object state, Instant forgetAt) {
    }

    static byte[] encode(Object state, Instant forgetAt) {
        String line = switch (state) {
            case TokenBucket bucket -> "b " + instant(forgetAt) + " " + Double.toString(bucket.tokens()) + " "
                    + instant(bucket.at());
            case GuessingBackoff backoff -> "g " + instant(forgetAt) + " " + backoff.failures() + " "
                    + instant(backoff.lastFailure()) + " " + instant(backoff.waitUntil());
            default -> throw new IllegalArgumentException("no Redis encoding for a tally of "
                    + state.getClass().getSimpleName());
        };
        return line.getBytes(StandardCharsets.US_ASCII);
    }

    /** @throws IllegalArgumentException for a value this version cannot read */
    static Decoded decode(byte[] value) {
        String[] parts = new String(value, StandardCharsets.US_ASCII).split(" ");
        try {
            return switch (parts[0]) {
                case "b" -> {
                    require(parts, 4);
                    yield new Decoded(new TokenBucket(Double.parseDouble(parts[2]), instant(parts[3])), instant(parts[1]));
                }
                case "g" -> {
                    require(parts, 5);
                    yield new Decoded(new GuessingBackoff(Integer.parseInt(parts[2]), instant(parts[3]),
                            instant(parts[4])), instant(parts[1]));
                }
                default -> throw new IllegalArgumentException("an unknown kind of tally");
            };
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("not a tally this version can read", e);
        }
    }

    private static void require(String[] parts, int count) {
        if (parts.length != count) {
            throw new IllegalArgumentException("a tally of " + parts.length + " fields");
        }
    }

    private static String instant(Instant at) {
        return at.getEpochSecond() + "." + at.getNano();
    }

    private static Instant instant(String text) {
        int dot = text.indexOf('.');
        return Instant.ofEpochSecond(Long.parseLong(text.substring(0, dot)), Long.parseLong(text.substring(dot + 1)));
    }
}
