package org.opendelegate.manager.installers;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;

/**
 * A small gzip-compressed tar archive (POSIX ustar) with one top-level folder, built in memory with
 * Apache Commons Compress. Every entry carries an explicit mode, so that scripts arrive executable and
 * files holding a token arrive readable by their owner only.
 */
public final class InstallerArchive {
    /** Mode of files that hold a secret: owner read/write only. */
    public static final int SECRET = 0600;
    /** Mode of ordinary files. */
    public static final int FILE = 0644;
    /** Mode of scripts. */
    public static final int SCRIPT = 0755;
    /** Mode of the folder. */
    private static final int FOLDER = 0755;

    private record Entry(String name, byte[] content, int mode) {}

    private final String folder;
    private final Date mtime;
    private final List<Entry> entries = new ArrayList<>();

    /** An archive whose entries all live in {@code folder/}, stamped with {@code time}. */
    public InstallerArchive(String folder, Instant time) {
        this.folder = folder;
        this.mtime = Date.from(time);
    }

    public InstallerArchive text(String name, String content, int mode) {
        return bytes(name, content.getBytes(StandardCharsets.UTF_8), mode);
    }

    public InstallerArchive bytes(String name, byte[] content, int mode) {
        String path = folder + "/" + name;
        // Names stay within ustar's 100 bytes (no extension headers) and inside the folder.
        if (path.length() > 99 || name.contains("..") || name.startsWith("/")) {
            throw new IllegalArgumentException("unsupported archive entry name: " + name);
        }
        entries.add(new Entry(path, content, mode));
        return this;
    }

    /** The archive as {@code .tar.gz} bytes. */
    public byte[] toTarGz() {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new GzipCompressorOutputStream(buffer))) {
            tar.putArchiveEntry(entry(folder + "/", FOLDER, 0));
            tar.closeArchiveEntry();
            for (Entry e : entries) {
                tar.putArchiveEntry(entry(e.name(), e.mode(), e.content().length));
                tar.write(e.content());
                tar.closeArchiveEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("writing to memory cannot fail", e);
        }
        return buffer.toByteArray();
    }

    private TarArchiveEntry entry(String name, int mode, long size) {
        TarArchiveEntry entry = new TarArchiveEntry(name);
        // The permission bits alone, as tar(1) writes them; the entry's type says file or folder.
        entry.setMode(mode);
        entry.setSize(size);
        entry.setModTime(mtime);
        entry.setUserName("root");
        entry.setGroupName("root");
        return entry;
    }
}
