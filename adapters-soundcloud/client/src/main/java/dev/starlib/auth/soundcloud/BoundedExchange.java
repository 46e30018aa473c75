package dev.starlib.auth.soundcloud;

import io.helidon.common.buffers.DataReader;
import io.helidon.http.HeaderNames;
import io.helidon.webclient.api.ClientConnection;
import io.helidon.webclient.api.HttpClientResponse;

import javax.net.ssl.SSLException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * One HTTP exchange with SoundCloud, bounded in time and in size. Helidon's read timeout limits each socket
 * read, not the exchange: a server that sends a byte now and then holds a caller for as long as it likes
 * (on 4.5.0 a body dribbled over 4 s passed a 500 ms read timeout). So the exchange runs on its own virtual
 * thread and the caller waits at most the timeout for all of it; a late exchange's connection is closed and its
 * thread interrupted. Its connection comes from {@link SoundCloudConnections} and goes back there only when the
 * caller got its answer in time.
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

    /** What a body buffer starts at when the answer does not say its length; token and user answers fit. */
    static final int INITIAL_BODY_BUFFER = 1024;

    private final Duration timeout;
    private final SoundCloudConnections connections;

    BoundedExchange(Duration timeout, SoundCloudConnections connections) {
        this.timeout = timeout;
        this.connections = connections;
    }

    /** Sends the request {@code send} makes on the connection it is given, and reads its answer, all within the timeout. */
    Reply run(URI endpoint, Function<ClientConnection, HttpClientResponse> send) {
        SoundCloudConnections.Lease lease = connections.lease(endpoint);
        FutureTask<Reply> exchange = new FutureTask<>(() -> receive(lease, send));
        Thread.ofVirtual().name("soundcloud-exchange").start(exchange);
        try {
            Reply reply = exchange.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
            lease.finish();
            return reply;
        } catch (TimeoutException late) {
            // Closed before anyone else can have it: whatever SoundCloud still sends is read by nobody.
            lease.abandon();
            exchange.cancel(true);
            return new Reply.TimedOut();
        } catch (InterruptedException interrupted) {
            lease.abandon();
            exchange.cancel(true);
            Thread.currentThread().interrupt();
            return new Reply.Failed("interrupted");
        } catch (ExecutionException failed) {
            lease.finish();
            return failure(failed.getCause());
        }
    }

    /**
     * The exchange on the lease's connection. A pooled connection that fails before a byte of the request reached its
     * socket (SoundCloud closed it while it idled, and the idle monitor had not seen it yet) is the one case where
     * the call goes again, once, on a fresh connection: SoundCloud cannot have seen any of it. After that first byte,
     * a failure is the call's answer, whatever it carried.
     */
    private static Reply receive(SoundCloudConnections.Lease lease, Function<ClientConnection, HttpClientResponse> send)
            throws IOException {
        ClientConnection connection = lease.open();
        try {
            return answer(lease, connection, send);
        } catch (IOException | RuntimeException failed) {
            if (!lease.failedUnsent()) {
                throw failed;
            }
            return answer(lease, lease.reopen(), send);
        }
    }

    private static Reply answer(SoundCloudConnections.Lease lease, ClientConnection connection,
                                Function<ClientConnection, HttpClientResponse> send) throws IOException {
        boolean framed;
        Reply reply;
        try (HttpClientResponse response = send.apply(connection)) {
            framed = isFramed(response);
            int status = response.status().code();
            Optional<String> retryAfter = response.headers().first(HeaderNames.RETRY_AFTER);
            if (!carriesMeaning(status)) {
                reply = new Reply.Answered(status, new byte[0], retryAfter);
            } else {
                byte[] body = readBody(response);
                reply = body.length > MAX_BODY_BYTES ? new Reply.Oversized(status)
                        : new Reply.Answered(status, body, retryAfter);
            }
        }
        if (!framed) {
            // Its end was the connection's end: even if Helidon released it, there is nothing left to reuse.
            lease.markSpent();
        }
        return reply;
    }

    /**
     * At most one byte more than {@link #MAX_BODY_BYTES}: enough to tell that a body is too big. The buffer starts
     * at the announced length (or {@link #INITIAL_BODY_BUFFER}) and doubles as the body goes on.
     */
    private static byte[] readBody(HttpClientResponse response) throws IOException {
        long announced = response.headers().contentLength().orElse(-1);
        int limit = MAX_BODY_BYTES + 1;
        byte[] buffer = new byte[announced >= 0 ? (int) Math.min(announced + 1, limit) : INITIAL_BODY_BUFFER];
        int length = 0;
        InputStream in = response.inputStream();
        try {
            while (length < limit) {
                if (length == buffer.length) {
                    buffer = Arrays.copyOf(buffer, Math.min(buffer.length * 2, limit));
                }
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
        return length == buffer.length ? buffer : Arrays.copyOf(buffer, length);
    }

    private static boolean isCloseDelimited(HttpClientResponse response) {
        return !isFramed(response);
    }

    /** The answer says where it ends (RFC 9112 §6.3): a length, or chunks. */
    private static boolean isFramed(HttpClientResponse response) {
        return response.headers().contains(HeaderNames.CONTENT_LENGTH)
                || response.headers().contains(HeaderNames.TRANSFER_ENCODING);
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
