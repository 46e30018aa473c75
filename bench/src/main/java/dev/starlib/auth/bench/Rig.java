package dev.starlib.auth.bench;

import dev.starlib.auth.bench.load.CpuMeter;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/** What every phase of a run shares: the plan, the report, the fake SoundCloud, the secrets, run.sh's JVM settings. */
final class Rig {

    static final String CLIENT_ID = "starlib-bench";

    final Plan plan;
    final Report report;
    final FakeProcess fake;
    final List<String> jvmOptions;
    final String clientSecret;
    final String adminPassword;
    /** Start to first 200 of the jar on an empty file store: the reference for the starts on large ones. */
    double emptyFileStartMillis = Double.NaN;

    Rig(Plan plan, Report report, FakeProcess fake, List<String> jvmOptions, String clientSecret, String adminPassword) {
        this.plan = plan;
        this.report = report;
        this.fake = fake;
        this.jvmOptions = jvmOptions;
        this.clientSecret = clientSecret;
        this.adminPassword = adminPassword;
    }

    /** The java that runs the benchmark: the service, the fake and the heap probe run on the same JDK. */
    static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** A SESSION_STORE_KEY: base64 of 32 random bytes. */
    static String storeKey() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }

    static String randomSecret(SecureRandom random, int bytes) {
        byte[] secret = new byte[bytes];
        random.nextBytes(secret);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
    }

    /** The CPU of the service, this process (the load generator), the fake and any helpers (Redis). */
    CpuMeter meter(ServiceUnderTest service, Map<String, Long> helpers) {
        return meter(service, helpers, Map.of());
    }

    /** @param counters read beside the fake's stats at each snapshot (Redis's scripts run, say), by name */
    CpuMeter meter(ServiceUnderTest service, Map<String, Long> helpers, Map<String, LongSupplier> counters) {
        Map<String, Long> pids = new LinkedHashMap<>();
        pids.put(CpuMeter.SERVICE, service.pid());
        pids.put(CpuMeter.GENERATOR, ProcessHandle.current().pid());
        pids.put(CpuMeter.FAKE, fake.pid());
        pids.putAll(helpers);
        if (counters.isEmpty()) {
            return CpuMeter.of(pids, fake::stats);
        }
        return CpuMeter.of(pids, () -> {
            Map<String, Long> read = new LinkedHashMap<>(fake.stats());
            counters.forEach((name, counter) -> read.put(name, counter.getAsLong()));
            return read;
        });
    }

    Path output(String name) {
        return plan.output().resolve(name);
    }
}
