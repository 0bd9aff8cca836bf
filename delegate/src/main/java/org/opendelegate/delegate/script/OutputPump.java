package org.opendelegate.delegate.script;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.opendelegate.spi.LogStream;
import org.opendelegate.spi.TaskContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads one output of a script (stdout or stderr) on a thread of its own and turns it into log lines, in
 * order: split at {@code \n} (a trailing {@code \r} dropped), lines longer than {@value #MAX_LINE_BYTES}
 * bytes cut into several at a character boundary, decoded as UTF-8 with invalid bytes replaced (binary
 * output garbles, it never fails), control characters other than tab and ESC made U+FFFD (the Manager and
 * databases refuse them; ESC stays for ANSI colours), then masked. Memory
 * stays bounded whatever the script writes: one buffer of at most one line. {@link TaskContext#log} may
 * block (back pressure); the script then blocks on its full pipe, which is what bounds it.
 */
final class OutputPump implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(OutputPump.class);
    static final int MAX_LINE_BYTES = 64 * 1024;

    private final InputStream in;
    private final LogStream stream;
    private final SecretMasker masker;
    private final TaskContext context;
    private final LastLines last;
    private final byte[] line = new byte[MAX_LINE_BYTES];
    private int length;
    private boolean logBroken;

    OutputPump(InputStream in, LogStream stream, SecretMasker masker, TaskContext context, LastLines last) {
        this.in = in;
        this.stream = stream;
        this.masker = masker;
        this.context = context;
        this.last = last;
    }

    @Override
    public void run() {
        byte[] chunk = new byte[8192];
        try (in) {
            int read;
            while ((read = in.read(chunk)) >= 0) {
                for (int i = 0; i < read; i++) {
                    accept(chunk[i]);
                }
            }
        } catch (IOException e) {
            // The pipe closes when the process group is killed: what was read so far is still logged below.
            LOG.debug("Reading the script's {} ended: {}", stream, e.getMessage());
        }
        if (length > 0) {
            emit(length);
        }
    }

    private void accept(byte b) {
        if (b == '\n') {
            emit(length > 0 && line[length - 1] == '\r' ? length - 1 : length);
            length = 0;
            return;
        }
        if (length == MAX_LINE_BYTES) {
            int cut = characterBoundary();
            emit(cut);
            System.arraycopy(line, cut, line, 0, length - cut);
            length -= cut;
        }
        line[length++] = b;
    }

    /** Where to cut a full buffer so that no UTF-8 character is split (the whole buffer for binary data). */
    private int characterBoundary() {
        for (int i = length - 1; i >= Math.max(1, length - 4); i--) {
            int b = line[i] & 0xFF;
            if ((b & 0xC0) != 0x80) {
                int size = b < 0x80 ? 1 : b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : 2;
                return i + size <= length ? length : i;
            }
        }
        return length;
    }

    /** The text with control characters the Manager refuses replaced by U+FFFD; tab and ESC are kept. */
    static String visible(String text) {
        StringBuilder out = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean refused = (c < 0x20 && c != '\t' && c != 0x1b) || c == 0x7f;
            if (refused && out == null) {
                out = new StringBuilder(text.length()).append(text, 0, i);
            }
            if (out != null) {
                out.append(refused ? '\uFFFD' : c);
            }
        }
        return out == null ? text : out.toString();
    }

    private void emit(int bytes) {
        String text = visible(new String(line, 0, bytes, StandardCharsets.UTF_8));
        String masked = masker.mask(text);
        last.add(masked);
        if (logBroken) {
            return;
        }
        try {
            context.log(stream, masked);
        } catch (RuntimeException e) {
            // Keep draining the pipe, or the script would block forever on a full one.
            logBroken = true;
            LOG.warn("Cannot pass the script's {} to the task log any more: {}", stream, e.toString());
        }
    }
}
