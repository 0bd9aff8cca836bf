package org.opendelegate.manager.store;

import java.time.Instant;

/**
 * A named, revocable delegate token. Only a hash of the secret is stored.
 *
 * @param groupId the group the token is bound to, or null for any group
 */
public record DelegateToken(
        String id,
        String accountId,
        String name,
        String groupId,
        String createdBy,
        Instant createdAt,
        Instant lastUsedAt,
        Instant revokedAt) {

    public boolean revoked() {
        return revokedAt != null;
    }
}
