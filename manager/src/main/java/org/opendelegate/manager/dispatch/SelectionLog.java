package org.opendelegate.manager.dispatch;

import java.time.Instant;
import java.util.List;

/**
 * Why a task went where it went: every candidate considered, why each was excluded, who was chosen and
 * why. Kept with the task and shown by the API and the console, so "no eligible delegates" is never a
 * mystery.
 *
 * @param at when the decision was made
 * @param trigger what started it: {@code SUBMITTED}, {@code DELEGATE_POLLED}, {@code REQUEUED} or
 *     {@code NO_ELIGIBLE_DELEGATE}
 * @param candidates every delegate of the account, with its verdict
 * @param chosen the delegate chosen, or null
 * @param summary one sentence for a person
 */
public record SelectionLog(Instant at, String trigger, List<Candidate> candidates, Chosen chosen, String summary) {

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
}
