package org.opendelegate.protocol;

/**
 * What the Manager did with one outcome of a report.
 *
 * @param taskId the task
 * @param disposition {@link #APPLIED} the first time, {@link #ALREADY_APPLIED} for a retried upload,
 *     {@link #LEASE_LOST} when the lease is gone (the result does not count), {@link #REJECTED} when the
 *     outcome itself is invalid; the delegate forgets the outcome after any of them
 * @param detail why, for LEASE_LOST and REJECTED
 */
public record OutcomeResponse(String taskId, String disposition, String detail) {
    public static final String APPLIED = "APPLIED";
    public static final String ALREADY_APPLIED = "ALREADY_APPLIED";
    public static final String LEASE_LOST = "LEASE_LOST";
    public static final String REJECTED = "REJECTED";
}
