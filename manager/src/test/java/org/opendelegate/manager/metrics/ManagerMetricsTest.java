package org.opendelegate.manager.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ManagerMetricsTest {
    @Test
    void theCollectorsPausesAndAllocationAreInTheMetricsUntilTheyAreClosed() {
        ManagerMetrics metrics = new ManagerMetrics();
        try {
            assertThat(metrics.scrape()).contains("jvm_gc_memory_allocated_bytes_total");
            System.gc();
            await().atMost(Duration.ofSeconds(10)).until(() -> pauses(metrics.scrape()) >= 1);
        } finally {
            metrics.close();
        }
        double pausesWhenClosed = pauses(metrics.scrape());

        // A closed Manager's metrics no longer follow the collector (the JVM, running other Managers, goes on).
        System.gc();
        ManagerMetrics witness = new ManagerMetrics();
        try {
            System.gc();
            await().atMost(Duration.ofSeconds(10)).until(() -> pauses(witness.scrape()) >= 1);
        } finally {
            witness.close();
        }
        assertThat(pauses(metrics.scrape())).isEqualTo(pausesWhenClosed);
    }

    private static double pauses(String scrape) {
        return scrape.lines()
                .filter(l -> l.startsWith("jvm_gc_pause_seconds_count{"))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                .sum();
    }
}
