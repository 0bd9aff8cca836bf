package org.opendelegate.manager.dispatch;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.opendelegate.manager.delegates.ResolvedDelegate;
import org.opendelegate.manager.store.Task;

/**
 * The CPU of one routing decision over a fleet in one account, without HTTP or a store: the fleet in ten groups
 * (each delegate with a selector of its group's), five delegates of an eleventh group that the task asks for by
 * selector, the same decision {@link Router} makes at each submission, one thread. Not a test: run it with {@code
 * bash bench/routing-decision.sh [fleet] [decisions per round] [rounds]}; {@link RoutingDecisionBenchTest} keeps it
 * working.
 */
final class RoutingDecisionBench {
    private RoutingDecisionBench() {}

    public static void main(String[] args) {
        int fleet = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int decisions = args.length > 1 ? Integer.parseInt(args[1]) : 200;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 25;
        long[] perDecision = run(fleet, decisions, rounds);
        // The first half of the rounds let the JIT compile the decision; the second half are the result.
        long[] measured = Arrays.copyOfRange(perDecision, rounds / 2, rounds);
        Arrays.sort(measured);
        System.out.printf(
                "routing decision over %d delegates (%d asked for by the task): median of %d rounds of %d decisions"
                        + " %.3f ms a decision (rounds from %.3f to %.3f ms)%n",
                fleet + 5,
                5,
                measured.length,
                decisions,
                measured[measured.length / 2] / 1e6,
                measured[0] / 1e6,
                measured[measured.length - 1] / 1e6);
    }

    /** The nanoseconds a decision took on average in each round. */
    static long[] run(int fleet, int decisions, int rounds) {
        List<ResolvedDelegate> delegates = new ArrayList<>(fleet + 5);
        for (int i = 0; i < fleet; i++) {
            delegates.add(SelectionTest.delegate("sim-" + i, "fleet-" + (i % 10), List.of("zone-" + (i % 10))));
        }
        for (int i = 0; i < 5; i++) {
            delegates.add(SelectionTest.delegate("target-" + i, "target", List.of()));
        }
        Task task = SelectionTest.task(List.of("target"), Map.of());
        SelectionContext context = new SelectionContext(
                Instant.parse("2026-06-01T12:00:00Z"),
                Duration.ofSeconds(30),
                Duration.ofMinutes(5),
                Map.of(),
                Set.of());
        SplittableRandom random = new SplittableRandom(1);
        long[] perDecision = new long[rounds];
        for (int round = 0; round < rounds; round++) {
            long start = System.nanoTime();
            for (int i = 0; i < decisions; i++) {
                SelectionLog log = Selection.choose(task, delegates, Map.of(), context, "SUBMITTED", random);
                if (log.eligibleCount() != 5) {
                    throw new IllegalStateException("expected the five target delegates eligible: " + log.summary());
                }
            }
            perDecision[round] = (System.nanoTime() - start) / decisions;
        }
        return perDecision;
    }
}
