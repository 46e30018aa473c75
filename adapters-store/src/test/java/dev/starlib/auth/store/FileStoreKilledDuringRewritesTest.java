package dev.starlib.auth.store;

import dev.starlib.auth.domain.OAuthSession;
import dev.starlib.auth.domain.StateHash;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.starlib.auth.store.LoginSteps.ALREADY_PICKED_UP;
import static dev.starlib.auth.store.LoginSteps.ALREADY_USED;
import static dev.starlib.auth.store.LoginSteps.consume;
import static dev.starlib.auth.store.LoginSteps.pickUp;
import static dev.starlib.auth.store.LoginSteps.summaries;
import static dev.starlib.auth.store.Logins.T0;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code kill -9} during rewrites of the log: a separate process ({@link RewritingUnderLoad}) rewrites its log again
 * and again while users take logins step by step, and is killed with SIGKILL while it is at it, most likely in the
 * middle of a rewrite (which is what it spends its time on). A start on the directory then finds every step the
 * process acknowledged; a step it had sent but not acknowledged may have landed or not.
 */
class FileStoreKilledDuringRewritesTest {

    private static final Instant LATER = T0.plusSeconds(30);
    private static final int REWRITES_BEFORE_THE_KILL = 5;
    private static final int STEPS_BEFORE_THE_KILL = 400;

    @TempDir
    Path root;
    private Process child;

    @AfterEach
    void killTheChild() {
        if (child != null) {
            child.destroyForcibly();
        }
    }

    @Test
    void everyStepAcknowledgedBeforeAKillDuringARewriteIsThereAfter() throws Exception {
        Path directory = root.resolve("sessions");
        StoreKey key = StoreFixtures.newKey();
        child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), RewritingUnderLoad.class.getName(),
                directory.toString(), key.toBase64())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        Map<String, Integer> acknowledged = new HashMap<>();
        Map<String, Integer> sent = new HashMap<>();
        int rewrites = 0;
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(child.getInputStream(),
                StandardCharsets.US_ASCII))) {
            while (rewrites < REWRITES_BEFORE_THE_KILL || acknowledged.size() < STEPS_BEFORE_THE_KILL) {
                assertThat(System.nanoTime()).as("the child's progress within 2 minutes").isLessThan(deadline);
                String line = lines.readLine();
                assertThat(line).as("the child ended early (exit %s)", child.isAlive() ? "-" : child.exitValue())
                        .isNotNull();
                String[] parts = line.split(" ");
                switch (parts[0]) {
                    case "rewrote" -> rewrites++;
                    case "sent" -> sent.put(parts[1], step(parts[2]));
                    case "ack" -> acknowledged.put(parts[1], step(parts[2]));
                    default -> throw new AssertionError("the child said " + line);
                }
            }
            child.destroyForcibly(); // SIGKILL, while the child is still writing and rewriting
            // What it printed before it died (the pipe ends with it): acknowledged before the kill, too.
            for (String line = readLine(lines); line != null; line = readLine(lines)) {
                String[] parts = line.split(" ");
                if (parts[0].equals("ack")) {
                    acknowledged.put(parts[1], step(parts[2]));
                } else if (parts[0].equals("sent")) {
                    sent.put(parts[1], step(parts[2]));
                }
            }
        }
        child.waitFor();
        System.out.println("killed after " + rewrites + " rewrites and " + acknowledged.size() + " logins");

        StoreFixtures.Directory after = new StoreFixtures.Directory(directory, key, StoreFixtures.CRASH_TESTS,
                1_000_000);
        try (after) {
            FileSessionStore store = after.start();
            for (Map.Entry<String, Integer> entry : acknowledged.entrySet()) {
                StateHash login = new StateHash(entry.getKey());
                int step = entry.getValue();
                boolean nextInFlight = sent.get(entry.getKey()) > step;
                Object found = step <= 1 ? consume(store, login, LATER) : pickUp(store, login, LATER);
                List<Object> allowed = switch (step) {
                    case 0 -> nextInFlight ? List.of("consumable", ALREADY_USED) : List.of("consumable");
                    case 1 -> List.of(ALREADY_USED);
                    case 2 -> nextInFlight ? List.of("ready", ALREADY_PICKED_UP) : List.of("ready");
                    default -> List.of(ALREADY_PICKED_UP);
                };
                Object seen = found instanceof OAuthSession.Consumption.Consumed ? "consumable"
                        : found instanceof OAuthSession.PickUp.Ready ? "ready" : found;
                assertThat(allowed).as("login %s… acknowledged as %s", entry.getKey().substring(0, 8),
                        RewritingUnderLoad.STEPS[step]).contains(seen);
            }
            assertThat(summaries(store, LATER).size()).as("the 3,000 and the logins")
                    .isGreaterThanOrEqualTo(3_000 + acknowledged.size());
            assertThat(after.events.storeErrors).isEmpty();
        }
    }

    /** The next line, or {@code null} once the pipe is gone with the process. */
    private static String readLine(BufferedReader lines) {
        try {
            return lines.readLine();
        } catch (IOException closed) {
            return null;
        }
    }

    private static int step(String name) {
        return List.of(RewritingUnderLoad.STEPS).indexOf(name);
    }
}
