package org.opendelegate.manager.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opendelegate.manager.config.StoreConfig;

/**
 * The data directory and its files are the Manager user's only, whatever the umask left: files an older
 * version (or a permissive umask) made world-readable are fixed at start, and H2's own files too.
 */
class OwnerOnlyFilesTest {
    @TempDir
    Path temp;

    @Test
    void theDataDirectoryIs0700AndEveryFileIn0600AfterTheStoreOpens() throws Exception {
        Path dataDir = temp.resolve("data");
        Files.createDirectories(dataDir);
        // What a permissive umask (000) leaves: everything readable and writable by everyone.
        Files.setPosixFilePermissions(dataDir, PosixFilePermissions.fromString("rwxrwxrwx"));
        for (String name : new String[] {"master.key", "opendelegate.trace.db"}) {
            Path file = Files.writeString(dataDir.resolve(name), "old\n");
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-rw-rw-"));
        }

        StoreConfig config = new StoreConfig(dataDir, Optional.empty(), "sa", "", Optional.empty(), Optional.empty());
        try (Database database = Database.open(config)) {
            assertThat(database.isReachable()).isTrue();
            assertThat(mode(dataDir)).isEqualTo("rwx------");
            assertThat(dataDir.resolve("opendelegate.mv.db")).exists();
            assertThat(mode(dataDir.resolve("opendelegate.mv.db"))).isEqualTo("rw-------");
            assertThat(mode(dataDir.resolve("opendelegate.trace.db"))).isEqualTo("rw-------");
            assertThat(mode(dataDir.resolve("master.key"))).isEqualTo("rw-------");
        }
    }

    @Test
    void aNewDataDirectoryIsCreatedOwnerOnly() throws Exception {
        Path dataDir = temp.resolve("fresh/data");
        StoreConfig config = new StoreConfig(dataDir, Optional.empty(), "sa", "", Optional.empty(), Optional.empty());
        try (Database database = Database.open(config)) {
            assertThat(database.isReachable()).isTrue();
            assertThat(mode(dataDir)).isEqualTo("rwx------");
            try (var files = Files.list(dataDir)) {
                assertThat(files.toList())
                        .isNotEmpty()
                        .allSatisfy(f -> assertThat(mode(f)).as(f.toString()).isEqualTo("rw-------"));
            }
        }
    }

    private static String mode(Path path) {
        try {
            return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
