package dev.starlib.auth.bootstrap;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Where a generated admin password goes instead of the log, which is shipped to aggregators and read by many:
 * a file only the service's own user can read ({@code rw-------}, in a directory created {@code rwx------}).
 * Written to a temporary file first and moved into place, so the file never exists with wider permissions or
 * half a password, and a password of an earlier run is replaced whole.
 */
final class AdminPasswordFile {

    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");

    private AdminPasswordFile() {
    }

    /**
     * @return the file, absolute
     * @throws StarlibAuth.StartFailure naming ADMIN_PASSWORD_FILE when it cannot be written
     */
    static Path write(Path file, String password) {
        Path target = file.toAbsolutePath();
        try {
            Path directory = target.getParent();
            if (!Files.isDirectory(directory)) {
                Files.createDirectories(directory, POSIX ? new FileAttribute<?>[]{
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"))}
                        : new FileAttribute<?>[0]);
            }
            Path temporary = POSIX
                    ? Files.createTempFile(directory, ".admin-password-", ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))
                    : Files.createTempFile(directory, ".admin-password-", ".tmp");
            try {
                Files.writeString(temporary, password + System.lineSeparator(), StandardCharsets.UTF_8);
                Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(temporary);
            }
            return target;
        } catch (IOException | RuntimeException e) {
            throw new StarlibAuth.StartFailure("ADMIN_PASSWORD_FILE " + target + " cannot be written ("
                    + e.getClass().getSimpleName() + "): set ADMIN_PASSWORD, or ADMIN_PASSWORD_FILE to a path this "
                    + "user may write");
        }
    }
}
