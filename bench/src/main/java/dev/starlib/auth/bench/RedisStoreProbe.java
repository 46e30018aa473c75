package dev.starlib.auth.bench;

import dev.starlib.auth.bench.os.Child;
import dev.starlib.auth.bench.os.RawHttp;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Whether the packaged service has a Redis store (issue 14): it is started once with {@code SESSION_STORE=redis}.
 * A build without one refuses that setting by name before it opens anything ("cannot start: SESSION_STORE ...");
 * a build with one gets past the settings, and is stopped again.
 */
final class RedisStoreProbe {

    /** A refusal that names SESSION_STORE itself, not SESSION_STORE_KEY or another variable. */
    private static final Pattern REFUSED = Pattern.compile("cannot start: SESSION_STORE(?![A-Z_])");

    private RedisStoreProbe() {
    }

    static Optional<String> whyAbsent(Rig rig) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Rig.java());
        command.addAll(rig.jvmOptions);
        command.addAll(List.of("-jar", rig.plan.serviceJar().toString()));
        Path directory = rig.output("redis-probe");
        java.nio.file.Files.createDirectories(directory);
        Map<String, String> env = Map.of("SESSION_STORE", "redis",
                "REDIS_URL", "redis://127.0.0.1:" + RawHttp.freePort(),
                "SESSION_STORE_KEY", Rig.storeKey(),
                "CLIENT_ID", Rig.CLIENT_ID, "CLIENT_SECRET", rig.clientSecret,
                "BACKEND_HOST", "127.0.0.1",
                "BACKEND_PORT", Integer.toString(RawHttp.freePort()),
                "ADMIN_PORT", Integer.toString(RawHttp.freePort()),
                "ADMIN_PASSWORD", rig.adminPassword);
        try (Child probe = Child.start("redis store probe", command, directory, env, directory.resolve("probe.log"))) {
            int exit = probe.waitFor(20_000);
            if (exit == 2 && REFUSED.matcher(probe.output()).find()) {
                return Optional.of("not in this build (the jar refuses SESSION_STORE=redis; issue 14)");
            }
            return Optional.empty();
        }
    }
}
