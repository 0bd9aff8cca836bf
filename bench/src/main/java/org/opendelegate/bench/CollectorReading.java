package org.opendelegate.bench;

/**
 * What the Manager's collector reports in its {@code /metrics} at one moment: the memory allocated so far and the
 * pauses so far (summed over collectors and causes). The allocated memory is counted at each collection, so over
 * a window it is exact to within one young generation; over a window of many collections that is a few percent.
 * A Manager built before these metrics existed reports none; then the readings say so.
 */
record CollectorReading(double allocatedBytes, double pauses, double pauseSeconds, boolean present) {
    static CollectorReading of(String metricsText) {
        double allocated = 0;
        double pauses = 0;
        double pauseSeconds = 0;
        boolean present = false;
        for (String line : metricsText.split("\n")) {
            if (line.startsWith("jvm_gc_memory_allocated_bytes_total")) {
                allocated += value(line);
                present = true;
            } else if (line.startsWith("jvm_gc_pause_seconds_count{")) {
                pauses += value(line);
            } else if (line.startsWith("jvm_gc_pause_seconds_sum{")) {
                pauseSeconds += value(line);
            }
        }
        return new CollectorReading(allocated, pauses, pauseSeconds, present);
    }

    /** The window from {@code before} to this reading, per unit of work. */
    String since(CollectorReading before, long units, String unit) {
        if (!present || !before.present) {
            return "Manager allocation: not measured (no jvm_gc_* in its /metrics)";
        }
        return String.format(
                "Manager allocated %.1f KiB per %s (%.0f MiB in the window); collector pauses in the window: %.0f, %.0f"
                        + " ms in all",
                (allocatedBytes - before.allocatedBytes) / 1024 / Math.max(1, units),
                unit,
                (allocatedBytes - before.allocatedBytes) / 1024 / 1024,
                pauses - before.pauses,
                (pauseSeconds - before.pauseSeconds) * 1000);
    }

    private static double value(String line) {
        return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
    }
}
