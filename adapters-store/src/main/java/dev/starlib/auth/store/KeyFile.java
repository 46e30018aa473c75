package dev.starlib.auth.store;

import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;

/**
 * The store's key when none is configured: base64 in {@code store.key} next to the log, created once with
 * mode 0600. Whoever can read it can read the sessions, which is why a configured key is better.
 */
final class KeyFile {

    static final String NAME = "store.key";

    record Loaded(StoreKey key, Path file, boolean created, boolean tightened) {
    }

    private KeyFile() {
    }

    static Loaded loadOrCreate(Path directory, SecureRandom random) throws IOException {
        Path file = directory.resolve(NAME);
        if (Files.exists(file)) {
            boolean tightened = PrivateFiles.tighten(file, PrivateFiles.FILE);
            String text = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
            try {
                return new Loaded(StoreKey.fromBase64(text), file, false, tightened);
            } catch (IllegalArgumentException e) {
                throw new IOException("the key file " + file + " " + e.getMessage());
            }
        }
        StoreKey key = StoreKey.generate(random);
        Path fresh = directory.resolve(NAME + ".new");
        Files.deleteIfExists(fresh);
        PrivateFiles.createFile(fresh);
        try (FileOutputStream out = new FileOutputStream(fresh.toFile())) {
            out.write((key.toBase64() + "\n").getBytes(StandardCharsets.US_ASCII));
            out.getFD().sync();
        }
        Files.move(fresh, file, StandardCopyOption.ATOMIC_MOVE);
        PrivateFiles.syncDirectory(directory);
        return new Loaded(key, file, true, false);
    }
}
