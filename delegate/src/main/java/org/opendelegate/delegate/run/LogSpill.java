package org.opendelegate.delegate.run;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.opendelegate.protocol.LogLine;

/**
 * A task's log lines that did not fit in memory while the Manager was slow or unreachable: a file under the
 * delegate's work directory, read back in the order written, bounded in bytes. The file is deleted whenever
 * it has been read to its end, so a drained spill takes no disk. Not thread-safe: {@link TaskLog} guards it.
 */
final class LogSpill {
    private static final int RECORD_OVERHEAD = 8 + 8 + 4 + 1 + 4;

    private final Path file;
    private final long maxBytes;
    private DataOutputStream out;
    private DataInputStream in;
    private long bytes;
    private int count;

    LogSpill(Path file, long maxBytes) {
        this.file = file;
        this.maxBytes = maxBytes;
    }

    boolean isEmpty() {
        return count == 0;
    }

    /** True when the line fits in what is left of the bound. */
    boolean hasRoom(LogLine line) {
        return bytes + size(line) <= maxBytes;
    }

    void add(LogLine line) throws IOException {
        if (out == null) {
            Files.createDirectories(file.getParent());
            out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file)));
        }
        byte[] text = line.text().getBytes(StandardCharsets.UTF_8);
        out.writeLong(line.seq());
        Instant at = line.at();
        out.writeLong(at.getEpochSecond());
        out.writeInt(at.getNano());
        out.writeByte(streamCode(line.stream()));
        out.writeInt(text.length);
        out.write(text);
        bytes += RECORD_OVERHEAD + text.length;
        count++;
    }

    /** The oldest line not read yet; call only when not {@link #isEmpty()}. */
    LogLine next() throws IOException {
        out.flush();
        if (in == null) {
            in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)));
        }
        long seq = in.readLong();
        Instant at = Instant.ofEpochSecond(in.readLong(), in.readInt());
        String stream = streamName(in.readByte());
        byte[] text = new byte[in.readInt()];
        in.readFully(text);
        count--;
        if (count == 0) {
            delete();
        }
        return new LogLine(at, new String(text, StandardCharsets.UTF_8), seq, stream);
    }

    /** Forgets every line and removes the file. */
    void delete() throws IOException {
        DataOutputStream o = out;
        DataInputStream i = in;
        out = null;
        in = null;
        count = 0;
        bytes = 0;
        try {
            if (o != null) {
                o.close();
            }
        } finally {
            if (i != null) {
                i.close();
            }
            Files.deleteIfExists(file);
        }
    }

    private static long size(LogLine line) {
        String text = line.text();
        long bytes = RECORD_OVERHEAD;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            // A surrogate pair is 4 bytes for 2 chars; a lone surrogate is written as one '?'.
            bytes += c < 0x80 ? 1 : c < 0x800 ? 2 : Character.isSurrogate(c) ? 2 : 3;
        }
        return bytes;
    }

    private static int streamCode(String stream) {
        if (LogLine.STDOUT.equals(stream)) {
            return 1;
        }
        return LogLine.STDERR.equals(stream) ? 2 : 0;
    }

    private static String streamName(int code) {
        return code == 1 ? LogLine.STDOUT : code == 2 ? LogLine.STDERR : null;
    }
}
