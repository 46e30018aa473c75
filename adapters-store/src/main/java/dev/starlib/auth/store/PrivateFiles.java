package dev.starlib.auth.store;

import java.io.IOException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Files only this user may read: the directory is created 0700 and every file 0600, in the same system
 * call that creates them, so there is no moment at which they are wider. POSIX file systems only.
 */
final class PrivateFiles {

    static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");
    static final Set<PosixFilePermission> DIRECTORY = PosixFilePermissions.fromString("rwx------");
    private static final int SYNC_ATTEMPTS = 3;

    private PrivateFiles() {
    }

    static void requirePosix(Path directory) {
        if (!directory.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            throw new UnsupportedOperationException("the file session store needs a POSIX file system "
                    + "(Linux, macOS) to keep its files private; use SESSION_STORE=memory here");
        }
    }

    /** Creates the directory 0700 (its missing parents as the umask says), or tightens an existing one. */
    static boolean createOrTightenDirectory(Path directory) throws IOException {
        if (Files.isDirectory(directory)) {
            return tighten(directory, DIRECTORY);
        }
        Path parent = directory.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        try {
            Files.createDirectory(directory, attribute(DIRECTORY));
        } catch (FileAlreadyExistsException createdMeanwhile) {
            if (!Files.isDirectory(directory)) {
                throw new IOException(directory + " exists and is not a directory");
            }
            return tighten(directory, DIRECTORY);
        }
        syncDirectory(parent);
        return false;
    }

    /** Creates an empty file 0600; fails if it exists. The caller syncs the directory when the name matters. */
    static void createFile(Path file) throws IOException {
        Files.newByteChannel(file, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                attribute(FILE)).close();
    }

    /** Takes group and other permissions away; true when there were any. */
    static boolean tighten(Path path, Set<PosixFilePermission> wanted) throws IOException {
        Set<PosixFilePermission> actual = Files.getPosixFilePermissions(path);
        if (wanted.containsAll(actual)) {
            return false;
        }
        Files.setPosixFilePermissions(path, wanted);
        return true;
    }

    /**
     * Makes the directory's entries (a create, a rename) durable. A {@link FileChannel} is closed when the
     * thread using it is interrupted, so an interrupted attempt is retried on a fresh channel.
     */
    static void syncDirectory(Path directory) throws IOException {
        boolean interrupted = false;
        try {
            for (int attempt = 1; ; attempt++) {
                interrupted |= Thread.interrupted();
                try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
                    channel.force(true);
                    return;
                } catch (ClosedByInterruptException e) {
                    interrupted = true;
                    if (attempt == SYNC_ATTEMPTS) {
                        throw e;
                    }
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static FileAttribute<Set<PosixFilePermission>> attribute(Set<PosixFilePermission> permissions) {
        return PosixFilePermissions.asFileAttribute(permissions);
    }
}
