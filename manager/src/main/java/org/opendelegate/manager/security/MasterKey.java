package org.opendelegate.manager.security;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import java.util.Set;

/**
 * Where the master key comes from: {@code OPENDELEGATE_MASTER_KEY} (base64 of 32 bytes), or a key the
 * Manager generates once into {@code <data dir>/master.key}, readable by its owner only. Several Manager
 * replicas must share one key, so they should all get it from the environment.
 */
public final class MasterKey {
    /** The file name of a generated key in the data directory. */
    public static final String FILE = "master.key";

    private MasterKey() {}

    /** The key bytes, from the environment value or the data directory (generated there if missing). */
    public static byte[] load(Optional<String> configured, Path dataDir) {
        if (configured.isPresent()) {
            return decode(configured.get());
        }
        Path file = dataDir.resolve(FILE);
        try {
            Files.createDirectories(dataDir);
            if (!Files.exists(file)) {
                generate(file);
            }
            return decode(Files.readString(file, StandardCharsets.US_ASCII).trim());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create the master key " + file, e);
        }
    }

    /** Decodes base64 of exactly 32 bytes, or says what is wrong. */
    public static byte[] decode(String base64) {
        byte[] key;
        try {
            key = Base64.getDecoder().decode(base64.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("is not base64; generate one with `openssl rand -base64 32`");
        }
        if (key.length != 32) {
            throw new IllegalArgumentException(
                    "decodes to " + key.length + " bytes, not 32; generate one with " + "`openssl rand -base64 32`");
        }
        return key;
    }

    private static void generate(Path file) throws IOException {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        String text = Base64.getEncoder().encodeToString(key) + "\n";
        try {
            if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
                Set<PosixFilePermission> ownerOnly = PosixFilePermissions.fromString("rw-------");
                Files.createFile(file, PosixFilePermissions.asFileAttribute(ownerOnly));
            } else {
                Files.createFile(file);
            }
            Files.writeString(file, text, StandardCharsets.US_ASCII);
        } catch (FileAlreadyExistsException raced) {
            // Another process generated it first; use theirs.
        }
    }
}
