package org.opendelegate.manager;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Optional;

/**
 * Says when the JVM collects its old generation only by stopping every thread (Serial or Parallel). The JVM
 * picks Serial when it sees one CPU, as in a one-vCPU container; its full collections then stop every
 * heartbeat and poll for as long as compacting the heap takes, and that heap grows with the fleet (a second
 * at 10,000 delegates, docs/benchmarks.md). The image and {@code ./opendelegate up} start the Manager with
 * G1; this tells whoever starts the jar another way.
 */
final class CollectorCheck {
    private CollectorCheck() {}

    /** The warning for the running JVM, if any. */
    static Optional<String> ofThisJvm() {
        return warning(ManagementFactory.getGarbageCollectorMXBeans().stream()
                .map(GarbageCollectorMXBean::getName)
                .toList());
    }

    /** The warning for a JVM whose collectors have these names, if any. */
    static Optional<String> warning(List<String> collectorNames) {
        String stopping = null;
        if (collectorNames.contains("MarkSweepCompact")) {
            stopping = "Serial";
        } else if (collectorNames.contains("PS MarkSweep")) {
            stopping = "Parallel";
        }
        if (stopping == null) {
            return Optional.empty();
        }
        return Optional.of("The JVM runs the " + stopping + " garbage collector (the JVM picks Serial when it sees"
                + " one CPU): its full collections stop every delegate call for as long as compacting the heap"
                + " takes, which grows with the fleet. Start the Manager with -XX:+UseG1GC, as the image and"
                + " ./opendelegate up do (docs/operations.md, Sizing).");
    }
}
