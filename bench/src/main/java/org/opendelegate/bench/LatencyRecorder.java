package org.opendelegate.bench;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Collects latencies from many threads into a fixed buffer (a window of the run), each with the wall-clock
 * time its call was sent, so that a tail can be laid beside the collector's and the sweeps' logs.
 */
final class LatencyRecorder {
    private final long[] samples;
    private final long[] sentAtMillis;
    private final AtomicInteger count = new AtomicInteger();
    private final AtomicInteger failures = new AtomicInteger();
    private volatile boolean recording;

    LatencyRecorder(int capacity) {
        samples = new long[capacity];
        sentAtMillis = new long[capacity];
    }

    /** Starts a window; the samples of an earlier window are dropped (each step's figures are its own). */
    void start() {
        count.set(0);
        failures.set(0);
        recording = true;
    }

    /** Records a call that took {@code nanos} and was answered just now. */
    void record(long nanos) {
        if (!recording) {
            return;
        }
        int i = count.getAndIncrement();
        if (i < samples.length) {
            samples[i] = nanos;
            sentAtMillis[i] = System.currentTimeMillis() - nanos / 1_000_000;
        }
    }

    void failed() {
        if (recording) {
            failures.incrementAndGet();
        }
    }

    int failures() {
        return failures.get();
    }

    Stats stop() {
        recording = false;
        int n = Math.min(count.get(), samples.length);
        long[] copy = new long[n];
        System.arraycopy(samples, 0, copy, 0, n);
        return new Stats(copy);
    }

    /** Writes the last window's samples as CSV: send time (epoch ms), latency (ms). */
    void writeTimeline(Path file) throws IOException {
        int n = Math.min(count.get(), samples.length);
        try (PrintWriter out = new PrintWriter(Files.newBufferedWriter(file))) {
            out.println("sent_at_ms,latency_ms");
            for (int i = 0; i < n; i++) {
                out.printf("%d,%.3f%n", sentAtMillis[i], samples[i] / 1e6);
            }
        }
    }
}
