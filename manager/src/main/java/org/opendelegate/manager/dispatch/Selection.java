package org.opendelegate.manager.dispatch;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.function.Function;
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
 *
 * <p>The log it writes stays the same size whatever the fleet: the best {@link #ELIGIBLE_SHOWN} eligible
 * delegates in the order selection ranks them, the {@link #MISSES_SHOWN} nearest misses (the most recently
 * heard from) for each reason of exclusion, and a count per reason — or, in an account of at most
 * {@link #LIST_ALL_UP_TO} delegates, every delegate with its reason, which still keeps the log small. One pass
 * over the account's delegates; the words for a delegate are written only when it is shown.
 */
final class Selection {
    /** Eligible delegates listed in a log, best first. */
    static final int ELIGIBLE_SHOWN = 20;
    /** Excluded delegates listed per reason. */
    static final int MISSES_SHOWN = 3;
    /** Up to this many delegates in the account, every excluded delegate is listed. */
    static final int LIST_ALL_UP_TO = 25;
    /** Reasons counted one by one; the rest are summed as {@link #OTHER_REASONS}. */
    static final int REASONS_COUNTED = 20;

    static final String OTHER_REASONS = "other reasons";

    /** What the dispatcher knows about a delegate's load and whether it is asking for work. */
    record Load(int running, int capacity, boolean asking) {
        boolean free() {
            return asking && running < capacity;
        }
    }

    /** An eligible delegate with what ranks it; {@code tie} is drawn for ready ones only. */
    private record Ranked(
            ResolvedDelegate delegate, Load load, boolean ready, boolean failed, boolean recent, double tie) {
        double ratio() {
            return load.capacity() == 0 ? 1 : (double) load.running() / load.capacity();
        }
    }

    /** Best first: ready, not failed before, recent success with the key, least loaded, chance, name. */
    private static final Comparator<Ranked> RANK = Comparator.comparing((Ranked r) -> !r.ready())
            .thenComparing(Ranked::failed)
            .thenComparing(r -> !r.recent())
            .thenComparingDouble(Ranked::ratio)
            .thenComparingDouble(Ranked::tie)
            .thenComparing(r -> r.delegate().name());

    /** Nearest miss first: the most recently heard from, then by name. */
    private static final Comparator<ResolvedDelegate> NEAREST = Comparator.comparing(
                    (ResolvedDelegate d) -> d.delegate().lastHeartbeatAt(), Comparator.reverseOrder())
            .thenComparing(ResolvedDelegate::name);

    private Selection() {}

    /** Chooses with the loads given in a map; a delegate missing from it is idle and not asking. */
    static SelectionLog choose(
            Task task,
            List<ResolvedDelegate> delegates,
            Map<String, Load> loads,
            SelectionContext context,
            String trigger,
            RandomGenerator random) {
        return choose(
                task,
                delegates,
                d -> loads.getOrDefault(d.id(), new Load(0, d.delegate().capacity(), false)),
                context,
                trigger,
                random);
    }

    /**
     * Chooses with loads looked up as needed: only for eligible delegates and the misses shown, so the cost
     * of a decision over a large fleet that is mostly excluded is one eligibility check per delegate.
     */
    static SelectionLog choose(
            Task task,
            List<ResolvedDelegate> delegates,
            Function<ResolvedDelegate, Load> loads,
            SelectionContext context,
            String trigger,
            RandomGenerator random) {
        // The worst shown on top, so the queue keeps the best ELIGIBLE_SHOWN.
        PriorityQueue<Ranked> best = new PriorityQueue<>(RANK.reversed());
        Map<String, List<ResolvedDelegate>> misses = new LinkedHashMap<>();
        Map<String, Integer> counts = new HashMap<>();
        int eligible = 0;
        int ready = 0;
        int missesShown = delegates.size() <= LIST_ALL_UP_TO ? LIST_ALL_UP_TO : MISSES_SHOWN;
        Eligibility.TaskReasons reasons = new Eligibility.TaskReasons(task);
        for (ResolvedDelegate d : delegates) {
            String kind = exclusionKind(d, task, context, reasons);
            if (kind != null) {
                counts.merge(kind, 1, Integer::sum);
                keepNearest(misses.computeIfAbsent(kind, k -> new ArrayList<>(missesShown + 1)), d, missesShown);
                continue;
            }
            eligible++;
            Load load = loads.apply(d);
            boolean free = load.free();
            ready += free ? 1 : 0;
            best.add(new Ranked(
                    d,
                    load,
                    free,
                    context.failedBefore().contains(d.id()),
                    context.recentSuccess(d.id()) != null,
                    free ? random.nextDouble() : 0));
            if (best.size() > ELIGIBLE_SHOWN) {
                best.poll();
            }
        }
        List<Ranked> ranked = new ArrayList<>(best);
        ranked.sort(RANK);
        List<SelectionLog.ReasonCount> excluded = excludedCounts(counts);
        List<SelectionLog.Candidate> candidates = new ArrayList<>();
        for (Ranked r : ranked) {
            candidates.add(candidate(r.delegate(), true, readiness(r.delegate(), r.load(), task, context), r.load()));
        }
        for (SelectionLog.ReasonCount reason : excluded) {
            for (ResolvedDelegate d : misses.getOrDefault(reason.reason(), List.of())) {
                String why = Eligibility.exclusion(d, task, context, reasons).orElse(reason.reason());
                candidates.add(candidate(d, false, why, loads.apply(d)));
            }
        }
        if (ready == 0) {
            return new SelectionLog(
                    context.now(),
                    trigger,
                    candidates,
                    null,
                    waitingSummary(eligible),
                    delegates.size(),
                    eligible,
                    excluded);
        }
        Ranked chosen = ranked.get(0);
        String why = chosenReason(chosen.delegate(), ready, chosen.load(), task, context);
        return new SelectionLog(
                context.now(),
                trigger,
                candidates,
                new SelectionLog.Chosen(
                        chosen.delegate().id(), chosen.delegate().name(), why),
                "Assigned to " + chosen.delegate().name() + ": " + why + ".",
                delegates.size(),
                eligible,
                excluded);
    }

    /**
     * The reason the delegate cannot run the task without what differs between delegates, or null when it
     * can. A disconnected delegate is told apart without writing its reason: most of a large fleet may be.
     */
    private static String exclusionKind(
            ResolvedDelegate d, Task task, SelectionContext context, Eligibility.TaskReasons reasons) {
        if (d.accountId().equals(task.accountId()) && !d.isConnected(context.now(), context.disconnectAfter())) {
            return Eligibility.NOT_CONNECTED;
        }
        Optional<String> exclusion = Eligibility.exclusion(d, task, context, reasons);
        return exclusion.map(Eligibility::kind).orElse(null);
    }

    private static void keepNearest(List<ResolvedDelegate> nearest, ResolvedDelegate d, int shown) {
        if (nearest.size() == shown && NEAREST.compare(d, nearest.get(shown - 1)) >= 0) {
            return;
        }
        int at = 0;
        while (at < nearest.size() && NEAREST.compare(nearest.get(at), d) <= 0) {
            at++;
        }
        nearest.add(at, d);
        if (nearest.size() > shown) {
            nearest.remove(shown);
        }
    }

    private static List<SelectionLog.ReasonCount> excludedCounts(Map<String, Integer> counts) {
        List<SelectionLog.ReasonCount> all = new ArrayList<>();
        counts.forEach((reason, count) -> all.add(new SelectionLog.ReasonCount(reason, count)));
        all.sort(Comparator.comparingInt(SelectionLog.ReasonCount::count)
                .reversed()
                .thenComparing(SelectionLog.ReasonCount::reason));
        if (all.size() <= REASONS_COUNTED) {
            return all;
        }
        int other = 0;
        for (SelectionLog.ReasonCount c : all.subList(REASONS_COUNTED - 1, all.size())) {
            other += c.count();
        }
        List<SelectionLog.ReasonCount> kept = new ArrayList<>(all.subList(0, REASONS_COUNTED - 1));
        kept.add(new SelectionLog.ReasonCount(OTHER_REASONS, other));
        return kept;
    }

    private static SelectionLog.Candidate candidate(ResolvedDelegate d, boolean eligible, String reason, Load load) {
        return new SelectionLog.Candidate(
                d.id(), d.name(), d.group().name(), eligible, reason, load.running(), load.capacity());
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

    private static String waitingSummary(int eligible) {
        if (eligible > 0) {
            return "Waiting: " + eligible + " eligible delegate" + (eligible == 1 ? " is" : "s are")
                    + " busy; the task goes to the first that frees a slot.";
        }
        return "Waiting: no connected delegate is eligible.";
    }
}
