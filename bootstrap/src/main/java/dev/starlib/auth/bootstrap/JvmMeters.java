package dev.starlib.auth.bootstrap;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmInfoMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The JVM's and the process's meters under the names Prometheus users and their dashboards expect
 * ({@code jvm_memory_used_bytes}, {@code jvm_gc_collections_total}, {@code jvm_threads_live_threads},
 * {@code process_cpu_usage}, {@code process_uptime_seconds}, {@code process_files_open_files}, ...): Micrometer's
 * own binders, bound to the Micrometer registry behind Helidon's, which /observe/metrics scrapes. Helidon's
 * "system meters" use MicroProfile names instead ({@code memory_usedHeap_bytes}, {@code thread_starts} without
 * {@code _total}), so they are left off the class path. Closing takes these meters out again.
 *
 * <p>Every meter here is registered once, while binding. Micrometer's {@code JvmGcMetrics} is not used: it
 * registers a pause timer from the JVM's notification thread at the first GC of each kind, straight on the Micrometer
 * registry, whose listener then takes Helidon's registry lock; a request thread registering through Helidon takes
 * the same two locks the other way round, and the two threads deadlocked (seen in start-ups under load). The GC's
 * collections and their time are read from the collectors' MX beans at scrape time instead (as function counters:
 * Helidon's registry has no counterpart for a Micrometer function timer and would list it as null), which also
 * takes a listener off every young collection (about 6 % of samples under load, docs/performance.md "B1").
 */
final class JvmMeters implements AutoCloseable {

    private final MeterRegistry registry;
    private final Set<Meter.Id> bound;

    private JvmMeters(MeterRegistry registry, Set<Meter.Id> bound) {
        this.registry = registry;
        this.bound = bound;
    }

    static JvmMeters bind(io.helidon.metrics.api.MeterRegistry helidon) {
        MeterRegistry registry = helidon.unwrap(MeterRegistry.class);
        Set<Meter.Id> before = ids(registry);
        for (MeterBinder binder : List.of(new JvmMemoryMetrics(), JvmMeters::gc, new JvmThreadMetrics(), new ClassLoaderMetrics(),
                new JvmInfoMetrics(), new ProcessorMetrics(), new UptimeMetrics(), new FileDescriptorMetrics(),
                JvmMeters::logDrops)) {
            binder.bindTo(registry);
        }
        Set<Meter.Id> bound = ids(registry);
        bound.removeAll(before);
        return new JvmMeters(registry, bound);
    }

    /**
     * {@code jvm_gc_collections_total{gc}} and {@code jvm_gc_collection_time_seconds_total{gc}} per collector, and
     * {@code jvm_gc_memory_allocated_bytes_total}, read when scraped.
     */
    private static void gc(MeterRegistry registry) {
        for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
            FunctionCounter.builder("jvm.gc.collections", collector, c -> Math.max(0, c.getCollectionCount()))
                    .description("Collections by this collector")
                    .tag("gc", collector.getName())
                    .register(registry);
            FunctionCounter.builder("jvm.gc.collection.time", collector,
                            c -> Math.max(0, c.getCollectionTime()) / 1000.0)
                    .description("Time this collector's collections took")
                    .tag("gc", collector.getName())
                    .baseUnit("seconds")
                    .register(registry);
        }
        if (ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean threads
                && threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled()) {
            FunctionCounter.builder("jvm.gc.memory.allocated", threads,
                            t -> Math.max(0, t.getTotalThreadAllocatedBytes()))
                    .description("Heap bytes allocated by every thread since the JVM started")
                    .baseUnit("bytes")
                    .register(registry);
        }
    }

    /** {@code starlib_log_dropped_total{severity}}: log lines the console could not take (AsyncConsoleHandler). */
    private static void logDrops(MeterRegistry registry) {
        AsyncConsoleHandler.installed().ifPresent(handler -> {
            for (AsyncConsoleHandler.Severity severity : AsyncConsoleHandler.Severity.values()) {
                FunctionCounter.builder("starlib.log.dropped", handler, h -> h.dropped(severity))
                        .description("Log records dropped because the output could not keep up")
                        .tag("severity", severity.name().toLowerCase(java.util.Locale.ROOT))
                        .register(registry);
            }
        });
    }

    @Override
    public void close() {
        bound.forEach(registry::remove);
    }

    private static Set<Meter.Id> ids(MeterRegistry registry) {
        Set<Meter.Id> ids = new HashSet<>();
        registry.getMeters().forEach(meter -> ids.add(meter.getId()));
        return ids;
    }
}
