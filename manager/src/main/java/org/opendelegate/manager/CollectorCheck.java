package org.opendelegate.manager;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Optional;

/**
 * Says when the JVM's collector is one that stalls the fleet's calls. Every pause stops every heartbeat and poll.
 * The JVM picks Serial when it sees one CPU, as in a one-vCPU container, and Serial's and Parallel's full
 * collections last as long as compacting a heap that grows with the fleet (a second at 10,000 delegates). ZGC
 * before Java 23 keeps one generation and fell behind the allocations of 10,000 delegates on one core
 * (docs/benchmarks.md). The image and {@code ./opendelegate up} choose the collector; this tells whoever starts
 * the jar another way.
 */
final class CollectorCheck {
    private static final String ADVICE = "Start the Manager with -XX:+UseZGC on Java 23 or later, or with -XX:+UseG1GC"
            + " -XX:MaxGCPauseMillis=20 on an older Java, as the image and ./opendelegate up do (docs/operations.md,"
            + " Sizing).";

    private CollectorCheck() {}

    /** The warning for the running JVM, if any. */
    static Optional<String> ofThisJvm() {
        return warning(ManagementFactory.getGarbageCollectorMXBeans().stream()
                .map(GarbageCollectorMXBean::getName)
                .toList());
    }

    /** The warning for a JVM whose collectors have these names, if any. */
    static Optional<String> warning(List<String> collectorNames) {
        if (collectorNames.contains("ZGC Cycles")) {
            // Generational ZGC (Java 21 with -XX:+ZGenerational, the only ZGC from 23 on) names its cycles "Minor"
            // and "Major".
            return Optional.of("The JVM runs ZGC with a single generation (Java 22 and older): with thousands of"
                    + " delegates on one CPU it falls behind their allocations and stalls their calls. " + ADVICE);
        }
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
                + " takes, which grows with the fleet. " + ADVICE);
    }
}
