package org.opendelegate.manager.delegates;

/**
 * A delegate call after registration that presented a known session credential: whose session it is.
 * Every such call must name this delegate and session in its body.
 *
 * @param accountId the delegate's account
 * @param delegateId the delegate the credential was issued to
 * @param sessionId the session it was issued for
 * @param tokenId the delegate token behind the session, or null when the delegate registered without one
 * @param replaced true for the credential of a session a later registration replaced; its calls are
 *     answered SESSION_REPLACED
 */
public record SessionCredential(
        String accountId, String delegateId, String sessionId, String tokenId, boolean replaced) {}
