package dev.starlib.auth.soundcloud;

import io.helidon.common.buffers.BufferData;
import io.helidon.common.buffers.DataReader;
import io.helidon.common.buffers.DataWriter;
import io.helidon.common.socket.HelidonSocket;
import io.helidon.common.tls.Tls;
import io.helidon.webclient.api.ClientConnection;
import io.helidon.webclient.api.ConnectionKey;
import io.helidon.webclient.api.TcpClientConnection;
import io.helidon.webclient.api.WebClient;
import io.helidon.webclient.http1.Http1Client;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;
import java.util.function.Predicate;

/**
 * Keep-alive connections to SoundCloud, each lent to one call at a time (decision 0003). A connection goes back
 * to the pool only from the caller, only when its call was answered within its deadline and Helidon found the
 * answer complete and framed; a call given up at its deadline closes its connection, so a late answer can never
 * reach the next caller. A pooled connection is lent again only while it has been idle for less than
 * {@code keepAlive} (below SoundCloud's own idle timeout) and Helidon's idle monitor has not seen it closed:
 * that is what is known before a byte of the next request is written, and the only case in which a call takes
 * another connection instead. Nothing is ever sent twice.
 */
final class SoundCloudConnections implements AutoCloseable {

    /** Idle connections kept per origin; more calls at once than this open and close the rest. */
    static final int MAX_IDLE_PER_ORIGIN = 64;

    private static final List<String> HTTP_1_1 = List.of(Http1Client.PROTOCOL_ID);
    private static final Tls NO_TLS = Tls.builder().enabled(false).build();

    private final WebClient webClient;
    private final Duration keepAlive;
    private final LongSupplier nanoClock;
    private final Predicate<ClientConnection> looksOpen;
    private final AtomicLong opened = new AtomicLong();
    private final Map<String, Origin> origins = new ConcurrentHashMap<>();
    private final AtomicBoolean sweepScheduled = new AtomicBoolean();
    private volatile boolean closed;

    /**
     * @param nanoClock what a connection's idle time is read from
     * @param looksOpen whether an idle connection still looks open (Helidon's idle monitor: it saw no close)
     */
    SoundCloudConnections(WebClient webClient, Duration keepAlive, LongSupplier nanoClock,
                          Predicate<ClientConnection> looksOpen) {
        this.webClient = webClient;
        this.keepAlive = keepAlive;
        this.nanoClock = nanoClock;
        this.looksOpen = looksOpen;
    }

    /** How many connections have been opened to SoundCloud since the start. */
    long opened() {
        return opened.get();
    }

    WebClient webClient() {
        return webClient;
    }

    /** Whether calls reuse connections at all ({@code SOUNDCLOUD_KEEP_ALIVE_SECONDS=0}: never). */
    boolean reuses() {
        return !keepAlive.isZero();
    }

    /** A lease for one call to {@code endpoint}'s origin; its connection is taken or opened by {@link Lease#open()}. */
    Lease lease(URI endpoint) {
        return new Lease(origin(endpoint));
    }

    /** How many idle connections the pool holds that Helidon's idle monitor has not seen closed. */
    int idleLookingOpen() {
        return origins.values().stream().mapToInt(Origin::lookingOpen).sum();
    }

    private Origin origin(URI endpoint) {
        String scheme = endpoint.getScheme().toLowerCase(Locale.ROOT);
        int port = endpoint.getPort() != -1 ? endpoint.getPort() : scheme.equals("https") ? 443 : 80;
        String host = endpoint.getHost();
        return origins.computeIfAbsent(scheme + "://" + host + ":" + port,
                key -> new Origin(ConnectionKey.create(scheme, host, port,
                        scheme.equals("https") ? webClient.prototype().tls() : NO_TLS,
                        webClient.prototype().dnsResolver(), webClient.prototype().dnsAddressLookup(),
                        webClient.prototype().proxy())));
    }

    /** Closes every idle connection; calls in flight keep theirs and close them when done. */
    @Override
    public void close() {
        closed = true;
        origins.values().forEach(origin -> origin.closeIf(idle -> true));
    }

    private void scheduleSweep() {
        if (sweepScheduled.compareAndSet(false, true)) {
            CompletableFuture.delayedExecutor(keepAlive.toNanos(), TimeUnit.NANOSECONDS,
                    command -> Thread.ofVirtual().name("soundcloud-connection-sweep").start(command)).execute(this::sweep);
        }
    }

    /** Closes what has idled too long, so that a quiet service holds no socket SoundCloud has given up on. */
    private void sweep() {
        sweepScheduled.set(false);
        long now = nanoClock.getAsLong();
        boolean anyLeft = false;
        for (Origin origin : origins.values()) {
            origin.closeIf(idle -> expired(idle, now));
            anyLeft |= origin.size() > 0;
        }
        if (anyLeft && !closed) {
            scheduleSweep();
        }
    }

    private boolean expired(Idle idle, long now) {
        return now - idle.since >= keepAlive.toNanos();
    }

    private record Idle(TcpClientConnection connection, long since) {
    }

    /** The idle connections to one scheme, host and port; the most recently used is lent first. */
    private final class Origin {
        private final ConnectionKey key;
        private final ReentrantLock lock = new ReentrantLock();
        private final Deque<Idle> idle = new ArrayDeque<>();

        Origin(ConnectionKey key) {
            this.key = key;
        }

        /** A connection known to be open and young enough, or null; the others are closed on the way. */
        TcpClientConnection take() {
            long now = nanoClock.getAsLong();
            List<TcpClientConnection> stale = new ArrayList<>();
            TcpClientConnection found = null;
            lock.lock();
            try {
                Idle candidate;
                while (found == null && (candidate = idle.pollFirst()) != null) {
                    if (expired(candidate, now)) {
                        // The rest are older still.
                        stale.add(candidate.connection);
                        idle.forEach(older -> stale.add(older.connection));
                        idle.clear();
                    } else if (!looksOpen.test(candidate.connection)) {
                        stale.add(candidate.connection); // SoundCloud closed it while it idled
                    } else {
                        found = candidate.connection;
                    }
                }
            } finally {
                lock.unlock();
            }
            stale.forEach(TcpClientConnection::closeResource);
            return found;
        }

        TcpClientConnection connect() {
            // The connection's own release is never used: LeasedConnection decides, and the caller pools.
            TcpClientConnection connection = TcpClientConnection.create(webClient, key, HTTP_1_1, unused -> false,
                    unused -> {
                    }).connect();
            opened.incrementAndGet();
            return connection;
        }

        void giveBack(TcpClientConnection connection) {
            if (closed || !connection.isConnected()) {
                connection.closeResource();
                return;
            }
            // Helidon's idle monitor reads ahead on an idle socket to see it closed; it gives up after the
            // socket's read timeout, so that must outlast the time the pool keeps it.
            connection.readTimeout(keepAlive.plusSeconds(1));
            connection.helidonSocket().idle();
            TcpClientConnection surplus = null;
            lock.lock();
            try {
                idle.offerFirst(new Idle(connection, nanoClock.getAsLong()));
                if (idle.size() > MAX_IDLE_PER_ORIGIN) {
                    surplus = idle.pollLast().connection;
                }
            } finally {
                lock.unlock();
            }
            if (surplus != null) {
                surplus.closeResource();
            }
            scheduleSweep();
        }

        void closeIf(Predicate<Idle> condition) {
            List<TcpClientConnection> closing = new ArrayList<>();
            lock.lock();
            try {
                idle.removeIf(entry -> {
                    if (condition.test(entry)) {
                        closing.add(entry.connection);
                        return true;
                    }
                    return false;
                });
            } finally {
                lock.unlock();
            }
            closing.forEach(TcpClientConnection::closeResource);
        }

        int lookingOpen() {
            lock.lock();
            try {
                return (int) idle.stream().filter(entry -> looksOpen.test(entry.connection)).count();
            } finally {
                lock.unlock();
            }
        }

        int size() {
            lock.lock();
            try {
                return idle.size();
            } finally {
                lock.unlock();
            }
        }
    }

    /**
     * One call's use of one connection. The exchange's thread {@link #open opens} it; the caller either
     * {@link #finish finishes} it (in time: back to the pool if reusable, else closed) or {@link #abandon abandons}
     * it (late: closed, whatever the exchange is doing with it).
     */
    final class Lease {
        private final Origin origin;
        private final ReentrantLock lock = new ReentrantLock();
        private TcpClientConnection connection;
        private boolean abandoned;
        private boolean finished;
        private volatile boolean reusable;
        private volatile boolean reused;
        private volatile boolean sent;
        private volatile boolean retried;

        private Lease(Origin origin) {
            this.origin = origin;
        }

        /**
         * A pooled connection, or a fresh one when none is fit; throws what connecting threw (nothing was sent).
         * Whatever it returns is this call's alone.
         */
        ClientConnection open() {
            TcpClientConnection taken = reuses() ? origin.take() : null;
            return lend(taken != null ? taken : origin.connect(), taken != null);
        }

        /**
         * The call's one second chance, after a failure on a pooled connection before any byte of the request went
         * to its socket: that connection is closed and a fresh one opened, which nothing was ever written to.
         */
        ClientConnection reopen() {
            TcpClientConnection failed;
            lock.lock();
            try {
                if (!reused || sent || retried) {
                    throw new IllegalStateException("only an unsent request on a pooled connection goes again");
                }
                retried = true;
                failed = connection;
                connection = null;
            } finally {
                lock.unlock();
            }
            failed.closeResource();
            return lend(origin.connect(), false);
        }

        /** The connection becomes this call's, unless the caller gave up meanwhile: then it is closed. */
        private ClientConnection lend(TcpClientConnection opened, boolean pooled) {
            lock.lock();
            try {
                if (abandoned) {
                    opened.closeResource();
                    throw new IllegalStateException("the call was given up while its connection opened");
                }
                connection = opened;
                reused = pooled;
                reusable = false;
            } finally {
                lock.unlock();
            }
            return new LeasedConnection(opened, this);
        }

        /** Whether a failure may go again: it was on a pooled connection and not a byte of the request was sent. */
        boolean failedUnsent() {
            return reused && !sent && !retried && !abandoned;
        }

        /** From here on SoundCloud may have the request: nothing of this call may go again. */
        private void sent() {
            sent = true;
        }

        /** The exchange read an answer whose end is known from its framing: nothing of it is left on the wire. */
        void markReusable() {
            reusable = true;
        }

        void markSpent() {
            reusable = false;
        }

        /** The caller has its answer in time: the connection goes back to the pool if it can serve another call. */
        void finish() {
            TcpClientConnection done;
            lock.lock();
            try {
                if (abandoned || finished) {
                    return;
                }
                finished = true;
                done = connection;
            } finally {
                lock.unlock();
            }
            if (done == null) {
                return;
            }
            if (reusable && reuses()) {
                origin.giveBack(done);
            } else {
                done.closeResource();
            }
        }

        /** The caller stopped waiting: the connection is closed now, so nothing that arrives later is read by anyone. */
        void abandon() {
            TcpClientConnection late;
            lock.lock();
            try {
                if (abandoned || finished) {
                    return;
                }
                abandoned = true;
                late = connection;
            } finally {
                lock.unlock();
            }
            if (late != null) {
                late.closeResource();
            }
        }
    }

    /**
     * The connection as Helidon sees it during one call. Helidon releases it when an answer was read to its end
     * (and closes it otherwise): that release only marks the lease reusable; pooling is the caller's decision.
     */
    private static final class LeasedConnection implements ClientConnection {
        private final TcpClientConnection delegate;
        private final Lease lease;
        private final DataWriter writer;

        LeasedConnection(TcpClientConnection delegate, Lease lease) {
            this.delegate = delegate;
            this.lease = lease;
            this.writer = new RequestWriter(delegate.writer(), lease);
        }

        @Override
        public DataReader reader() {
            return delegate.reader();
        }

        @Override
        public DataWriter writer() {
            return writer;
        }

        @Override
        public String channelId() {
            return delegate.channelId();
        }

        @Override
        public HelidonSocket helidonSocket() {
            return delegate.helidonSocket();
        }

        @Override
        public void readTimeout(Duration readTimeout) {
            delegate.readTimeout(readTimeout);
        }

        @Override
        public boolean isConnected() {
            return delegate.isConnected();
        }

        @Override
        public boolean allowExpectContinue() {
            return delegate.allowExpectContinue();
        }

        @Override
        public void allowExpectContinue(boolean allowExpectContinue) {
            delegate.allowExpectContinue(allowExpectContinue);
        }

        @Override
        public void releaseResource() {
            lease.markReusable();
        }

        @Override
        public void closeResource() {
            lease.markSpent();
            delegate.closeResource();
        }
    }

    /**
     * Holds what Helidon writes until it flushes, then hands it to the socket in one write, so that the lease knows
     * whether the request can have reached SoundCloud: not before a socket write returned.
     */
    private static final class RequestWriter implements DataWriter {
        private final DataWriter socket;
        private final Lease lease;
        private BufferData pending;

        RequestWriter(DataWriter socket, Lease lease) {
            this.socket = socket;
            this.lease = lease;
        }

        @Override
        public void write(BufferData... buffers) {
            for (BufferData buffer : buffers) {
                write(buffer);
            }
        }

        @Override
        public void write(BufferData buffer) {
            if (pending == null) {
                pending = BufferData.growing(Math.max(512, buffer.available()));
            }
            pending.write(buffer);
        }

        @Override
        public void writeNow(BufferData... buffers) {
            write(buffers);
            flush();
        }

        @Override
        public void writeNow(BufferData buffer) {
            write(buffer);
            flush();
        }

        @Override
        public void flush() {
            BufferData out = pending;
            pending = null;
            if (out != null && out.available() > 0) {
                // A write that throws leaves SoundCloud at most part of a request, which no HTTP server acts on; one
                // that returns may have delivered all of it.
                socket.writeNow(out);
                lease.sent();
            }
            socket.flush();
        }
    }
}
