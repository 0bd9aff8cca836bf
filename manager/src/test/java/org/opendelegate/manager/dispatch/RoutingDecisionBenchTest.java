package org.opendelegate.manager.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The routing-decision bench still runs and routes as it says (it checks each decision); it times nothing here. */
class RoutingDecisionBenchTest {
    @Test
    void theBenchRunsASmallFleet() {
        long[] perDecision = RoutingDecisionBench.run(200, 3, 2);

        assertThat(perDecision).hasSize(2);
        assertThat(perDecision[0]).isPositive();
    }
}
