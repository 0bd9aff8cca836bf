package org.opendelegate.manager;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The names are those the JVMs' GarbageCollectorMXBeans carry, on Java 17, 21 and 25. */
class CollectorCheckTest {
    @Test
    void serialAndParallelCollectorsAreNamedWithTheOptionsThatAvoidTheirPauses() {
        assertThat(CollectorCheck.warning(List.of("Copy", "MarkSweepCompact")))
                .hasValueSatisfying(w -> assertThat(w).contains("Serial", "-XX:+UseZGC", "-XX:+UseG1GC"));
        assertThat(CollectorCheck.warning(List.of("PS Scavenge", "PS MarkSweep")))
                .hasValueSatisfying(w -> assertThat(w).contains("Parallel", "-XX:+UseZGC", "-XX:+UseG1GC"));
    }

    @Test
    void singleGenerationZgcIsNamedWithTheJavaThatMakesItGenerational() {
        assertThat(CollectorCheck.warning(List.of("ZGC Cycles", "ZGC Pauses")))
                .hasValueSatisfying(w -> assertThat(w).contains("single generation", "Java 23", "-XX:+UseG1GC"));
    }

    @Test
    void generationalZgcG1AndShenandoahAreLeftAlone() {
        assertThat(CollectorCheck.warning(
                        List.of("ZGC Minor Cycles", "ZGC Minor Pauses", "ZGC Major Cycles", "ZGC Major Pauses")))
                .isEmpty();
        assertThat(CollectorCheck.warning(List.of("G1 Young Generation", "G1 Concurrent GC", "G1 Old Generation")))
                .isEmpty();
        assertThat(CollectorCheck.warning(List.of("Shenandoah Cycles", "Shenandoah Pauses")))
                .isEmpty();
    }
}
