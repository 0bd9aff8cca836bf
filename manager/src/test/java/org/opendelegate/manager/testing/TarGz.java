package org.opendelegate.manager.testing;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/** Reads a {@code .tar.gz} (ustar) in tests: every entry with its mode and content. */
public final class TarGz {
    /** One archive entry. */
    public record Entry(String name, int mode, char type, byte[] content) {
        public String text() {
            return new String(content, StandardCharsets.UTF_8);
        }
    }

    private TarGz() {}

    /** Entries by name, in archive order. */
    public static Map<String, Entry> read(byte[] tarGz) {
        Map<String, Entry> entries = new LinkedHashMap<>();
        try (DataInputStream in = new DataInputStream(new GZIPInputStream(new ByteArrayInputStream(tarGz)))) {
            byte[] header = new byte[512];
            while (true) {
                in.readFully(header);
                if (header[0] == 0) {
                    break;
                }
                String name = field(header, 0, 100);
                int mode = Integer.parseInt(field(header, 100, 8).trim(), 8);
                int size = Integer.parseInt(field(header, 124, 12).trim(), 8);
                byte[] content = new byte[size];
                in.readFully(content);
                in.skipNBytes((512 - size % 512) % 512);
                entries.put(name, new Entry(name, mode, (char) header[156], content));
            }
        } catch (EOFException e) {
            throw new AssertionError("the archive ends without its two zero blocks", e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return entries;
    }

    private static String field(byte[] header, int offset, int length) {
        int end = offset;
        while (end < offset + length && header[end] != 0) {
            end++;
        }
        return new String(header, offset, end - offset, StandardCharsets.US_ASCII);
    }
}
