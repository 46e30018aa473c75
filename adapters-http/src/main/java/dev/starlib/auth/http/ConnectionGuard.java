package dev.starlib.auth.http;

import dev.starlib.auth.application.port.AuthEvents;
import dev.starlib.auth.http.client.ClientAddress;
import dev.starlib.auth.http.client.TrustedProxies;
import io.helidon.common.socket.SocketOptions;
import io.helidon.http.Header;
import io.helidon.http.Headers;
import io.helidon.http.Status;
import io.helidon.webserver.ConnectionContext;
import io.helidon.webserver.http1.Http1Config;
import io.helidon.webserver.http1.Http1ConnectionListener;
import io.helidon.common.buffers.BufferData;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketOption;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Bounds what a slow or greedy client can hold open, where Helidon 4.5 does not: a connection that has not sent a
 * whole request head within {@code headTimeout} is closed (Helidon's idle timeout, which bounds the wait between
 * requests, only starts counting after the request line, and not at all before the first byte), and a client (a TCP
 * peer, IPv6 per /64) may hold at most {@code perClient} connections; one more is answered {@code 429} and closed.
 * Trusted proxies are exempt from the cap: every client behind them shares their address.
 * <p>
 * It sits in two places Helidon offers: the accepted socket passes through {@link #socketOptions()} (where the
 * connection is counted and its head deadline starts), and the HTTP/1 listeners of {@link #http1()} say when a
 * head is complete and when a response has gone out (after which the next request's first byte starts the next
 * deadline). A sweeper closes the connections past their deadline and forgets the ones Helidon has closed.
 */
public final class ConnectionGuard implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(ConnectionGuard.class.getName());
    static final Duration SWEEP = Duration.ofMillis(200);

    private final Duration headTimeout;
    private final int perClient;
    private final TrustedProxies exempt;
    private final AuthEvents events;
    private final Clock clock;
    private final Map<SocketAddress, Connection> connections = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> openByClient = new ConcurrentHashMap<>();
    private final ScheduledExecutorService sweeper;

    /** One open connection: whose it is, and since when its current request head has been coming in (or null). */
    private static final class Connection {
        final SocketChannel channel;
        final ClientAddress client;
        final boolean counted;
        volatile Instant headSince;
        volatile boolean responded;

        Connection(SocketChannel channel, ClientAddress client, boolean counted, Instant headSince) {
            this.channel = channel;
            this.client = client;
            this.counted = counted;
            this.headSince = headSince;
        }
    }

    public ConnectionGuard(Duration headTimeout, int perClient, TrustedProxies exempt, AuthEvents events, Clock clock) {
        if (headTimeout.isNegative() || headTimeout.isZero() || perClient < 1) {
            throw new IllegalArgumentException("a head timeout is positive and a client may hold one connection or more");
        }
        this.headTimeout = headTimeout;
        this.perClient = perClient;
        this.exempt = exempt;
        this.events = events;
        this.clock = clock;
        this.sweeper = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name("connection-guard").factory());
        sweeper.scheduleWithFixedDelay(this::sweep, SWEEP.toMillis(), SWEEP.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Helidon's default socket options, with every accepted connection counted and its first deadline set. */
    public SocketOptions socketOptions() {
        SocketOptions defaults = SocketOptions.create();
        return new GuardedOptions(defaults);
    }

    /** HTTP/1 with the listeners that tell the guard when a head is complete and when a response went out. */
    public Http1Config http1() {
        Http1ConnectionListener listener = new HeadListener();
        return Http1Config.builder().addReceiveListener(listener).addSendListener(listener).build();
    }

    /** Open connections the guard knows of, for tests and the curious. */
    public int openConnections() {
        return connections.size();
    }

    @Override
    public void close() {
        sweeper.shutdownNow();
    }

    private void accepted(SocketChannel channel) {
        SocketAddress remote;
        try {
            remote = channel.getRemoteAddress();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (!(remote instanceof InetSocketAddress inet) || inet.getAddress() == null) {
            return;
        }
        ClientAddress client = ClientAddress.of(inet.getAddress());
        boolean counted = !exempt.trusts(inet.getAddress());
        if (counted) {
            AtomicInteger open = openByClient.computeIfAbsent(client.identity(), k -> new AtomicInteger());
            if (open.incrementAndGet() > perClient) {
                release(client);
                events.clientLimited("connection", "connections", client.masked());
                refuse(channel);
                // Helidon closes a socket whose set-up failed, and never starts a handler for it.
                throw new IllegalStateException("too many connections from one client");
            }
        }
        connections.put(remote, new Connection(channel, client, counted, clock.instant()));
    }

    private void sweep() {
        try {
            Instant now = clock.instant();
            connections.forEach((remote, connection) -> {
                if (!connection.channel.isOpen()) {
                    if (connections.remove(remote, connection) && connection.counted) {
                        release(connection.client);
                    }
                    return;
                }
                Instant since = connection.headSince;
                if (since != null && Duration.between(since, now).compareTo(headTimeout) > 0) {
                    LOG.log(System.Logger.Level.DEBUG, "closing a connection from {0}: no whole request head in {1} s",
                            connection.client.masked(), headTimeout.toSeconds());
                    events.clientLimited("connection", "head_timeout", connection.client.masked());
                    connection.headSince = null;
                    closeQuietly(connection.channel);
                }
            });
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "connection guard sweep failed: " + e.getClass().getSimpleName());
        }
    }

    private void release(ClientAddress client) {
        openByClient.computeIfPresent(client.identity(), (k, open) -> open.decrementAndGet() <= 0 ? null : open);
    }

    /** A 429 problem, written straight to the socket: small enough for any send buffer, so it never blocks. */
    private static void refuse(SocketChannel channel) {
        byte[] body = ProblemWriter.bytes(Problem.tooManyRequests(
                "Too many open connections from your network. Close some, or try again in a moment."));
        StringBuilder head = new StringBuilder("HTTP/1.1 429 ").append(Status.TOO_MANY_REQUESTS_429.reasonPhrase())
                .append("\r\nContent-Type: ").append(ProblemWriter.MEDIA_TYPE)
                .append("\r\nContent-Length: ").append(body.length)
                .append("\r\nRetry-After: 1\r\nConnection: close\r\nVary: Origin\r\n")
                .append(SecurityHeaders.NO_SNIFF.name()).append(": ").append(SecurityHeaders.NO_SNIFF.get()).append("\r\n");
        for (Header header : SecurityHeaders.API) {
            head.append(header.name()).append(": ").append(header.get()).append("\r\n");
        }
        head.append("\r\n");
        try {
            channel.configureBlocking(false);
            ByteBuffer bytes = ByteBuffer.allocate(head.length() + body.length);
            bytes.put(head.toString().getBytes(StandardCharsets.ISO_8859_1)).put(body).flip();
            channel.write(bytes);
            channel.shutdownOutput();
        } catch (IOException e) {
            // The client is gone already: nothing to tell it.
        }
    }

    private static void closeQuietly(SocketChannel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            // closed anyway
        }
    }

    private final class HeadListener implements Http1ConnectionListener {

        @Override
        public void data(ConnectionContext ctx, BufferData data) {
            Connection connection = connections.get(ctx.remotePeer().address());
            if (connection != null && connection.responded) {
                // The first bytes after a response: the next request's head has begun.
                connection.responded = false;
                connection.headSince = clock.instant();
            }
        }

        @Override
        public void data(ConnectionContext ctx, byte[] bytes, int offset, int length) {
            data(ctx, (BufferData) null);
        }

        @Override
        public void headers(ConnectionContext ctx, Headers headers) {
            Connection connection = connections.get(ctx.remotePeer().address());
            if (connection != null && connection.headSince != null && !connection.responded) {
                connection.headSince = null;
            }
        }

        @Override
        public void status(ConnectionContext ctx, Status status) {
            Connection connection = connections.get(ctx.remotePeer().address());
            if (connection != null) {
                connection.headSince = null;
                connection.responded = true;
            }
        }
    }

    /** Helidon's options, plus the guard at the moment a connection is accepted. */
    private final class GuardedOptions implements SocketOptions {

        private final SocketOptions delegate;

        GuardedOptions(SocketOptions delegate) {
            this.delegate = delegate;
        }

        @Override
        public void configureSocket(SocketChannel socket) {
            delegate.configureSocket(socket);
            accepted(socket);
        }

        @Override
        public void configureSocket(java.net.Socket socket) {
            delegate.configureSocket(socket);
        }

        @Override
        public Map<SocketOption<?>, Object> socketOptions() {
            return delegate.socketOptions();
        }

        @Override
        public Duration connectTimeout() {
            return delegate.connectTimeout();
        }

        @Override
        public Duration readTimeout() {
            return delegate.readTimeout();
        }

        @Override
        public Optional<Integer> socketReceiveBufferSize() {
            return delegate.socketReceiveBufferSize();
        }

        @Override
        public Optional<Integer> socketSendBufferSize() {
            return delegate.socketSendBufferSize();
        }

        @Override
        public boolean socketReuseAddress() {
            return delegate.socketReuseAddress();
        }

        @Override
        public boolean socketKeepAlive() {
            return delegate.socketKeepAlive();
        }

        @Override
        public boolean tcpNoDelay() {
            return delegate.tcpNoDelay();
        }
    }
}
