package org.opendelegate.manager.store;

import java.time.Instant;
import org.opendelegate.manager.security.Role;

/**
 * An API key; the secret itself is never stored, only its hash.
 *
 * @param userId the console user the key belongs to (it then acts with that user's current role and stops
 *     with them), or null for a key of its own (the bootstrap key)
 */
public record ApiKey(
        String id,
        String accountId,
        String name,
        Role role,
        Instant createdAt,
        Instant lastUsedAt,
        Instant revokedAt,
        String userId) {}
