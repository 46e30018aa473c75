package dev.starlib.auth.bootstrap;

import dev.starlib.auth.store.redis.LoopbackPorts;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Every command block of the README's "For frontend developers", run with bash from the repository's root as a
 * newcomer would paste it, with {@code JAVA_HOME} unset (this machine's default {@code java} is 17, which cannot run
 * the service): the scripts must find a JDK 21+ themselves. One liberty: the README's ports (8000, 8001, 8081) are
 * replaced by free ones, because other builds share this machine. The consumer test's two commands run here too,
 * its first one starting its own backends, its second against two backends started as the README says.
 */
class ReadmeFrontendCommandsIT {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Pattern BLOCK = Pattern.compile("```sh\\n(.*?)```", Pattern.DOTALL);
    private static final Duration LIMIT = Duration.ofMinutes(5);

    @TempDir
    Path workDir;
    private final List<ChildProcess> started = new ArrayList<>();
    private int api;
    private int admin;

    @BeforeEach
    void ports() throws IOException {
        api = LoopbackPorts.free();
        admin = LoopbackPorts.free();
        requireTools();
    }

    @AfterEach
    void stopEverything() {
        started.forEach(ChildProcess::close);
    }

    @Test
    void everyCommandBlockOfForFrontendDevelopersWorksAsWritten() throws Exception {
        List<String> blocks = frontendBlocks();
        assertThat(blocks).as("the README's sh blocks under 'For frontend developers'").hasSize(4);
        String start = blocks.get(0);
        String headlessLogin = blocks.get(1);
        String faults = blocks.get(2);
        String consumer = blocks.get(3);

        // "Start it": the service in sandbox mode, found JDK, no rebuild (failsafe runs right after package).
        assertThat(start).contains("SOUNDCLOUD_MODE=sandbox ./run.sh");
        // The generated admin password goes to a temporary folder, not over a developer's own data/admin-password.
        ChildProcess service = bash(start, Map.of("BACKEND_PORT", String.valueOf(api), "ADMIN_PORT",
                String.valueOf(admin), "SOUNDCLOUD_REDIRECT_URI", "http://127.0.0.1:" + api + "/auth/soundcloud/redirect",
                "ADMIN_PASSWORD_FILE", workDir.resolve("admin-password").toString()));
        assertThat(service.awaitLine("Operators: dashboard", LIMIT)).as("run.sh's output:%n%s", service.output()).isTrue();
        assertThat(service.output()).contains("starlib-auth.jar is up to date", "SANDBOX MODE",
                "Settings: the environment, then").doesNotContain("release version", "UnsupportedClassVersion");

        // "Log in headless": the curl lines, the last one printing the tokens and the user.
        ChildProcess curl = bash(onOurPorts(headlessLogin), Map.of());
        assertThat(curl.waitFor(Duration.ofSeconds(60))).as("the curl block; output:%n%s", curl.output()).isZero();
        assertThat(curl.output()).contains("state=", "\"access_token\"", "\"username\":\"Ada Lovelace\"");

        // "Make it fail on purpose": read, set and reset the switches.
        ChildProcess control = bash(onOurPorts(faults), Map.of());
        assertThat(control.waitFor(Duration.ofSeconds(60))).as("the control block; output:%n%s", control.output()).isZero();
        assertThat(control.output()).contains("\"token_failure\":\"server_error\"", "\"token_failure\":\"none\"");

        // SIGTERM, as a supervisor (or Ctrl-C) stops what run.sh started.
        service.terminateAll();
        assertThat(service.waitFor(Duration.ofSeconds(60))).as("run.sh's exit code after SIGTERM:%n%s", service.output())
                .isZero();
        assertThat(service.output()).contains("stopped on SIGTERM");

        // The consumer test: first as the wrapper that starts its own backends, then against two backends of ours.
        List<String> lines = consumer.lines().filter(line -> !line.isBlank()).toList();
        assertThat(lines).hasSize(2);
        assertConsumerPasses(bash(lines.get(0), Map.of()));
        int desktop = LoopbackPorts.free();
        int web = LoopbackPorts.free();
        backend(desktop, "http://127.0.0.1:" + desktop + "/auth/soundcloud/redirect");
        backend(web, "http://localhost:3000/auth/soundcloud/callback");
        assertConsumerPasses(bash(lines.get(1).replace("127.0.0.1:8000", "127.0.0.1:" + desktop)
                .replace("127.0.0.1:8001", "127.0.0.1:" + web), Map.of()));
    }

    // --- helpers --------------------------------------------------------------------------------------

    /** The sh blocks between "## For frontend developers" and the next section. */
    static List<String> frontendBlocks() throws IOException {
        String readme = Files.readString(ROOT.resolve("README.md"));
        int from = readme.indexOf("\n## For frontend developers");
        assertThat(from).as("README.md has a 'For frontend developers' section").isPositive();
        int to = readme.indexOf("\n## ", from + 1);
        Matcher matcher = BLOCK.matcher(readme.substring(from, to < 0 ? readme.length() : to));
        List<String> blocks = new ArrayList<>();
        while (matcher.find()) {
            blocks.add(matcher.group(1));
        }
        return blocks;
    }

    private String onOurPorts(String block) {
        return block.replace("127.0.0.1:8000", "127.0.0.1:" + api).replace("127.0.0.1:8081", "127.0.0.1:" + admin);
    }

    /**
     * {@code script} in bash, from the repository's root, as in a newcomer's shell: no JAVA_HOME, and no JDK of ours
     * on the PATH (test.sh put one there), so {@code java} is the machine's default (17 here).
     */
    private ChildProcess bash(String script, Map<String, String> environment) {
        Map<String, String> env = new HashMap<>(environment);
        env.put("PATH", String.join(":", java.util.Arrays.stream(System.getenv().getOrDefault("PATH", "").split(":"))
                .filter(dir -> !dir.startsWith("/usr/lib/jvm/") && !dir.startsWith(System.getProperty("java.home")))
                .toList()));
        ChildProcess child = ChildProcess.start(List.of("bash", "-euo", "pipefail", "-c", script), ROOT, env,
                "[readme] ", List.of("JAVA_HOME"));
        started.add(child);
        return child;
    }

    /** A sandbox backend as the README's consumer paragraph says backends passed in must be configured. */
    private void backend(int port, String redirectUri) throws InterruptedException {
        ChildProcess jar = ChildProcess.start(List.of(ChildProcess.currentJava(), "-jar", ChildProcess.jar().toString()),
                workDir, Map.of("SOUNDCLOUD_MODE", "sandbox", "SANDBOX_AUTO_APPROVE", "true",
                        "SANDBOX_TOKEN_LIFETIME_SECONDS", "62", "REFRESH_REUSE_SECONDS", "3",
                        "BACKEND_PORT", String.valueOf(port), "ADMIN_PORT", "0",
                        "ADMIN_PASSWORD", "readme-it", "SOUNDCLOUD_REDIRECT_URI", redirectUri), "[backend] ");
        started.add(jar);
        assertThat(jar.awaitLine("Operators: dashboard", LIMIT)).as("a backend for the consumer test:%n%s", jar.output())
                .isTrue();
    }

    private static void assertConsumerPasses(ChildProcess consumer) throws InterruptedException {
        int exit = consumer.waitFor(Duration.ofMinutes(8));
        assertThat(exit).as("the consumer test's exit code (-1: it ran too long); its output:%n%s", consumer.output())
                .isZero();
        assertThat(consumer.output()).contains("consumer: 10 passed, 0 failed");
    }

    /** The README's commands need curl, jq and Node 20+; say what to install rather than fail obscurely. */
    private static void requireTools() {
        for (String tool : List.of("curl", "jq", "node")) {
            if (!onPath(tool)) {
                fail("The README's commands need '" + tool + "' on the PATH: apt-get install -y curl jq (and Node.js 20+ "
                        + "from nodejs.org or NodeSource: Debian 12's nodejs is 18)");
            }
        }
        try (ChildProcess version = ChildProcess.start(List.of("node", "--version"), ROOT, Map.of(), "[node] ")) {
            int exit = version.waitFor(Duration.ofSeconds(30));
            String text = version.output().strip();
            if (exit != 0 || !text.matches("v(2[0-9]|[3-9][0-9])\\..*")) {
                fail("The consumer test needs Node.js 20 or newer as 'node' (Debian 12's nodejs package is 18: use "
                        + "nodejs.org or NodeSource); found: " + text);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static boolean onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }

}
