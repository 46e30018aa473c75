package dev.starlib.auth.store.redis;

import dev.starlib.auth.application.port.AuthEvents;
import dev.starlib.auth.application.port.SessionStoreException;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.event.connection.ConnectionActivatedEvent;
import io.lettuce.core.event.connection.ConnectionDeactivatedEvent;
import io.lettuce.core.protocol.ProtocolKeyword;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import io.lettuce.core.resource.DefaultClientResources;
import reactor.core.Disposable;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

import static java.lang.System.Logger.Level.INFO;
import static java.lang.System.Logger.Level.WARNING;

/**
 * The one connection to Redis that the whole process shares (Lettuce multiplexes every caller's commands over it).
 * <ul>
 *   <li>Every command is bounded by {@code REDIS_TIMEOUT_MS}, connecting too, instead of Lettuce's 60 s.</li>
 *   <li>While the connection is down, commands fail at once rather than queue: the caller answers 503 and nothing
 *       it asked for can run later, after it gave up.</li>
 *   <li>Lettuce reconnects by itself, retrying every 50 ms to 1 s; through Sentinel it asks for the primary
 *       anew each time, so a failover is followed without a restart.</li>
 *   <li>Each command's latency and each reconnection are reported through {@link AuthEvents}.</li>
 * </ul>
 */
final class RedisConnection implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(RedisConnection.class.getName());
    /** The commands' names as the metrics tag them, worked out once per command (Lettuce's, a few dozen). */
    private static final Map<ProtocolKeyword, String> NAMES = new ConcurrentHashMap<>();

    private final String where;
    private final Duration timeout;
    private final AuthEvents events;
    private final ClientResources resources;
    private final RedisClient client;
    private final StatefulRedisConnection<byte[], byte[]> connection;
    private final Disposable watcher;
    private final AtomicBoolean lost;

    private RedisConnection(String where, Duration timeout, AuthEvents events, ClientResources resources,
                            RedisClient client, StatefulRedisConnection<byte[], byte[]> connection, Disposable watcher,
                            AtomicBoolean lost) {
        this.lost = lost;
        this.where = where;
        this.timeout = timeout;
        this.events = events;
        this.resources = resources;
        this.client = client;
        this.connection = connection;
        this.watcher = watcher;
    }

    /** @throws SessionStoreException when Redis cannot be reached within the timeout */
    static RedisConnection open(RedisSettings settings, AuthEvents events) {
        Duration timeout = settings.timeout();
        String where = settings.location().describe();
        ClientResources resources = DefaultClientResources.builder()
                .commandLatencyRecorder((local, remote, command, firstResponse, completion) ->
                        events.storeCommand(NAMES.computeIfAbsent(command,
                                keyword -> keyword.toString().toLowerCase(Locale.ROOT)), Duration.ofNanos(completion)))
                .reconnectDelay(Delay.exponential(Duration.ofMillis(50), Duration.ofSeconds(1), 2, TimeUnit.MILLISECONDS))
                .build();
        RedisClient client = RedisClient.create(resources);
        client.setOptions(ClientOptions.builder()
                .autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .timeoutOptions(TimeoutOptions.enabled(timeout))
                .socketOptions(SocketOptions.builder().connectTimeout(timeout).keepAlive(true).build())
                .build());
        RedisURI uri = settings.location().toUri();
        uri.setTimeout(timeout);
        AtomicBoolean lost = new AtomicBoolean();
        Disposable watcher = resources.eventBus().get().subscribe(event -> {
            if (event instanceof ConnectionDeactivatedEvent && lost.compareAndSet(false, true)) {
                LOG.log(WARNING, "lost the connection to Redis at " + where + "; reconnecting, and answering 503 "
                        + "store_unavailable meanwhile");
            } else if (event instanceof ConnectionActivatedEvent && lost.compareAndSet(true, false)) {
                LOG.log(INFO, "reconnected to Redis at " + where);
                events.storeReconnected();
            }
        });
        try {
            StatefulRedisConnection<byte[], byte[]> connection = client.connect(ByteArrayCodec.INSTANCE, uri);
            return new RedisConnection(where, timeout, events, resources, client, connection, watcher, lost);
        } catch (RuntimeException e) {
            watcher.dispose();
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
            resources.shutdown(0, 2, TimeUnit.SECONDS);
            throw new SessionStoreException("cannot connect to Redis at " + where + " within " + timeout.toMillis()
                    + " ms: " + reason(e), e);
        }
    }

    RedisAsyncCommands<byte[], byte[]> commands() {
        return connection.async();
    }

    String where() {
        return where;
    }

    /** How long one command may take before Lettuce gives up on it. */
    Duration timeout() {
        return timeout;
    }

    /**
     * The command's answer, or a {@link SessionStoreException} that says why there is none (counted as a store
     * error of {@code operation}). Lettuce bounds each command itself; the wait here is only a backstop.
     */
    <T> T await(RedisFuture<T> future, String operation) {
        try {
            return awaitOrThrow(future);
        } catch (RedisException | TimeoutException e) {
            throw failed(operation, e);
        }
    }

    /** Like {@link #await}, but hands a failure of Redis's back for the caller to look at. */
    <T> T awaitOrThrow(RedisFuture<T> future) throws TimeoutException {
        try {
            return future.get(timeout.toMillis() * 2 + 1_000, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RedisException redis) {
                throw redis;
            }
            throw new RedisException(cause == null ? "failed" : cause.getClass().getSimpleName(), cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            future.cancel(true);
            throw new RedisException("interrupted while waiting for Redis", e);
        } catch (TimeoutException e) {
            future.cancel(true);
            throw e;
        }
    }

    SessionStoreException failed(String operation, Exception cause) {
        events.storeError(operation);
        String reason = cause instanceof RedisCommandTimeoutException || cause instanceof TimeoutException
                ? "no answer within " + timeout.toMillis() + " ms" : reason(cause);
        return new SessionStoreException("Redis at " + where + " could not " + operation + ": " + reason, cause);
    }

    @Override
    public void close() {
        watcher.dispose();
        try {
            connection.close();
        } finally {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
            resources.shutdown(0, 2, TimeUnit.SECONDS);
        }
    }

    /** Lettuce's message and Redis's error text name hosts and commands, never a value we sent. */
    private static String reason(Throwable e) {
        String message = e.getMessage();
        if (message == null || message.isBlank()) {
            return e.getClass().getSimpleName();
        }
        return message.length() > 200 ? message.substring(0, 200) + "…" : message;
    }

    @Override
    public String toString() {
        return "RedisConnection[" + where + (lost.get() ? ", reconnecting" : "") + "]";
    }
}
