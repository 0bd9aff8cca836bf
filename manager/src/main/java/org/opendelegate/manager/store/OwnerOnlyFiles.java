package org.opendelegate.manager.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;

/**
 * Keeps the data directory readable by the Manager's user only, whatever the umask: the directory 0700, every
 * file in it 0600 (the H2 database, its trace file, the generated master key). H2 creates its files itself
 * with the process umask, so the files are fixed after the store is open, and again at every start for files
 * an older version left world-readable. On a file system without POSIX permissions nothing is changed.
 */
final class OwnerOnlyFiles {
    private OwnerOnlyFiles() {}

    /** Creates the directory if missing and makes it and the files directly in it owner-only. */
    static void secure(Path dataDir) {
        try {
            Files.createDirectories(dataDir);
            if (!dataDir.getFileSystem().supportedFileAttributeViews().contains("posix")) {
                return;
            }
            Files.setPosixFilePermissions(dataDir, PosixFilePermissions.fromString("rwx------"));
            try (Stream<Path> files = Files.list(dataDir)) {
                for (Path file : (Iterable<Path>) files::iterator) {
                    if (Files.isRegularFile(file)) {
                        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make the data directory " + dataDir + " owner-only", e);
        }
    }
}
