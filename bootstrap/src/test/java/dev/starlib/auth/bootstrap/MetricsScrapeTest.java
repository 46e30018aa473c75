package dev.starlib.auth.bootstrap;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a Prometheus scrape of a fresh instance finds: every labelled series of ours already there at zero (an
 * alert on a failure rate reads 0, not "no data"), and the JVM's and the process's meters under the names
 * Prometheus dashboards use.
 */
class MetricsScrapeTest {

    @TempDir
    Path workDir;
    private RunningService service;

    @BeforeEach
    void start() {
        service = RunningService.start(workDir, Map.of());
    }

    @AfterEach
    void stop() {
        service.close();
    }

    private List<String> scrape() {
        var response = service.fetch(service.adminBase() + "/observe/metrics");
        assertThat(response.statusCode()).isEqualTo(200);
        return response.body().lines().filter(line -> !line.startsWith("#")).toList();
    }

    @Test
    void everyLabelledSeriesOfOursIsThereAtZeroBeforeItsFirstEvent() {
        List<String> series = scrape();

        for (String flow : List.of("backend_redirect", "direct_callback")) {
            for (String outcome : List.of("success", "access_denied", "invalid_state", "invalid_grant", "invalid_client",
                    "upstream_unavailable", "upstream_timeout")) {
                assertThat(series).as("logins finished, %s %s", flow, outcome).anyMatch(line ->
                        line.startsWith("starlib_logins_finished_total{") && line.contains("flow=\"" + flow + "\"")
                                && line.contains("outcome=\"" + outcome + "\"") && line.endsWith(" 0.0"));
            }
        }
        for (String outcome : List.of("success", "invalid_grant", "invalid_client", "upstream_unavailable",
                "upstream_timeout")) {
            assertThat(series).as("refreshes, %s", outcome).anyMatch(line -> line.startsWith("starlib_refreshes_total{")
                    && line.contains("outcome=\"" + outcome + "\"") && line.endsWith(" 0.0"));
        }
        for (String endpoint : List.of("token_exchange", "token_refresh", "me")) {
            for (String outcome : List.of("success", "rejected", "unavailable", "timeout")) {
                assertThat(series).as("upstream histogram, %s %s", endpoint, outcome).anyMatch(line ->
                        line.startsWith("starlib_upstream_request_duration_seconds_count{")
                                && line.contains("endpoint=\"" + endpoint + "\"") && line.contains("outcome=\"" + outcome + "\"")
                                && line.endsWith(" 0.0"));
            }
        }
        for (String operation : List.of("write", "compact", "replay")) {
            assertThat(series).as("store errors, %s", operation).anyMatch(line ->
                    line.startsWith("starlib_store_errors_total{") && line.contains("operation=\"" + operation + "\"")
                            && line.endsWith(" 0.0"));
        }
    }

    @Test
    void jvmAndProcessMetersHaveThePrometheusNames() {
        List<String> names = scrape().stream().map(line -> line.split("[{ ]", 2)[0]).distinct().toList();

        assertThat(names).contains("jvm_memory_used_bytes", "jvm_memory_max_bytes", "jvm_threads_live_threads",
                "jvm_threads_started_threads_total", "jvm_classes_loaded_classes", "jvm_gc_memory_allocated_bytes_total",
                "jvm_gc_collections_total", "jvm_gc_collection_time_seconds_total",
                "process_cpu_usage", "process_uptime_seconds", "process_start_time_seconds", "process_files_open_files",
                "system_cpu_count", "system_load_average_1m");
        assertThat(names).as("MicroProfile names").doesNotContain("memory_usedHeap_bytes", "thread_starts",
                "cpu_systemLoadAverage", "thread_count", "classloader_loadedClasses_count", "jvm_uptime_seconds");
    }
}
