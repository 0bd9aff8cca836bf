package org.opendelegate.manager.delegates;

import java.time.Instant;
import org.opendelegate.manager.store.DelegateToken;

/**
 * A delegate token as the API shows it. The secret appears only in the answer that created it.
 *
 * @param status {@code ACTIVE} or {@code REVOKED}
 * @param token the secret; only present right after creation
 */
public record TokenView(
        String id,
        String name,
        String groupId,
        String status,
        String createdBy,
        Instant createdAt,
        Instant lastUsedAt,
        Instant revokedAt,
        String token) {

    static TokenView of(DelegateToken t, String secret) {
        return new TokenView(
                t.id(),
                t.name(),
                t.groupId(),
                t.revoked() ? "REVOKED" : "ACTIVE",
                t.createdBy(),
                t.createdAt(),
                t.lastUsedAt(),
                t.revokedAt(),
                secret);
    }
}
