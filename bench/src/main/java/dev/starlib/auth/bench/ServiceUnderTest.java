package dev.starlib.auth.bench;

import dev.starlib.auth.bench.load.Journeys;
import dev.starlib.auth.bench.os.Child;
import dev.starlib.auth.bench.os.Proc;
import dev.starlib.auth.bench.os.RawHttp;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The service as users get it: the packaged jar started with run.sh's JVM settings (or run.sh itself), pointed at
 * the fake SoundCloud over plain loopback http, in a working directory of its own (no stray .env), its log in a
 * file. Its start is timed from the moment the process is spawned to the first 200 of the bare route.
 */
final class ServiceUnderTest implements AutoCloseable {

    enum Launcher { JAR, RUN_SH }

    /** Far above what any phase holds: the default (10,000) is sized for people, not for a benchmark's load. */
    static final String LOAD_CAPACITY = "5000000";

    /**
     * The benchmark's load comes from one loopback address, which the service's fair shares (decision 0012) would
     * refuse as a flood within a second. Every limit is set to its highest: the throttle still runs on every request
     * (its cost is in the figures), it just never says no.
     */
    static final Map<String, String> FAIR_SHARES_WIDE_OPEN = Map.of(
            "RATE_LIMIT_AUTHORIZE", "1000000/s", "RATE_LIMIT_REDIRECT", "1000000/s",
            "RATE_LIMIT_CALLBACK", "1000000/s", "RATE_LIMIT_RESULT", "1000000/s",
            "RATE_LIMIT_REFRESH", "1000000/s", "RATE_LIMIT_SIGN_OUT", "1000000/s",
            "PENDING_PER_CLIENT", "10000000", "CONNECTIONS_PER_CLIENT", "1000000");

    private final Child child;
    private final int port;
    private final int adminPort;
    private final double startMillis;
    private final double startCpuMillis;

    private ServiceUnderTest(Child child, int port, int adminPort, double startMillis, double startCpuMillis) {
        this.child = child;
        this.port = port;
        this.adminPort = adminPort;
        this.startMillis = startMillis;
        this.startCpuMillis = startCpuMillis;
    }

    /**
     * @param store      the SESSION_STORE* (and REDIS_*) variables
     * @param extraJvm   appended after run.sh's settings (a later -Xmx wins), or none
     */
    static ServiceUnderTest start(Rig rig, String name, Launcher launcher, Map<String, String> store,
                                  List<String> extraJvm, Duration limit) throws Exception {
        for (int attempt = 1; ; attempt++) {
            int port = RawHttp.freePort();
            int adminPort = RawHttp.freePort();
            String base = "http://127.0.0.1:" + port;
            rig.fake.register(new Journeys(base).redirectUri());
            Map<String, String> env = new LinkedHashMap<>();
            env.put("CLIENT_ID", Rig.CLIENT_ID);
            env.put("CLIENT_SECRET", rig.clientSecret);
            env.put("SOUNDCLOUD_AUTH_BASE_URL", rig.fake.baseUrl());
            env.put("SOUNDCLOUD_API_BASE_URL", rig.fake.baseUrl());
            env.put("SOUNDCLOUD_REDIRECT_URI", new Journeys(base).redirectUri());
            env.put("BACKEND_HOST", "127.0.0.1");
            env.put("BACKEND_PORT", Integer.toString(port));
            env.put("ADMIN_PORT", Integer.toString(adminPort));
            env.put("ADMIN_PASSWORD", rig.adminPassword);
            env.put("SESSION_STORE_CAPACITY", LOAD_CAPACITY);
            env.putAll(FAIR_SHARES_WIDE_OPEN);
            env.putAll(store);

            Path directory = rig.output("service-" + name);
            Files.createDirectories(directory);
            List<String> command = new ArrayList<>();
            Path workingDirectory;
            if (launcher == Launcher.RUN_SH) {
                command.add(rig.plan.root().resolve("run.sh").toString());
                workingDirectory = rig.plan.root();
            } else {
                command.add(Rig.java());
                command.addAll(rig.jvmOptions);
                command.addAll(extraJvm);
                command.add("-jar");
                command.add(rig.plan.serviceJar().toString());
                workingDirectory = directory;
            }
            Path log = directory.resolve("service-" + attempt + ".log");
            long spawned = System.nanoTime();
            Child child = Child.start("service " + name, command, workingDirectory, env, log);
            long deadline = spawned + limit.toNanos();
            while (System.nanoTime() < deadline && child.isAlive()) {
                if (RawHttp.status("127.0.0.1", port, Journeys.BARE_ROUTE) == 200) {
                    double millis = (System.nanoTime() - spawned) / 1e6;
                    // The JVM's own CPU to here (run.sh's is that of the java it execs into): steadier than wall
                    // time on a shared box, where a start waits for the cores as much as it uses them.
                    double cpuMillis = Proc.cpuNanos(child.pid()) / 1e6;
                    return new ServiceUnderTest(child, port, adminPort, millis, cpuMillis);
                }
                Thread.sleep(5);
            }
            String tail = child.tail(25);
            child.close();
            boolean lostThePort = tail.contains("cannot be listened on");
            if (!lostThePort || attempt == 3) {
                throw new IllegalStateException("the service (" + name + ") did not answer "
                        + Journeys.BARE_ROUTE + " with 200 within " + limit.toSeconds() + " s; its log "
                        + log + " ends:\n" + tail);
            }
        }
    }

    String base() {
        return "http://127.0.0.1:" + port;
    }

    String adminBase() {
        return "http://127.0.0.1:" + adminPort;
    }

    long pid() {
        return child.pid();
    }

    double startMillis() {
        return startMillis;
    }

    double startCpuMillis() {
        return startCpuMillis;
    }

    double rssMegabytes() {
        return Proc.rssBytes(child.pid()) / 1048576.0;
    }

    Child child() {
        return child;
    }

    @Override
    public void close() {
        child.close();
    }
}
