package org.opendelegate.manager.delegates;

/**
 * A delegate call that presented a valid token, or a registration that proved a trusted AWS identity.
 *
 * @param accountId the account the token belongs to
 * @param tokenId the token's id; null for IAM registration (no token behind it)
 * @param tokenName the token's name, for messages and the audit trail; {@code iam:<arn>} for IAM registration
 * @param groupId the group the token is bound to, or null when it serves any group
 */
public record DelegateCredential(String accountId, String tokenId, String tokenName, String groupId) {

    /** Who acts, for the audit trail: {@code delegate-token:<name>}, or {@code iam:<arn>}. */
    public String actor() {
        return tokenId == null ? tokenName : "delegate-token:" + tokenName;
    }
}
