package org.opendelegate.protocol;

import java.util.List;

/**
 * The Manager's answer to an {@link OutcomeReport}: one entry per outcome, in the same order.
 *
 * @param results what happened to each outcome
 */
public record OutcomeReportResponse(List<OutcomeResponse> results) {}
