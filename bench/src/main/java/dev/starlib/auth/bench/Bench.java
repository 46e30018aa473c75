package dev.starlib.auth.bench;

import dev.starlib.auth.bench.Report.Target;
import dev.starlib.auth.bench.os.Proc;
import dev.starlib.auth.bench.os.SelfSignedTls;
import io.helidon.logging.common.LogConfig;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * {@code ./bench.sh}: every figure of issue 12 in one run, each beside its target. The service is the packaged
 * jar in child processes with run.sh's JVM settings; SoundCloud is a fake in a process of its own; the load comes
 * from this process. See docs/performance.md for what each figure means and how it is measured.
 * <p>
 * Exits 1 when anything failed (a login that did not complete, a check the fake refused): such figures would
 * not be worth printing as if they were true. It never judges a speed by its exit code.
 */
public final class Bench {

    private Bench() {
    }

    public static void main(String[] args) throws Exception {
        if (List.of(args).contains("--help")) {
            System.out.print(Plan.usage());
            return;
        }
        LogConfig.configureRuntime();
        Plan plan = Plan.parse(args);
        Report report = new Report(System.out);
        clean(plan.output());
        header(plan, report);

        SecureRandom random = new SecureRandom();
        String clientSecret = Rig.randomSecret(random, 32);
        FakeProcess fake = FakeProcess.start(plan.benchJar(), plan.output(), Rig.CLIENT_ID, clientSecret,
                SelfSignedTls.create(plan.output().resolve("tls")));
        Rig rig = new Rig(plan, report, fake, JvmOptions.forJar(plan.root(), plan.serviceJar()), clientSecret, Rig.randomSecret(random, 18));
        try {
            LoadPhases load = new LoadPhases(rig);
            phase(report, plan, "memory", "memory store", () -> {
                try (ServiceUnderTest service = StartupPhase.run(rig)) {
                    load.memoryStore(service);
                    report.section("After the load (memory store)", "after load");
                    report.figure("rss.after_load_mb", "RSS after the load", service.rssMegabytes(), "MB",
                            Target.atMost(256, " MB"));
                    if (plan.jfr()) {
                        JfrProfile.run(rig, service, "memory");
                    }
                }
                load.authorizeAlone();
            });
            phase(report, plan, "tls", "SoundCloud over TLS", load::soundCloudOverTls);
            phase(report, plan, "file", "file store", load::fileStore);
            phase(report, plan, "redis", "redis store", load::redisStore);
            phase(report, plan, "heap", "heap", () -> HeapPhase.run(rig));
            phase(report, plan, "growth", "growth", () -> new GrowthPhase(rig).run());
            phase(report, plan, "redis-growth", "growth on redis", () -> new GrowthPhase(rig).runOnRedis());
        } finally {
            fake.close();
        }
        report.header("");
        report.header("load average at the end: " + Proc.loadAverage());
        report.summary(plan.output());
        System.exit(report.hasErrors() ? 1 : 0);
    }

    @FunctionalInterface
    private interface Phase {
        void run() throws Exception;
    }

    /** A phase that fails is an error of the run; the phases after it still run and print. */
    private static void phase(Report report, Plan plan, String key, String name, Phase phase) {
        if (!plan.runs(key)) {
            return;
        }
        try {
            phase.run();
        } catch (Exception | AssertionError e) {
            report.error("the " + name + " phase stopped: " + e);
            for (StackTraceElement frame : e.getStackTrace()) {
                if (frame.getClassName().startsWith("dev.starlib")) {
                    report.note("at " + frame);
                }
            }
        }
    }

    private static void header(Plan plan, Report report) throws IOException, InterruptedException {
        report.header("Starlib Auth benchmark" + (plan.smoke() ? " (SMOKE PASS: tiny sizes, figures meaningless)" : "")
                + ", " + OffsetDateTime.now().truncatedTo(ChronoUnit.SECONDS));
        report.header("machine: " + cpuModel() + ", " + Runtime.getRuntime().availableProcessors() + " CPUs, "
                + memTotal() + " RAM, Linux " + System.getProperty("os.version"));
        report.header("JDK: " + System.getProperty("java.vm.name") + " " + Runtime.version()
                + " (the service, the fake and the load generator alike)");
        report.header("code: " + git(plan.root(), "describe", "--always", "--dirty") + " ("
                + git(plan.root(), "rev-parse", "--abbrev-ref", "HEAD") + ")");
        Path ownJar = plan.root().resolve("bootstrap/target/starlib-auth.jar").toAbsolutePath().normalize();
        if (!plan.serviceJar().normalize().equals(ownJar)) {
            // --jar: the figures are of another build than the code above, which is the benchmark's.
            Optional<Path> checkout = JvmOptions.checkoutOf(plan.serviceJar());
            report.header("service measured: " + plan.serviceJar() + " (--jar; "
                    + (checkout.isPresent() ? "its checkout: " + git(checkout.get(), "describe", "--always", "--dirty")
                    : "not in a checkout") + ")");
        }
        report.header("load average at the start (uptime): " + Proc.loadAverage()
                + "  (other work on a shared box moves throughput; CPU per operation moves far less)");
        report.header("plan: warm-up " + plan.warmup().toMillis() + " ms, measured " + plan.measure().toMillis()
                + " ms per phase; output in " + plan.output());
    }

    private static String cpuModel() throws IOException {
        return Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
                .filter(line -> line.startsWith("model name"))
                .map(line -> line.substring(line.indexOf(':') + 1).strip())
                .findFirst().orElse("unknown CPU");
    }

    private static String memTotal() throws IOException {
        return Files.readAllLines(Path.of("/proc/meminfo")).stream()
                .filter(line -> line.startsWith("MemTotal:"))
                .map(line -> Report.number(Long.parseLong(line.replaceAll("[^0-9]", "")) / 1048576.0) + " GiB")
                .findFirst().orElse("unknown");
    }

    private static String git(Path root, String... args) throws InterruptedException {
        try {
            List<String> command = new java.util.ArrayList<>(List.of("git", "-C", root.toString()));
            command.addAll(List.of(args));
            Process git = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            return git.waitFor() == 0 ? out : "unknown";
        } catch (IOException e) {
            return "unknown";
        }
    }

    /** Each run starts with an empty output folder (old logs and stores would mislead); only ever one of ours. */
    private static void clean(Path output) throws IOException {
        Path marker = output.resolve(".starlib-bench-output");
        if (Files.isDirectory(output)) {
            try (Stream<Path> entries = Files.list(output)) {
                if (entries.findAny().isPresent() && !Files.exists(marker)) {
                    throw new IllegalStateException(output + " is not empty and not a benchmark output folder: "
                            + "choose another --output");
                }
            }
            try (Stream<Path> paths = Files.walk(output)) {
                for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(path);
                }
            }
        }
        Files.createDirectories(output);
        Files.createFile(marker);
    }
}
