package org.opendelegate.delegate.script;

import java.util.ArrayDeque;

/** The last lines a script printed (already masked), for the message of a failed script. Thread-safe. */
final class LastLines {
    static final int KEEP = 20;
    static final int MAX_CHARS = 300;

    private final ArrayDeque<String> lines = new ArrayDeque<>();

    synchronized void add(String line) {
        if (lines.size() == KEEP) {
            lines.pollFirst();
        }
        lines.addLast(line.length() > MAX_CHARS ? line.substring(0, MAX_CHARS) + " [cut]" : line);
    }

    /** The lines, one per line, oldest first; empty when there were none. */
    synchronized String text() {
        return String.join("\n", lines);
    }
}
