package dev.starlib.auth.bench.load;

import org.HdrHistogram.Histogram;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * A closed-loop load: {@code users} virtual threads, each doing one operation after another with no pause, as
 * fast as the answers come. Throughput is what completes inside the measured window (after a warm-up that lets the
 * JIT settle), in a window of at least the planned length that holds at least {@value #MIN_OPERATIONS}
 * operations; latency is per operation, into an HdrHistogram per user, merged at the end. Closed loop means
 * a slow answer also slows the offered load, so the percentiles are those of a saturated service, not of a
 * service under a fixed arrival rate.
 */
public final class ClosedLoop {

    /** One simulated user; not shared between threads. */
    public interface User extends AutoCloseable {
        /** One operation; any exception is counted as an error under its message. */
        void act() throws Exception;

        @Override
        default void close() {
        }
    }

    @FunctionalInterface
    public interface Users {
        /** Sets up user {@code index} (outside the measured window: a refreshing user logs in here). */
        User create(int index) throws Exception;
    }

    /**
     * @param operations what completed inside the measured window
     * @param allOperations what completed in the whole run, warm-up included (e.g. sessions it left in a store)
     */
    public record Result(String name, int users, long operations, long allOperations, long errors,
                         Map<String, Long> errorsByReason, Histogram latencyMicros, Duration measured,
                         CpuMeter.Usage cpu) {

        public double perSecond() {
            return operations / (measured.toNanos() / 1e9);
        }

        public double p50Millis() {
            return latencyMicros.getValueAtPercentile(50) / 1000.0;
        }

        public double p99Millis() {
            return latencyMicros.getValueAtPercentile(99) / 1000.0;
        }

        public double cpuMicrosPerOperation(String process) {
            return cpu.microsPer(process, operations);
        }
    }

    private static final long MAX_LATENCY_MICROS = Duration.ofMinutes(2).toNanos() / 1000;
    /**
     * A window is at least the planned length and holds at least this many completed operations (a slow disk can
     * make a file-store login take a second), but never lasts longer than {@link #LONGEST_WINDOW}.
     */
    private static final int MIN_OPERATIONS = 20;
    private static final Duration LONGEST_WINDOW = Duration.ofMinutes(2);

    private ClosedLoop() {
    }

    public static Result run(String name, int users, Users factory, Duration warmup, Duration measure, CpuMeter meter)
            throws Exception {
        List<User> created = new ArrayList<>();
        try {
            for (int i = 0; i < users; i++) {
                created.add(factory.create(i));
            }
            return drive(name, created, warmup, measure, meter);
        } finally {
            created.forEach(User::close);
        }
    }

    private static Result drive(String name, List<User> users, Duration warmup, Duration measure, CpuMeter meter)
            throws InterruptedException {
        Window window = new Window();
        Map<String, LongAdder> errors = new ConcurrentHashMap<>();
        List<Histogram> histograms = new ArrayList<>();
        List<long[]> counts = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (User user : users) {
            Histogram histogram = new Histogram(MAX_LATENCY_MICROS, 3);
            long[] count = new long[3]; // [completed in the window, errors, completed in all]
            histograms.add(histogram);
            counts.add(count);
            threads.add(Thread.ofVirtual().name(name + "-user").start(() -> loop(user, window, histogram, count, errors)));
        }
        Thread.sleep(warmup);
        CpuMeter.Snapshot start = meter.snapshot();
        window.measuring = true;
        Thread.sleep(measure);
        long deadline = start.wallNanos() + LONGEST_WINDOW.toNanos();
        // Only a slow service earns a longer window; a failing one has said all it will.
        while (window.completed.sum() < MIN_OPERATIONS && window.failed.sum() == 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        window.measuring = false;
        CpuMeter.Snapshot end = meter.snapshot();
        window.running = false;
        for (Thread thread : threads) {
            thread.join(Duration.ofSeconds(60));
        }
        Histogram merged = new Histogram(MAX_LATENCY_MICROS, 3);
        long operations = 0;
        long failed = 0;
        long all = 0;
        for (int i = 0; i < histograms.size(); i++) {
            merged.add(histograms.get(i));
            operations += counts.get(i)[0];
            failed += counts.get(i)[1];
            all += counts.get(i)[2];
        }
        Map<String, Long> byReason = new TreeMap<>();
        errors.forEach((reason, adder) -> byReason.put(reason, adder.sum()));
        return new Result(name, users.size(), operations, all, failed, byReason, merged,
                Duration.ofNanos(end.wallNanos() - start.wallNanos()), CpuMeter.Usage.between(start, end));
    }

    private static void loop(User user, Window window, Histogram histogram, long[] count,
                             Map<String, LongAdder> errors) {
        while (window.running) {
            long started = System.nanoTime();
            try {
                user.act();
                count[2]++;
                if (window.measuring) {
                    histogram.recordValue(Math.min(MAX_LATENCY_MICROS, (System.nanoTime() - started) / 1000));
                    count[0]++;
                    window.completed.increment();
                }
            } catch (Exception e) {
                // Errors count whenever they happen: a failure during the warm-up is still a failure.
                count[1]++;
                window.failed.increment();
                errors.computeIfAbsent(reason(e), k -> new LongAdder()).increment();
                pause();
            }
        }
    }

    /** Few distinct reasons: long token-like runs (a state in a URL, say) are cut out, and the text is bounded. */
    private static String reason(Exception e) {
        String text = e instanceof Unexpected ? e.getMessage() : e.getClass().getSimpleName() + ": " + e.getMessage();
        text = String.valueOf(text).replaceAll("[A-Za-z0-9_%.~-]{20,}", "…");
        return text.length() > 120 ? text.substring(0, 120) + "…" : text;
    }

    /** A failing service should not be hammered in a spin. */
    private static void pause() {
        try {
            Thread.sleep(10);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static final class Window {
        volatile boolean running = true;
        volatile boolean measuring;
        final LongAdder completed = new LongAdder();
        final LongAdder failed = new LongAdder();
    }
}
