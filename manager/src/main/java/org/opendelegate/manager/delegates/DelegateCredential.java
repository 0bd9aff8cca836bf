package org.opendelegate.manager.delegates;

/**
 * What a registration presented: a valid delegate token, the session credential of a delegate that
 * registers again, or a proof of a trusted AWS identity (IAM registration).
 *
 * @param accountId the account the token belongs to
 * @param tokenId the token's id (for a session credential: the token the delegate first registered with);
 *     null when no token is behind it (IAM registration)
 * @param tokenName the token's name, for messages and the audit trail; {@code iam:<arn>} for IAM registration
 * @param groupId the group the token is bound to, or null when it serves any group
 * @param sessionOf the id of the delegate whose session credential was presented, or null when a delegate
 *     token was: a session credential re-registers that delegate and no other
 */
public record DelegateCredential(String accountId, String tokenId, String tokenName, String groupId, String sessionOf) {

    /** A delegate token, or a verified IAM identity (tokenId null). */
    public DelegateCredential(String accountId, String tokenId, String tokenName, String groupId) {
        this(accountId, tokenId, tokenName, groupId, null);
    }

    /** Who acts, for the audit trail: the delegate of a session, {@code delegate-token:<name>}, or {@code iam:<arn>}. */
    public String actor() {
        if (sessionOf != null) {
            return "delegate:" + sessionOf;
        }
        return tokenId == null ? tokenName : "delegate-token:" + tokenName;
    }
}
