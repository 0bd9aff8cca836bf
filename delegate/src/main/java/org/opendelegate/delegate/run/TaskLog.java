package org.opendelegate.delegate.run;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.opendelegate.protocol.LogLine;
import org.opendelegate.spi.LogStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The log lines of one task attempt not yet accepted by the Manager, numbered from 1 so that a progress call
 * sent again (its answer was lost) stores nothing twice. Bounded in memory. When memory is full the writer
 * waits for the Manager to accept lines (back pressure) for a while; if the Manager stays slow or unreachable,
 * lines go to a bounded spill file under the work directory and are sent later in order. Only when that bound
 * is reached too are new lines dropped, and one line in their place says how many. Thread-safe: the task
 * appends, the reporting loop sends.
 */
public final class TaskLog {
    private static final Logger LOG = LoggerFactory.getLogger(TaskLog.class);
    static final int MAX_LINE_CHARS = 65_536;

    private final Clock clock;
    private final Limits limits;
    private final LogSpill spill;
    private final Runnable onLines;
    private final ArrayDeque<LogLine> pending = new ArrayDeque<>();
    private long pendingChars;
    private long nextSeq = 1;
    private long dropped;
    private boolean spillBroken;

    /**
     * How much a task's log may hold before the Manager accepted it.
     *
     * @param maxLines lines in memory
     * @param maxChars characters in memory
     * @param backPressure how long a writer waits for room in memory before lines go to the spill file
     * @param spillFile where lines go after that; null for no spill (lines are dropped instead)
     * @param maxSpillBytes the bound of the spill file
     */
    public record Limits(int maxLines, long maxChars, Duration backPressure, Path spillFile, long maxSpillBytes) {
        /** Memory only, as tests and tasks without a work directory use it. */
        public static Limits inMemory() {
            return new Limits(10_000, 2_000_000, Duration.ofSeconds(2), null, 0);
        }

        /** The same bounds with a spill file. */
        public Limits spillingTo(Path file, long bytes) {
            return new Limits(maxLines, maxChars, backPressure, file, bytes);
        }
    }

    TaskLog(Clock clock) {
        this(clock, Limits.inMemory(), () -> {});
    }

    /** @param onLines called when lines arrive in an empty log, to wake the loop that sends them */
    TaskLog(Clock clock, Limits limits, Runnable onLines) {
        this.clock = clock;
        this.limits = limits;
        this.spill = limits.spillFile() == null ? null : new LogSpill(limits.spillFile(), limits.maxSpillBytes());
        this.onLines = onLines;
    }

    /** Appends the delegate's own text; each line of it becomes one log line. */
    public void append(String text) {
        append(null, text);
    }

    /** Appends text a task's process wrote to {@code stream} (null for the delegate's own lines). */
    public void append(LogStream stream, String text) {
        String name = stream == null ? null : stream == LogStream.STDERR ? LogLine.STDERR : LogLine.STDOUT;
        String safe = text == null ? "null" : text;
        boolean wasEmpty;
        synchronized (this) {
            wasEmpty = isEmpty();
            for (String line : safe.split("\\R", -1)) {
                accept(name, line.length() > MAX_LINE_CHARS ? line.substring(0, MAX_LINE_CHARS) + " [line cut]" : line);
            }
        }
        if (wasEmpty) {
            onLines.run();
        }
    }

    private void accept(String stream, String text) {
        if (spillEmpty() && (hasRoom(text) || awaitRoom(text))) {
            noteDropped();
            addToMemory(numbered(stream, text));
            return;
        }
        if (spill != null && !spillBroken && spill.hasRoom(new LogLine(clock.instant(), text))) {
            noteDropped();
            toSpill(numbered(stream, text));
            return;
        }
        dropped++;
    }

    private LogLine numbered(String stream, String text) {
        return new LogLine(clock.instant(), text, nextSeq++, stream);
    }

    /** Writes the line saying how many lines were dropped, where they were dropped. */
    private void noteDropped() {
        if (dropped == 0) {
            return;
        }
        String note = "[delegate] " + dropped + " log lines were dropped here: the Manager was unreachable and the"
                + " delegate's log buffer was full";
        dropped = 0;
        LogLine marker = numbered(null, note);
        if (spillEmpty()) {
            addToMemory(marker);
        } else {
            toSpill(marker);
        }
    }

    private boolean hasRoom(String text) {
        return pending.size() < limits.maxLines() && pendingChars + text.length() <= limits.maxChars();
    }

    /** Back pressure: waits until the sender made room, at most the configured time. */
    private boolean awaitRoom(String text) {
        long end = System.nanoTime() + limits.backPressure().toNanos();
        try {
            while (!hasRoom(text)) {
                long left = (end - System.nanoTime()) / 1_000_000;
                if (left <= 0) {
                    return false;
                }
                wait(left);
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private void addToMemory(LogLine line) {
        pending.addLast(line);
        pendingChars += line.text().length();
    }

    private void toSpill(LogLine line) {
        try {
            spill.add(line);
        } catch (IOException e) {
            LOG.warn(
                    "Cannot write log lines to {}; lines that do not fit in memory are dropped: {}",
                    limits.spillFile(),
                    e.toString());
            spillBroken = true;
            dropped++;
        }
    }

    private boolean spillEmpty() {
        return spill == null || spill.isEmpty();
    }

    /** Up to {@code max} of the oldest pending lines, in order. */
    public Batch peek(int max) {
        return peek(max, Long.MAX_VALUE);
    }

    /**
     * The oldest pending lines, in order: at most {@code maxLines}, and at most {@code maxBytes} as JSON
     * (estimated high), though always at least one line.
     */
    public synchronized Batch peek(int maxLines, long maxBytes) {
        refill();
        if (pending.isEmpty() && dropped > 0) {
            noteDropped();
        }
        List<LogLine> lines = new ArrayList<>(Math.min(maxLines, pending.size()));
        long bytes = 0;
        boolean full = false;
        for (LogLine line : pending) {
            long size = jsonBytes(line.text());
            if (lines.size() >= maxLines || (!lines.isEmpty() && bytes + size > maxBytes)) {
                full = true;
                break;
            }
            lines.add(line);
            bytes += size;
        }
        return new Batch(lines, full || !spillEmpty());
    }

    /** A line's size in a progress call, estimated high: escapes take 6 bytes, non-ASCII up to 3. */
    static long jsonBytes(String text) {
        long size = 80;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            size += c < 0x20 || c == '"' || c == '\\' ? 6 : c < 0x80 ? 1 : 3;
        }
        return size;
    }

    /** Forgets the lines of a batch the Manager accepted, and wakes a writer waiting for room. */
    public synchronized void remove(Batch batch) {
        for (int i = 0; i < batch.lines().size() && !pending.isEmpty(); i++) {
            pendingChars -= pending.pollFirst().text().length();
        }
        refill();
        notifyAll();
    }

    /** Moves spilled lines back to memory as room allows; they are older than anything written since. */
    private void refill() {
        try {
            while (!spillEmpty() && pending.size() < limits.maxLines() && pendingChars < limits.maxChars()) {
                addToMemory(spill.next());
            }
        } catch (IOException e) {
            LOG.warn("Cannot read log lines back from {}; they are lost: {}", limits.spillFile(), e.toString());
            clearSpill();
            spillBroken = true;
        }
    }

    /** True when nothing waits to be sent. */
    public synchronized boolean isEmpty() {
        return pending.isEmpty() && spillEmpty() && dropped == 0;
    }

    /** Forgets everything, for a task whose lease is gone. */
    public synchronized void clear() {
        pending.clear();
        pendingChars = 0;
        dropped = 0;
        clearSpill();
        notifyAll();
    }

    private void clearSpill() {
        if (spill == null) {
            return;
        }
        try {
            spill.delete();
        } catch (IOException e) {
            LOG.warn("Cannot delete the log spill file {}: {}", limits.spillFile(), e.toString());
        }
    }

    /**
     * Lines taken for one progress call.
     *
     * @param full more lines wait than this batch could hold
     */
    public record Batch(List<LogLine> lines, boolean full) {}
}
