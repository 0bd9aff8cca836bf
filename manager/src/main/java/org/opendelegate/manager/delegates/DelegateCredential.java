package org.opendelegate.manager.delegates;

/**
 * A delegate call that presented a valid token.
 *
 * @param accountId the account the token belongs to
 * @param tokenId the token's id
 * @param tokenName the token's name, for messages and the audit trail
 * @param groupId the group the token is bound to, or null when it serves any group
 */
public record DelegateCredential(String accountId, String tokenId, String tokenName, String groupId) {}
