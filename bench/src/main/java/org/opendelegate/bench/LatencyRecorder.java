package org.opendelegate.bench;

import java.util.concurrent.atomic.AtomicInteger;

/** Collects latencies from many threads into a fixed buffer (a window of the run). */
final class LatencyRecorder {
    private final long[] samples;
    private final AtomicInteger count = new AtomicInteger();
    private final AtomicInteger failures = new AtomicInteger();
    private volatile boolean recording;

    LatencyRecorder(int capacity) {
        samples = new long[capacity];
    }

    void start() {
        recording = true;
    }

    void record(long nanos) {
        if (!recording) {
            return;
        }
        int i = count.getAndIncrement();
        if (i < samples.length) {
            samples[i] = nanos;
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
}
