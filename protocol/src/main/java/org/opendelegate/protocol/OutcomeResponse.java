package org.opendelegate.protocol;

/**
 * The Manager's answer to an outcome.
 *
 * @param disposition {@code APPLIED} the first time, {@code ALREADY_APPLIED} for a retried upload
 */
public record OutcomeResponse(String disposition) {
    public static final String APPLIED = "APPLIED";
    public static final String ALREADY_APPLIED = "ALREADY_APPLIED";
}
