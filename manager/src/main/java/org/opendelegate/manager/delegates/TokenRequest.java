package org.opendelegate.manager.delegates;

/**
 * A new delegate token as the API and the console ask for it, unchecked; {@link DelegateTokens#create}
 * checks every field and names the wrong ones.
 *
 * @param groupId the group to bind the token to; null or blank for any group
 * @param expiresAt an ISO-8601 time with a zone (e.g. {@code 2027-01-31T18:00:00Z}), in the future; null
 *     or blank for a token that does not expire
 * @param maxDelegates 1 to 10000 connected delegates at once; null for no limit
 * @param singleUse true for a token that admits exactly one registration; null means false
 */
public record TokenRequest(String name, String groupId, String expiresAt, Integer maxDelegates, Boolean singleUse) {

    /** A multi-use token without expiry or limit. */
    public static TokenRequest of(String name, String groupId) {
        return new TokenRequest(name, groupId, null, null, null);
    }
}
