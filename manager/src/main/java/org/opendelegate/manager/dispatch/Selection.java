package org.opendelegate.manager.dispatch;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.random.RandomGenerator;
import org.opendelegate.manager.delegates.DelegateEntry;
import org.opendelegate.manager.store.Task;

/**
 * Picks the delegate for a task among those that can take work now, and writes down why. Pure: the
 * dispatcher hands in everything it knows.
 *
 * <p>Order of preference among eligible delegates that have a free slot: one that has not already
 * failed this task, then the least loaded (running tasks relative to capacity), then chance.
 */
final class Selection {
    /** What the dispatcher knows about a delegate's load and whether it is asking for work. */
    record Load(int running, int capacity, boolean asking) {
    }

    private Selection() {
    }

    static SelectionLog choose(Task task, List<DelegateEntry> delegates, Map<String, Load> loads,
            Set<String> failedBefore, String trigger, Instant now, Duration disconnectAfter, RandomGenerator random) {
        List<SelectionLog.Candidate> candidates = new ArrayList<>();
        List<DelegateEntry> ready = new ArrayList<>();
        for (DelegateEntry d : delegates) {
            Load load = loads.getOrDefault(d.id(), new Load(0, d.delegate().capacity(), false));
            Optional<String> exclusion = Eligibility.exclusion(d, task, now, disconnectAfter);
            String reason = exclusion.orElseGet(() -> readiness(load, failedBefore.contains(d.id())));
            candidates.add(new SelectionLog.Candidate(d.id(), d.name(), d.group().name(), exclusion.isEmpty(), reason,
                    load.running(), load.capacity()));
            if (exclusion.isEmpty() && load.asking() && load.running() < load.capacity()) {
                ready.add(d);
            }
        }
        candidates.sort(Comparator.comparing(SelectionLog.Candidate::eligible).reversed()
                .thenComparing(SelectionLog.Candidate::name));
        if (ready.isEmpty()) {
            return new SelectionLog(now, trigger, candidates, null, waitingSummary(candidates));
        }
        DelegateEntry best = ready.get(0);
        double bestTie = random.nextDouble();
        for (int i = 1; i < ready.size(); i++) {
            double tie = random.nextDouble();
            if (better(ready.get(i), tie, best, bestTie, loads, failedBefore)) {
                best = ready.get(i);
                bestTie = tie;
            }
        }
        String why = chosenReason(best, ready.size(), loads.get(best.id()), failedBefore);
        return new SelectionLog(now, trigger, candidates, new SelectionLog.Chosen(best.id(), best.name(), why),
                "Assigned to " + best.name() + ": " + why + ".");
    }

    private static boolean better(DelegateEntry a, double tieA, DelegateEntry b, double tieB, Map<String, Load> loads,
            Set<String> failedBefore) {
        boolean aFailed = failedBefore.contains(a.id());
        boolean bFailed = failedBefore.contains(b.id());
        if (aFailed != bFailed) {
            return !aFailed;
        }
        double loadA = ratio(loads.get(a.id()));
        double loadB = ratio(loads.get(b.id()));
        if (loadA != loadB) {
            return loadA < loadB;
        }
        return tieA < tieB;
    }

    private static double ratio(Load load) {
        return load.capacity() == 0 ? 1 : (double) load.running() / load.capacity();
    }

    private static String readiness(Load load, boolean failedBefore) {
        String loadText = load.running() + " of " + load.capacity() + " running";
        if (load.running() >= load.capacity()) {
            return "eligible, at capacity (" + loadText + ")";
        }
        if (!load.asking()) {
            return "eligible, not asking for work at this moment (" + loadText + ")";
        }
        return failedBefore ? "eligible, but an earlier attempt of this task failed there (" + loadText + ")"
                : "eligible (" + loadText + ")";
    }

    private static String chosenReason(DelegateEntry chosen, int readyCount, Load load, Set<String> failedBefore) {
        String loadText = load.running() + " of " + load.capacity() + " running";
        if (failedBefore.contains(chosen.id())) {
            return "retrying where an earlier attempt failed, since no other eligible delegate is free (" + loadText
                    + ")";
        }
        return readyCount == 1 ? "the only eligible delegate with a free slot (" + loadText + ")"
                : "least loaded of " + readyCount + " eligible delegates with a free slot (" + loadText + ")";
    }

    private static String waitingSummary(List<SelectionLog.Candidate> candidates) {
        long eligible = candidates.stream().filter(SelectionLog.Candidate::eligible).count();
        if (eligible > 0) {
            return "Waiting: " + eligible + " eligible delegate" + (eligible == 1 ? " is" : "s are")
                    + " busy; the task goes to the first that frees a slot.";
        }
        return "Waiting: no connected delegate is eligible.";
    }
}
