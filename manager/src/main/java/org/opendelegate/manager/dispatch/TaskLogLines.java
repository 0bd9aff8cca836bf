package org.opendelegate.manager.dispatch;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.opendelegate.protocol.LogLine;

/**
 * The shape of stored log lines: a line longer than the line limit becomes several lines (never cut inside
 * a character), and the gap line says what the bounded log dropped.
 */
final class TaskLogLines {
    private TaskLogLines() {}

    /** {@code text} as lines of at most {@code maxBytes} UTF-8 bytes each, in order. */
    static List<String> split(String text, int maxBytes) {
        // A UTF-16 char is at most 3 UTF-8 bytes (a surrogate pair is 4 for 2 chars): short lines fit.
        if ((long) text.length() * 3 <= maxBytes) {
            return List.of(text);
        }
        List<String> parts = new ArrayList<>();
        int start = 0;
        int bytes = 0;
        int i = 0;
        while (i < text.length()) {
            int cp = text.codePointAt(i);
            int width = utf8Width(cp);
            if (bytes + width > maxBytes) {
                parts.add(text.substring(start, i));
                start = i;
                bytes = 0;
            }
            bytes += width;
            i += Character.charCount(cp);
        }
        parts.add(text.substring(start));
        return parts;
    }

    private static int utf8Width(int cp) {
        if (cp < 0x80) {
            return 1;
        }
        if (cp < 0x800) {
            return 2;
        }
        // A lone surrogate is written as '?' by the encoder; counting 3 keeps the bound safe.
        return cp < 0x10000 ? 3 : 4;
    }

    /**
     * The stream a delegate named, as stored: {@code stdout} or {@code stderr}, null for anything else (the
     * delegate's own lines, or a name this Manager does not know, which it does not store verbatim).
     */
    static String stream(String named) {
        if (LogLine.STDOUT.equals(named) || LogLine.STDERR.equals(named)) {
            return named;
        }
        return null;
    }

    /** The gap line between the kept first part and the kept last part of a log. */
    static String gapNote(long droppedLines, long droppedBytes, long maxBytes) {
        return String.format(
                Locale.ROOT,
                "[OpenDelegate] %,d lines (%s) dropped here: a task keeps the first and the last %s of its log"
                        + " (OPENDELEGATE_TASK_LOG_MAX_BYTES=%s).",
                droppedLines,
                size(droppedBytes),
                size(maxBytes / 2),
                size(maxBytes));
    }

    static String size(long bytes) {
        if (bytes < 1024) {
            return bytes + " bytes";
        }
        if (bytes < 1024 * 1024) {
            return String.format(Locale.ROOT, "%.1f KiB", bytes / 1024.0);
        }
        return String.format(Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024));
    }
}
