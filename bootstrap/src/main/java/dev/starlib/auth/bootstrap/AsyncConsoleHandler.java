package dev.starlib.auth.bootstrap;

import io.helidon.logging.jul.HelidonFormatter;

import java.io.BufferedOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.logging.ErrorManager;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * The console handler of {@code logging.properties}: a request only puts its record in a bounded queue and goes
 * on; one writer thread formats the records, writes them to standard output in order and flushes once the queue
 * is empty. A request never waits for the console (issue 12: three synchronous, flushed lines per login were a
 * third of its CPU samples, and a slow reader of the output would have held every request).
 *
 * <p>When the output cannot keep up, records below WARNING are dropped once the queue is three quarters full, so
 * the last quarter is kept for warnings and errors; a warning is dropped only when even that is full. Nothing is
 * dropped silently: each drop is counted ({@link #dropped}, on {@code /observe/metrics}), and the writer says how
 * many it lost, at WARNING, as soon as it catches up. {@link #flush()} waits (a bounded time) until everything
 * queued is written: what a process about to halt calls. After {@link #close()} records are written at once.
 */
public final class AsyncConsoleHandler extends Handler {

    /** Records the queue holds; a login writes three. */
    static final int DEFAULT_CAPACITY = 8192;

    /** The most {@link #flush()} waits for the writer. */
    static final Duration FLUSH_WAIT = Duration.ofSeconds(2);

    /** What was dropped, by severity. */
    enum Severity {
        BELOW_WARNING, WARNING_OR_ABOVE
    }

    private final PrintStream out;
    private final BlockingQueue<LogRecord> queue;
    private final int belowWarningLimit;
    private final AtomicLong droppedBelowWarning = new AtomicLong();
    private final AtomicLong droppedWarnings = new AtomicLong();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition drained = lock.newCondition();
    private final Thread writer;
    private long written;
    private long accepted;
    private long reportedBelowWarning;
    private long reportedWarnings;
    private volatile boolean closed;

    /** What {@code logging.properties} makes: standard output, Helidon's one-line format. */
    public AsyncConsoleHandler() {
        // Buffered here and flushed once per batch: System.out itself flushes at every line.
        this(new PrintStream(new BufferedOutputStream(System.out, 64 * 1024), false, System.out.charset()),
                DEFAULT_CAPACITY);
        String level = LogManager.getLogManager().getProperty(AsyncConsoleHandler.class.getName() + ".level");
        setLevel(level == null ? Level.ALL : Level.parse(level.strip()));
    }

    AsyncConsoleHandler(OutputStream out, int capacity) {
        this.out = out instanceof PrintStream print ? print : new PrintStream(out, false, StandardCharsets.UTF_8);
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.belowWarningLimit = capacity - capacity / 4;
        setFormatter(new HelidonFormatter());
        writer = Thread.ofPlatform().daemon().name("log-writer").start(this::writeAll);
    }

    @Override
    public void publish(LogRecord record) {
        if (record == null || !isLoggable(record)) {
            return;
        }
        if (closed) {
            writeNow(List.of(record));
            return;
        }
        boolean serious = record.getLevel().intValue() >= Level.WARNING.intValue();
        // Below WARNING stops at three quarters: the rest of the queue is kept for what an operator must see.
        if (!serious && queue.size() >= belowWarningLimit) {
            droppedBelowWarning.incrementAndGet();
            return;
        }
        lock.lock();
        try {
            if (queue.offer(record)) {
                accepted++;
                return;
            }
        } finally {
            lock.unlock();
        }
        (serious ? droppedWarnings : droppedBelowWarning).incrementAndGet();
    }

    /** Records dropped since the start because the output could not keep up. */
    long dropped(Severity severity) {
        return severity == Severity.BELOW_WARNING ? droppedBelowWarning.get() : droppedWarnings.get();
    }

    /** Waits, at most {@link #FLUSH_WAIT}, until every record accepted so far is written and flushed. */
    @Override
    public void flush() {
        lock.lock();
        try {
            long target = accepted;
            long deadline = System.nanoTime() + FLUSH_WAIT.toNanos();
            while (written < target && writer.isAlive()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return;
                }
                drained.awaitNanos(left);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            lock.unlock();
        }
    }

    /** Writes what is queued, then stops the writer; what comes after is written on the caller's thread. */
    @Override
    public void close() {
        flush();
        closed = true;
        writer.interrupt();
        try {
            writer.join(FLUSH_WAIT.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        List<LogRecord> rest = new ArrayList<>();
        queue.drainTo(rest);
        writeNow(rest);
    }

    private void writeAll() {
        List<LogRecord> batch = new ArrayList<>(256);
        while (!closed) {
            try {
                batch.add(queue.take());
            } catch (InterruptedException stop) {
                return;
            }
            queue.drainTo(batch, 1023);
            writeNow(batch);
            lock.lock();
            try {
                written += batch.size();
                drained.signalAll();
            } finally {
                lock.unlock();
            }
            batch.clear();
        }
    }

    private synchronized void writeNow(List<LogRecord> records) {
        try {
            for (LogRecord record : records) {
                out.print(format(record));
            }
            reportDrops();
            out.flush();
        } catch (RuntimeException e) {
            reportError("writing the log failed", e, ErrorManager.WRITE_FAILURE);
        }
    }

    /** A line, at WARNING, for what was dropped since the last one said. */
    private void reportDrops() {
        long belowWarning = droppedBelowWarning.get();
        long warnings = droppedWarnings.get();
        if (belowWarning == reportedBelowWarning && warnings == reportedWarnings) {
            return;
        }
        LogRecord report = new LogRecord(Level.WARNING, "the log output could not keep up: " + (belowWarning
                - reportedBelowWarning) + " lines below WARNING and " + (warnings - reportedWarnings)
                + " at WARNING or above were dropped (totals on /observe/metrics: starlib_log_dropped)");
        report.setLoggerName(AsyncConsoleHandler.class.getName());
        reportedBelowWarning = belowWarning;
        reportedWarnings = warnings;
        out.print(format(report));
    }

    private String format(LogRecord record) {
        Formatter formatter = getFormatter();
        try {
            return formatter.format(record);
        } catch (RuntimeException e) {
            return record.getLevel() + " " + record.getLoggerName() + ": (unformattable record)"
                    + System.lineSeparator();
        }
    }

    /** The handler {@code logging.properties} installed on the root logger, if it is this one. */
    static Optional<AsyncConsoleHandler> installed() {
        for (Handler handler : Logger.getLogger("").getHandlers()) {
            if (handler instanceof AsyncConsoleHandler async) {
                return Optional.of(async);
            }
        }
        return Optional.empty();
    }

    /** Everything queued is written before the process ends without its shutdown hooks. */
    static void flushInstalled() {
        installed().ifPresent(AsyncConsoleHandler::flush);
    }
}
