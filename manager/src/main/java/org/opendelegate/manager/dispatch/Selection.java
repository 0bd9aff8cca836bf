package org.opendelegate.manager.dispatch;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.random.RandomGenerator;
import org.opendelegate.manager.delegates.ResolvedDelegate;
import org.opendelegate.manager.store.Task;

/**
 * Picks the delegate for a task among those that can take work now, and writes down why. Pure: the
 * dispatcher hands in everything it knows.
 *
 * <p>Among eligible delegates with a free slot, in order: one that has not already failed this task; one
 * that recently succeeded with the task's affinity key; the least loaded (running relative to capacity);
 * then chance.
 */
final class Selection {
    /** What the dispatcher knows about a delegate's load and whether it is asking for work. */
    record Load(int running, int capacity, boolean asking) {
        boolean free() {
            return asking && running < capacity;
        }
    }

    private Selection() {}

    static SelectionLog choose(
            Task task,
            List<ResolvedDelegate> delegates,
            Map<String, Load> loads,
            SelectionContext context,
            String trigger,
            RandomGenerator random) {
        List<SelectionLog.Candidate> candidates = new ArrayList<>();
        List<ResolvedDelegate> ready = new ArrayList<>();
        for (ResolvedDelegate d : delegates) {
            Load load = loads.getOrDefault(d.id(), new Load(0, d.delegate().capacity(), false));
            Optional<String> exclusion = Eligibility.exclusion(d, task, context);
            String reason = exclusion.orElseGet(() -> readiness(d, load, task, context));
            candidates.add(new SelectionLog.Candidate(
                    d.id(), d.name(), d.group().name(), exclusion.isEmpty(), reason, load.running(), load.capacity()));
            if (exclusion.isEmpty() && load.free()) {
                ready.add(d);
            }
        }
        candidates.sort(Comparator.comparing(SelectionLog.Candidate::eligible)
                .reversed()
                .thenComparing(SelectionLog.Candidate::name));
        if (ready.isEmpty()) {
            return new SelectionLog(context.now(), trigger, candidates, null, waitingSummary(candidates));
        }
        ResolvedDelegate best = ready.get(0);
        double bestTie = random.nextDouble();
        for (int i = 1; i < ready.size(); i++) {
            double tie = random.nextDouble();
            if (compare(ready.get(i), tie, best, bestTie, loads, context) < 0) {
                best = ready.get(i);
                bestTie = tie;
            }
        }
        String why = chosenReason(best, ready.size(), loads.get(best.id()), task, context);
        return new SelectionLog(
                context.now(),
                trigger,
                candidates,
                new SelectionLog.Chosen(best.id(), best.name(), why),
                "Assigned to " + best.name() + ": " + why + ".");
    }

    /** Negative when {@code a} is the better choice. */
    private static int compare(
            ResolvedDelegate a,
            double tieA,
            ResolvedDelegate b,
            double tieB,
            Map<String, Load> loads,
            SelectionContext context) {
        int failed = Boolean.compare(
                context.failedBefore().contains(a.id()), context.failedBefore().contains(b.id()));
        if (failed != 0) {
            return failed;
        }
        int affinity = Boolean.compare(context.recentSuccess(b.id()) != null, context.recentSuccess(a.id()) != null);
        if (affinity != 0) {
            return affinity;
        }
        int load = Double.compare(ratio(loads.get(a.id())), ratio(loads.get(b.id())));
        return load != 0 ? load : Double.compare(tieA, tieB);
    }

    private static double ratio(Load load) {
        return load.capacity() == 0 ? 1 : (double) load.running() / load.capacity();
    }

    private static String readiness(ResolvedDelegate d, Load load, Task task, SelectionContext context) {
        String loadText = load.running() + " of " + load.capacity() + " running";
        if (load.running() >= load.capacity()) {
            return "eligible, at capacity (" + loadText + ")";
        }
        if (!load.asking()) {
            return "eligible, not asking for work at this moment (" + loadText + ")";
        }
        if (context.failedBefore().contains(d.id())) {
            return "eligible, but an earlier attempt of this task failed there (" + loadText + ")";
        }
        Instant success = context.recentSuccess(d.id());
        return success != null
                ? "eligible, succeeded with `" + task.affinityKey() + "` " + Eligibility.ago(success, context.now())
                        + " (" + loadText + ")"
                : "eligible (" + loadText + ")";
    }

    private static String chosenReason(
            ResolvedDelegate chosen, int readyCount, Load load, Task task, SelectionContext context) {
        String loadText = load.running() + " of " + load.capacity() + " running";
        if (context.failedBefore().contains(chosen.id())) {
            return "retrying where an earlier attempt failed, since no other eligible delegate is free (" + loadText
                    + ")";
        }
        Instant success = context.recentSuccess(chosen.id());
        String history = success == null
                ? ""
                : "it succeeded with `" + task.affinityKey() + "` " + Eligibility.ago(success, context.now()) + "; ";
        return readyCount == 1
                ? history + "the only eligible delegate with a free slot (" + loadText + ")"
                : history + (success == null ? "least loaded" : "preferred") + " of " + readyCount
                        + " eligible delegates with a free slot (" + loadText + ")";
    }

    private static String waitingSummary(List<SelectionLog.Candidate> candidates) {
        long eligible =
                candidates.stream().filter(SelectionLog.Candidate::eligible).count();
        if (eligible > 0) {
            return "Waiting: " + eligible + " eligible delegate" + (eligible == 1 ? " is" : "s are")
                    + " busy; the task goes to the first that frees a slot.";
        }
        return "Waiting: no connected delegate is eligible.";
    }
}
