package org.opendelegate.manager.web;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import org.opendelegate.manager.dispatch.SelectionLog;
import org.opendelegate.manager.dispatch.TaskView;

/**
 * A task's routing decisions as its page shows them: the latest in full, the earlier ones folded.
 *
 * @param latest the latest decision, or null when none was made yet
 * @param earlier the earlier decisions, newest first
 */
public record SelectionView(Decision latest, List<Decision> earlier) {

    /**
     * One decision: when, why it was made, the summary sentence, who was chosen, the candidates shown and
     * how many delegates each reason excluded.
     *
     * @param consideredCount how many delegates were considered (more than the candidates shown in a large fleet)
     * @param excluded how many were excluded for each reason, most first (empty in logs stored before counts)
     */
    public record Decision(
            String at,
            String atExact,
            String trigger,
            String summary,
            SelectionLog.Chosen chosen,
            List<SelectionLog.Candidate> candidates,
            int consideredCount,
            int eligible,
            List<SelectionLog.ReasonCount> excluded) {

        public String considered() {
            return consideredCount + (consideredCount == 1 ? " delegate" : " delegates") + " considered, " + eligible
                    + " eligible";
        }

        /** True when the log lists fewer delegates than it considered. */
        public boolean partial() {
            return candidates.size() < consideredCount;
        }

        /** "412 not connected · 3 selector `gpu` missing". */
        public String excludedSummary() {
            StringBuilder sb = new StringBuilder();
            for (SelectionLog.ReasonCount c : excluded) {
                sb.append(sb.length() == 0 ? "" : " · ")
                        .append(c.count())
                        .append(' ')
                        .append(c.reason());
            }
            return sb.toString();
        }

        /** Load as a percentage of capacity, for the bar (0 when the capacity is unknown). */
        public static int loadPercent(SelectionLog.Candidate c) {
            return c.capacity() <= 0 ? 0 : Math.min(100, Math.round(100f * c.running() / c.capacity()));
        }

        public boolean isChosen(SelectionLog.Candidate c) {
            return chosen != null
                    && chosen.delegateId() != null
                    && chosen.delegateId().equals(c.delegateId());
        }
    }

    static SelectionView of(TaskView t, Instant now) {
        List<SelectionLog> history = t.selectionHistory() == null ? List.of() : t.selectionHistory();
        if (history.isEmpty()) {
            return new SelectionView(t.selectionLog() == null ? null : decision(t.selectionLog(), now), List.of());
        }
        List<Decision> earlier = new ArrayList<>();
        for (SelectionLog log : history.subList(0, history.size() - 1)) {
            earlier.add(decision(log, now));
        }
        Collections.reverse(earlier);
        return new SelectionView(decision(history.get(history.size() - 1), now), earlier);
    }

    private static Decision decision(SelectionLog log, Instant now) {
        List<SelectionLog.Candidate> candidates = log.candidates() == null ? List.of() : log.candidates();
        // The chosen delegate first, then the eligible ones, then the connected ones that were excluded (the
        // nearest misses), then the disconnected ones; within each, in the order selection ranked them.
        List<SelectionLog.Candidate> sorted = new ArrayList<>(candidates);
        String chosenId = log.chosen() == null ? null : log.chosen().delegateId();
        sorted.sort(Comparator.comparing((SelectionLog.Candidate c) -> !Objects.equals(c.delegateId(), chosenId))
                .thenComparing(c -> !c.eligible())
                .thenComparing(c -> c.reason() != null && c.reason().startsWith("not connected")));
        // A log stored before the counts existed lists every delegate considered.
        boolean counted = log.considered() > 0;
        int eligible = counted
                ? log.eligibleCount()
                : (int) candidates.stream()
                        .filter(SelectionLog.Candidate::eligible)
                        .count();
        return new Decision(
                Ago.of(log.at(), now),
                Ago.exact(log.at()),
                trigger(log.trigger()),
                log.summary(),
                log.chosen(),
                List.copyOf(sorted),
                counted ? log.considered() : candidates.size(),
                eligible,
                log.excluded() == null ? List.of() : log.excluded());
    }

    /** What started a decision, in words. */
    static String trigger(String trigger) {
        if (trigger == null) {
            return "Decision";
        }
        return switch (trigger) {
            case "SUBMITTED" -> "On submission";
            case "DELEGATE_POLLED" -> "When a delegate asked for work";
            case "REQUEUED" -> "After an attempt ended";
            case "WAITING" -> "While queued";
            case "NO_ELIGIBLE_DELEGATE" -> "Gave up: no eligible delegate in time";
            default -> TaskStates.label(trigger);
        };
    }
}
