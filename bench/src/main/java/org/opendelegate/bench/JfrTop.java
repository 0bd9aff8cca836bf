package org.opendelegate.bench;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

/**
 * The top frames of a JFR recording's execution samples ({@code jdk.ExecutionSample}): by the method on top of
 * the stack (self time) and by every method on the stack (total time, each counted once per sample), as a
 * share of all samples.
 *
 * <p>Arguments: recording.jfr [rows, default 25] [package prefix for the "total" table, default
 * {@code org.opendelegate}] [seconds to leave out from the recording's start, default 0: e.g. a bench's start-up
 * and warm-up, while the JIT still compiles, to see the steady state only]
 */
public final class JfrTop {
    private JfrTop() {}

    public static void main(String[] args) throws Exception {
        int rows = args.length > 1 ? Integer.parseInt(args[1]) : 25;
        String prefix = args.length > 2 ? args[2] : "org.opendelegate";
        long skipSeconds = args.length > 3 ? Long.parseLong(args[3]) : 0;
        Map<String, Integer> self = new HashMap<>();
        Map<String, Integer> total = new HashMap<>();
        int samples = 0;
        List<RecordedEvent> events = readUpToCut(Path.of(args[0]));
        java.time.Instant from = events.stream()
                .map(RecordedEvent::getStartTime)
                .min(java.util.Comparator.naturalOrder())
                .orElse(java.time.Instant.MIN)
                .plusSeconds(skipSeconds);
        for (RecordedEvent event : events) {
            if (!event.getEventType().getName().equals("jdk.ExecutionSample")
                    || event.getStackTrace() == null
                    || event.getStartTime().isBefore(from)) {
                continue;
            }
            List<RecordedFrame> frames = event.getStackTrace().getFrames();
            if (frames.isEmpty()) {
                continue;
            }
            samples++;
            self.merge(name(frames.get(0)), 1, Integer::sum);
            Set<String> seen = new HashSet<>();
            for (RecordedFrame frame : frames) {
                String name = name(frame);
                if (name.startsWith(prefix) && seen.add(name)) {
                    total.merge(name, 1, Integer::sum);
                }
            }
        }
        System.out.println(samples + " execution samples in " + args[0]
                + (skipSeconds > 0 ? " after its first " + skipSeconds + " s" : ""));
        print("self (top of stack)", self, samples, rows);
        print("total (on the stack), " + prefix + " only", total, samples, rows);
    }

    /**
     * Every event of the recording, or of its whole chunks when the file was cut while being written (the
     * Manager stopped while the recording was dumped): what was read is still a profile, and is said to be partial.
     */
    private static List<RecordedEvent> readUpToCut(Path file) throws java.io.IOException {
        List<RecordedEvent> events = new java.util.ArrayList<>();
        try (RecordingFile recording = new RecordingFile(file)) {
            while (recording.hasMoreEvents()) {
                events.add(recording.readEvent());
            }
        } catch (java.io.EOFException cut) {
            System.out.println("(the recording is cut short, " + cut.getMessage() + ": the events before the cut)");
        }
        return events;
    }

    private static String name(RecordedFrame frame) {
        return frame.getMethod().getType().getName() + "." + frame.getMethod().getName();
    }

    private static void print(String title, Map<String, Integer> counts, int samples, int rows) {
        System.out.println("| " + title + " | share |");
        System.out.println("|---|---|");
        counts.entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
                .limit(rows)
                .forEach(e -> System.out.printf("| `%s` | %.1f %% |%n", e.getKey(), 100.0 * e.getValue() / samples));
    }
}
