package dev.starlib.auth.soundcloud;

import io.helidon.common.buffers.DataReader;
import io.helidon.http.HeaderNames;
import io.helidon.webclient.api.HttpClientResponse;

import javax.net.ssl.SSLException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One HTTP exchange with SoundCloud, bounded in time and in size. Helidon's read timeout limits each socket
 * read, not the exchange: a server that sends a byte now and then holds a caller for as long as it likes
 * (on 4.5.0 a body dribbled over 4 s passed a 500 ms read timeout). So the exchange runs on its own virtual
 * thread and the caller waits at most the timeout for all of it; a late exchange is interrupted, which
 * closes its socket.
 */
final class BoundedExchange {

    /** More than any token or user answer needs; a bigger body is not one of those. */
    static final int MAX_BODY_BYTES = 64 * 1024;

    /** How an exchange ended, before anyone has looked at what the body means. */
    sealed interface Reply {
        /**
         * A complete answer. The body is read only where it carries meaning (2xx, 400, 401, 429); else empty.
         * {@code retryAfter} is the {@code Retry-After} header as sent, if any.
         */
        record Answered(int status, byte[] body, Optional<String> retryAfter) implements Reply {
            Answered(int status, byte[] body) {
                this(status, body, Optional.empty());
            }
        }

        record Oversized(int status) implements Reply {
        }

        /** No usable HTTP answer: the reason is fixed text, never an exception message. */
        record Failed(String reason) implements Reply {
        }

        record TimedOut() implements Reply {
        }
    }

    private final Duration timeout;

    BoundedExchange(Duration timeout) {
        this.timeout = timeout;
    }

    /** Sends the request {@code send} makes and reads its answer, all within the timeout. */
    Reply run(Callable<HttpClientResponse> send) {
        FutureTask<Reply> exchange = new FutureTask<>(() -> receive(send));
        Thread.ofVirtual().name("soundcloud-exchange").start(exchange);
        try {
            return exchange.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException late) {
            exchange.cancel(true);
            return new Reply.TimedOut();
        } catch (InterruptedException interrupted) {
            exchange.cancel(true);
            Thread.currentThread().interrupt();
            return new Reply.Failed("interrupted");
        } catch (ExecutionException failed) {
            return failure(failed.getCause());
        }
    }

    private static Reply receive(Callable<HttpClientResponse> send) throws Exception {
        try (HttpClientResponse response = send.call()) {
            int status = response.status().code();
            Optional<String> retryAfter = response.headers().first(HeaderNames.RETRY_AFTER);
            if (!carriesMeaning(status)) {
                return new Reply.Answered(status, new byte[0], retryAfter);
            }
            byte[] body = readBody(response);
            return body.length > MAX_BODY_BYTES ? new Reply.Oversized(status)
                    : new Reply.Answered(status, body, retryAfter);
        }
    }

    /** At most one byte more than {@link #MAX_BODY_BYTES}: enough to tell that a body is too big. */
    private static byte[] readBody(HttpClientResponse response) throws IOException {
        byte[] buffer = new byte[MAX_BODY_BYTES + 1];
        int length = 0;
        InputStream in = response.inputStream();
        try {
            while (length < buffer.length) {
                int read = in.read(buffer, length, buffer.length - length);
                if (read < 0) {
                    break;
                }
                length += read;
            }
        } catch (DataReader.InsufficientDataAvailableException endOfStream) {
            // Helidon 4.5 reports the end of a body that the server ends by closing the connection (no length,
            // not chunked; RFC 9112 §6.3) with this exception instead of -1. Anywhere else it means cut short.
            if (!isCloseDelimited(response)) {
                throw endOfStream;
            }
        }
        return Arrays.copyOf(buffer, length);
    }

    private static boolean isCloseDelimited(HttpClientResponse response) {
        return !response.headers().contains(HeaderNames.CONTENT_LENGTH)
                && !response.headers().contains(HeaderNames.TRANSFER_ENCODING);
    }

    private static boolean carriesMeaning(int status) {
        return (status >= 200 && status < 300) || status == 400 || status == 401 || status == 429;
    }

    private static Reply failure(Throwable failure) {
        if (failure instanceof Error error) {
            throw error;
        }
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            // A connect or read that outlasted the socket timeouts (set to the same timeout) is a timeout too.
            if (cause instanceof InterruptedIOException) {
                return new Reply.TimedOut();
            }
            if (cause instanceof SSLException) {
                return new Reply.Failed("tls failure");
            }
        }
        return new Reply.Failed("connection failed");
    }
}
