package org.opendelegate.protocol;

/**
 * A graceful goodbye: the Manager shows the delegate disconnected at once.
 *
 * @param delegateId the delegate id
 * @param sessionId the session id
 * @param reason why, for the audit trail (e.g. "SIGTERM")
 */
public record DeregisterRequest(String delegateId, String sessionId, String reason) {}
