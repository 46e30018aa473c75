package dev.starlib.auth.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The service's JVM settings, read the way run.sh reads them: by sourcing {@code scripts/jvm-options.sh} in bash.
 * One source for both, so the benchmark can never measure settings that run.sh does not use.
 */
final class JvmOptions {

    static final String SCRIPT = "scripts/jvm-options.sh";

    private JvmOptions() {
    }

    /**
     * The settings for {@code serviceJar} as its own checkout's run.sh gives them. For {@code --jar} of another
     * checkout ({@code <checkout>/bootstrap/target/starlib-auth.jar}) that is the other checkout's script, with
     * the AOT cache trained for its classes; a jar outside a checkout runs without an AOT cache. Never this
     * checkout's cache for another build: the JVM takes a cache trained on other jars at the same relative paths
     * (it substitutes the directories and does not look inside the jars) and then runs the classes it archived,
     * a mix of two builds ({@code NoClassDefFoundError} for a class only one of them has).
     */
    static List<String> forJar(Path root, Path serviceJar) throws IOException, InterruptedException {
        Optional<Path> ownRoot = checkoutOf(serviceJar);
        if (ownRoot.isPresent()) {
            return ofRunSh(ownRoot.get());
        }
        return ofRunSh(root).stream().filter(option -> !option.startsWith("-XX:AOTCache=")).toList();
    }

    /** The checkout a jar was built in ({@code <checkout>/bootstrap/target/starlib-auth.jar}), if it is one. */
    static Optional<Path> checkoutOf(Path serviceJar) {
        Path jar = serviceJar.toAbsolutePath().normalize();
        if (jar.getNameCount() < 4 || !jar.endsWith(Path.of("bootstrap", "target", "starlib-auth.jar"))) {
            return Optional.empty();
        }
        Path checkout = jar.getParent().getParent().getParent();
        return Files.isRegularFile(checkout.resolve(SCRIPT)) ? Optional.of(checkout) : Optional.empty();
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
