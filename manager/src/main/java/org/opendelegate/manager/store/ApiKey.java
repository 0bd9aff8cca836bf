package org.opendelegate.manager.store;

import java.time.Instant;
import org.opendelegate.manager.security.Role;

/** An API key; the secret itself is never stored, only its hash. */
public record ApiKey(
        String id,
        String accountId,
        String name,
        Role role,
        Instant createdAt,
        Instant lastUsedAt,
        Instant revokedAt) {}
