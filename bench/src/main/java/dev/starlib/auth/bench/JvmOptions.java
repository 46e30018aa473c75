package dev.starlib.auth.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The service's JVM settings, read the way run.sh reads them: by sourcing {@code scripts/jvm-options.sh} in bash.
 * One source for both, so the benchmark can never measure settings that run.sh does not use.
 */
final class JvmOptions {

    static final String SCRIPT = "scripts/jvm-options.sh";

    private JvmOptions() {
    }

    static List<String> ofRunSh(Path root) throws IOException, InterruptedException {
        if (!Files.isRegularFile(root.resolve(SCRIPT))) {
            throw new IllegalStateException(root.resolve(SCRIPT) + " is missing: run the benchmark from the repository");
        }
        Process bash = new ProcessBuilder("bash", "-c",
                "set -eu; . " + SCRIPT + "; for option in \"${STARLIB_JVM_OPTIONS[@]}\"; do printf '%s\\n' \"$option\"; done")
                .directory(root.toFile())
                .redirectErrorStream(true)
                .start();
        String output = new String(bash.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (bash.waitFor() != 0) {
            throw new IllegalStateException(SCRIPT + " failed in bash:\n" + output);
        }
        return output.lines().filter(line -> !line.isEmpty()).toList();
    }
}
