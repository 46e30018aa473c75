package dev.starlib.auth.bootstrap;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmInfoMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The JVM's and the process's meters under the names Prometheus users and their dashboards expect
 * ({@code jvm_memory_used_bytes}, {@code jvm_gc_pause_seconds}, {@code jvm_threads_live_threads},
 * {@code process_cpu_usage}, {@code process_uptime_seconds}, {@code process_files_open_files}, ...): Micrometer's
 * own binders, bound to the Micrometer registry behind Helidon's, which /observe/metrics scrapes. Helidon's
 * "system meters" use MicroProfile names instead ({@code memory_usedHeap_bytes}, {@code thread_starts} without
 * {@code _total}), so they are left off the class path. Closing takes these meters out again.
 */
final class JvmMeters implements AutoCloseable {

    private final MeterRegistry registry;
    private final JvmGcMetrics gc;
    private final Set<Meter.Id> bound;

    private JvmMeters(MeterRegistry registry, JvmGcMetrics gc, Set<Meter.Id> bound) {
        this.registry = registry;
        this.gc = gc;
        this.bound = bound;
    }

    static JvmMeters bind(io.helidon.metrics.api.MeterRegistry helidon) {
        MeterRegistry registry = helidon.unwrap(MeterRegistry.class);
        Set<Meter.Id> before = ids(registry);
        JvmGcMetrics gc = new JvmGcMetrics();
        for (MeterBinder binder : List.of(new JvmMemoryMetrics(), gc, new JvmThreadMetrics(), new ClassLoaderMetrics(),
                new JvmInfoMetrics(), new ProcessorMetrics(), new UptimeMetrics(), new FileDescriptorMetrics(),
                JvmMeters::logDrops)) {
            binder.bindTo(registry);
        }
        Set<Meter.Id> bound = ids(registry);
        bound.removeAll(before);
        return new JvmMeters(registry, gc, bound);
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
        gc.close();
        bound.forEach(registry::remove);
    }

    private static Set<Meter.Id> ids(MeterRegistry registry) {
        Set<Meter.Id> ids = new HashSet<>();
        registry.getMeters().forEach(meter -> ids.add(meter.getId()));
        return ids;
    }
}
