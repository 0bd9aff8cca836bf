package org.opendelegate.delegate.profile;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.opendelegate.protocol.LogLine;

/**
 * Output lines of one profile run not yet accepted by the Manager, numbered from 0. Bounded to the last
 * {@value #MAX_PENDING_CHARS} characters, as much as the Manager keeps anyway: while the Manager is
 * unreachable a chatty script cannot fill the delegate's memory. Lines that gave way leave a gap in the
 * numbering, which the Manager notes in the kept output. Thread-safe: the run's thread adds, the
 * reporting loop sends.
 */
final class ProfileOutput {
    static final int MAX_PENDING_CHARS = 64 * 1024;
    static final int MAX_LINE_CHARS = 8192;

    private final ArrayDeque<LogLine> pending = new ArrayDeque<>();
    private long firstPending;
    private long pendingChars;

    /** Lines taken for one report: their number in the run and the lines. */
    record Batch(long firstLine, List<LogLine> lines) {}

    synchronized void add(String text, Instant at) {
        String line = text.length() > MAX_LINE_CHARS ? text.substring(0, MAX_LINE_CHARS) + " [line cut]" : text;
        pending.addLast(new LogLine(at, line));
        pendingChars += line.length() + 1;
        while (pendingChars > MAX_PENDING_CHARS && pending.size() > 1) {
            pendingChars -= pending.pollFirst().text().length() + 1;
            firstPending++;
        }
    }

    /** Up to {@code max} of the oldest pending lines. */
    synchronized Batch peek(int max) {
        List<LogLine> lines = new ArrayList<>(Math.min(max, pending.size()));
        for (LogLine line : pending) {
            if (lines.size() >= max) {
                break;
            }
            lines.add(line);
        }
        return new Batch(firstPending, lines);
    }

    /** Forgets the lines of a batch the Manager accepted (those not already dropped). */
    synchronized void sent(Batch batch) {
        long end = batch.firstLine() + batch.lines().size();
        while (firstPending < end && !pending.isEmpty()) {
            pendingChars -= pending.pollFirst().text().length() + 1;
            firstPending++;
        }
    }

    synchronized int size() {
        return pending.size();
    }

    synchronized boolean isEmpty() {
        return pending.isEmpty();
    }
}
