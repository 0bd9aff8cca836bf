package org.opendelegate.manager.delegates;

/**
 * What a registration presented: a valid delegate token, or the session credential of a delegate that
 * registers again.
 *
 * @param accountId the account the token belongs to
 * @param tokenId the token's id (for a session credential: the token the delegate first registered with)
 * @param tokenName the token's name, for messages and the audit trail
 * @param groupId the group the token is bound to, or null when it serves any group
 * @param sessionOf the id of the delegate whose session credential was presented, or null when a delegate
 *     token was: a session credential re-registers that delegate and no other
 */
public record DelegateCredential(String accountId, String tokenId, String tokenName, String groupId, String sessionOf) {

    /** A delegate token. */
    public DelegateCredential(String accountId, String tokenId, String tokenName, String groupId) {
        this(accountId, tokenId, tokenName, groupId, null);
    }

    /** Who registers, for the audit trail. */
    public String actor() {
        return sessionOf != null ? "delegate:" + sessionOf : "delegate-token:" + tokenName;
    }
}
