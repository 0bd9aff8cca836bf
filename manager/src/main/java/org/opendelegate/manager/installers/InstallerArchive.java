package org.opendelegate.manager.installers;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;

/**
 * A small gzip-compressed tar archive (POSIX ustar) with one top-level folder, built in memory. Every
 * entry carries an explicit mode, so that scripts arrive executable and files holding a token arrive
 * readable by their owner only.
 */
public final class InstallerArchive {
    /** Mode of files that hold a secret: owner read/write only. */
    public static final int SECRET = 0600;
    /** Mode of ordinary files. */
    public static final int FILE = 0644;
    /** Mode of scripts. */
    public static final int SCRIPT = 0755;

    private static final int BLOCK = 512;

    private record Entry(String name, byte[] content, int mode, boolean directory) {
    }

    private final String folder;
    private final long mtime;
    private final List<Entry> entries = new ArrayList<>();

    /** An archive whose entries all live in {@code folder/}, stamped with {@code time}. */
    public InstallerArchive(String folder, Instant time) {
        this.folder = folder;
        this.mtime = time.getEpochSecond();
        entries.add(new Entry(folder + "/", new byte[0], 0755, true));
    }

    public InstallerArchive text(String name, String content, int mode) {
        return bytes(name, content.getBytes(StandardCharsets.UTF_8), mode);
    }

    public InstallerArchive bytes(String name, byte[] content, int mode) {
        String path = folder + "/" + name;
        if (path.length() > 99 || name.contains("..") || name.startsWith("/")) {
            throw new IllegalArgumentException("unsupported archive entry name: " + name);
        }
        entries.add(new Entry(path, content, mode, false));
        return this;
    }

    /** The archive as {@code .tar.gz} bytes. */
    public byte[] toTarGz() {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(buffer)) {
            for (Entry e : entries) {
                gzip.write(header(e));
                gzip.write(e.content());
                pad(gzip, e.content().length);
            }
            gzip.write(new byte[2 * BLOCK]);
        } catch (IOException e) {
            throw new UncheckedIOException("writing to memory cannot fail", e);
        }
        return buffer.toByteArray();
    }

    private byte[] header(Entry e) {
        byte[] h = new byte[BLOCK];
        put(h, 0, 100, e.name());
        octal(h, 100, 8, e.mode());
        octal(h, 108, 8, 0);
        octal(h, 116, 8, 0);
        octal(h, 124, 12, e.content().length);
        octal(h, 136, 12, mtime);
        h[156] = (byte) (e.directory() ? '5' : '0');
        put(h, 257, 6, "ustar");
        put(h, 263, 2, "00");
        put(h, 265, 32, "root");
        put(h, 297, 32, "root");
        for (int i = 148; i < 156; i++) {
            h[i] = ' ';
        }
        long sum = 0;
        for (byte b : h) {
            sum += b & 0xff;
        }
        String checksum = String.format("%06o", sum);
        put(h, 148, 6, checksum);
        h[154] = 0;
        h[155] = ' ';
        return h;
    }

    private static void put(byte[] header, int offset, int length, String value) {
        byte[] bytes = value.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(bytes, 0, header, offset, Math.min(bytes.length, length));
    }

    /** An octal number, zero-padded, followed by NUL, filling the field. */
    private static void octal(byte[] header, int offset, int length, long value) {
        String digits = Long.toOctalString(value);
        put(header, offset, length - 1, "0".repeat(Math.max(0, length - 1 - digits.length())) + digits);
    }

    private static void pad(OutputStream out, int length) throws IOException {
        int rest = length % BLOCK;
        if (rest != 0) {
            out.write(new byte[BLOCK - rest]);
        }
    }
}
