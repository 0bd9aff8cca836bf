package org.opendelegate.delegate;

import com.sun.management.HotSpotDiagnosticMXBean;
import com.sun.management.VMOption;
import java.lang.management.ManagementFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps an idle delegate's heap small without JVM options on the command line.
 *
 * <p>Started with a plain {@code java -jar} on a large host, G1 sizes the heap for the host (here
 * 384 MiB initial on 24 GiB) and, seeing cheap collections, lets the young generation grow to 60% of
 * what is committed. An idle delegate allocates a little with every heartbeat, so over hours the
 * young generation touches page after page of that heap and the resident size creeps up; startup also
 * leaves its garbage behind. So, once registered, the delegate:
 *
 * <ul>
 *   <li>lowers G1's free-heap ratios (MinHeapFreeRatio 10, MaxHeapFreeRatio 30) and turns on its
 *       periodic collection (G1PeriodicGCInterval 60 s, JEP 346), so that when idle G1 runs a
 *       concurrent cycle now and then and hands unused heap back to the operating system; these are
 *       "manageable" options, meant to be changed at run time, and only those still at their defaults
 *       are changed, so an operator's own {@code -XX} settings win;</li>
 *   <li>collects once, so the startup garbage goes at once.</li>
 * </ul>
 *
 * <p>Measured on JDK 17 with no options (docs/benchmarks.md): over https the idle resident size stays
 * flat instead of growing by several MiB an hour. When the Manager sends work, G1 grows the heap as
 * it always does.
 */
final class IdleHeap {
    private static final Logger LOG = LoggerFactory.getLogger(IdleHeap.class);

    private IdleHeap() {}

    /** Tunes G1 for an idle agent and drops the startup garbage. */
    static void settle() {
        try {
            HotSpotDiagnosticMXBean hotspot = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
            // MinHeapFreeRatio first: MaxHeapFreeRatio may never go below it.
            setIfDefault(hotspot, "MinHeapFreeRatio", "10");
            setIfDefault(hotspot, "MaxHeapFreeRatio", "30");
            setIfDefault(hotspot, "G1PeriodicGCInterval", "60000");
        } catch (RuntimeException | LinkageError e) {
            // Another JVM or collector (the option does not exist there): the delegate works as well, only larger.
            LOG.debug("Could not tune the heap for an idle delegate: {}", e.toString());
        }
        System.gc();
    }

    private static void setIfDefault(HotSpotDiagnosticMXBean hotspot, String name, String value) {
        VMOption option = hotspot.getVMOption(name);
        if (option.getOrigin() == VMOption.Origin.DEFAULT && option.isWriteable()) {
            hotspot.setVMOption(name, value);
        }
    }
}
