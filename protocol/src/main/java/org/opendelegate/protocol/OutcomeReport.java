package org.opendelegate.protocol;

import java.util.List;

/**
 * Outcomes of finished tasks, delivered together: one call (and one store commit) for everything that
 * finished since the last report. Outcomes are fenced by their tokens and lease ids: a result that
 * finished while the delegate re-registered still counts if its lease does.
 *
 * @param delegateId the delegate id
 * @param sessionId the current session id
 * @param outcomes the outcomes, at most {@link #MAX_OUTCOMES}
 */
public record OutcomeReport(String delegateId, String sessionId, List<TaskOutcome> outcomes) {
    /** The most outcomes one report may carry. */
    public static final int MAX_OUTCOMES = 500;
}
