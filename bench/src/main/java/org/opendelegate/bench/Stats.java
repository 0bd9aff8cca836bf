package org.opendelegate.bench;

import java.util.Arrays;

/** Percentiles of a set of latencies, in milliseconds. */
final class Stats {
    private final double[] sortedMillis;

    Stats(long[] nanos) {
        sortedMillis =
                Arrays.stream(nanos).mapToDouble(n -> n / 1_000_000.0).sorted().toArray();
    }

    int count() {
        return sortedMillis.length;
    }

    double percentile(double p) {
        if (sortedMillis.length == 0) {
            return Double.NaN;
        }
        int index = (int) Math.ceil(p / 100.0 * sortedMillis.length) - 1;
        return sortedMillis[Math.max(0, Math.min(sortedMillis.length - 1, index))];
    }

    String summary() {
        return String.format(
                "n=%d p50=%.2f ms p90=%.2f ms p99=%.2f ms max=%.2f ms",
                sortedMillis.length, percentile(50), percentile(90), percentile(99), percentile(100));
    }
}
