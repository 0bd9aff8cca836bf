package org.opendelegate.protocol;

/**
 * A long poll for work. The delegate has reserved {@code freeSlots} slots; the Manager leases at most
 * that many tasks to it in the same step. With no free slot the poll still waits, for cancellations.
 *
 * @param delegateId the delegate id from registration
 * @param sessionId the session id from registration
 * @param freeSlots how many tasks the delegate can start now
 */
public record PollRequest(String delegateId, String sessionId, int freeSlots) {}
