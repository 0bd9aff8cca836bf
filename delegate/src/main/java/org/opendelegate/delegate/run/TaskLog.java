package org.opendelegate.delegate.run;

import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.opendelegate.protocol.LogLine;

/**
 * The log lines of one task not yet accepted by the Manager. Bounded: while the Manager is unreachable a
 * chatty task must not fill the delegate's memory, so the oldest lines give way and a marker line says
 * how many were lost. Thread-safe: the task appends, the reporting loop sends.
 */
public final class TaskLog {
    static final int MAX_PENDING = 10_000;
    static final int MAX_LINE_CHARS = 8_192;

    private final Clock clock;
    private final ArrayDeque<LogLine> pending = new ArrayDeque<>();
    private long dropped;

    TaskLog(Clock clock) {
        this.clock = clock;
    }

    /** Appends text; each line of it becomes one log line. */
    public synchronized void append(String text) {
        String safe = text == null ? "null" : text;
        for (String line : safe.split("\\R", -1)) {
            if (pending.size() >= MAX_PENDING) {
                pending.pollFirst();
                dropped++;
            }
            String cut = line.length() > MAX_LINE_CHARS ? line.substring(0, MAX_LINE_CHARS) + " [line cut]" : line;
            pending.addLast(new LogLine(clock.instant(), cut));
        }
    }

    /** Up to {@code max} of the oldest pending lines (a marker first when lines were lost). */
    public synchronized Batch peek(int max) {
        List<LogLine> lines = new ArrayList<>(Math.min(max, pending.size() + 1));
        long lost = dropped;
        if (lost > 0) {
            lines.add(new LogLine(
                    clock.instant(),
                    "[delegate] " + lost + " earlier log lines were dropped while the" + " Manager was unreachable"));
        }
        for (LogLine line : pending) {
            if (lines.size() >= max) {
                break;
            }
            lines.add(line);
        }
        return new Batch(lines, lost);
    }

    /** Forgets the lines of a batch the Manager accepted. */
    public synchronized void remove(Batch batch) {
        int real = batch.lines().size() - (batch.dropped() > 0 ? 1 : 0);
        for (int i = 0; i < real && !pending.isEmpty(); i++) {
            pending.pollFirst();
        }
        dropped -= batch.dropped();
    }

    /** True when nothing waits to be sent. */
    public synchronized boolean isEmpty() {
        return pending.isEmpty() && dropped == 0;
    }

    /** Forgets everything, for a task whose lease is gone. */
    public synchronized void clear() {
        pending.clear();
        dropped = 0;
    }

    /**
     * Lines taken for one progress call.
     *
     * @param lines the lines, marker included
     * @param dropped how many lost lines the marker reports, 0 for none
     */
    public record Batch(List<LogLine> lines, long dropped) {}
}
