package org.opendelegate.manager.dispatch;

import java.time.Instant;
import java.util.List;

/**
 * Why a task went where it went: who was chosen and why, the eligible candidates (the best few, ranked as
 * selection ranks them), the nearest misses for each reason of exclusion, and how many delegates each reason
 * excluded. Kept with the task and shown by the API and the console, so "no eligible delegates" is never a
 * mystery; its size does not grow with the fleet (see {@link Selection#ELIGIBLE_SHOWN} and
 * {@link Selection#MISSES_SHOWN}).
 *
 * <p>Logs stored before the counts existed list every delegate in {@code candidates} and have
 * {@code considered} 0 and no {@code excluded}; readers fall back to the list for them.
 *
 * @param at when the decision was made
 * @param trigger what started it: {@code SUBMITTED}, {@code DELEGATE_POLLED}, {@code REQUEUED} or
 *     {@code NO_ELIGIBLE_DELEGATE}
 * @param candidates the delegates shown, with their verdicts: the chosen one, eligible ones, nearest misses
 * @param chosen the delegate chosen, or null
 * @param summary one sentence for a person
 * @param considered how many delegates of the account were considered
 * @param eligibleCount how many of them were eligible
 * @param excluded how many were excluded for each reason, most first
 */
public record SelectionLog(
        Instant at,
        String trigger,
        List<Candidate> candidates,
        Chosen chosen,
        String summary,
        int considered,
        int eligibleCount,
        List<ReasonCount> excluded) {

    /**
     * One delegate considered.
     *
     * @param eligible true when it could run the task
     * @param reason why it was excluded, or what made it a good or lesser choice
     * @param running tasks it runs now
     * @param capacity tasks it runs at most
     */
    public record Candidate(
            String delegateId,
            String name,
            String groupName,
            boolean eligible,
            String reason,
            int running,
            int capacity) {}

    /** The delegate chosen and why. */
    public record Chosen(String delegateId, String name, String reason) {}

    /**
     * How many delegates one reason excluded, e.g. 412 "not connected".
     *
     * @param reason the reason without what differs between delegates (such as how long ago)
     */
    public record ReasonCount(String reason, int count) {}

    /** The same decision with another summary. */
    SelectionLog withSummary(String newSummary) {
        return new SelectionLog(at, trigger, candidates, chosen, newSummary, considered, eligibleCount, excluded);
    }
}
