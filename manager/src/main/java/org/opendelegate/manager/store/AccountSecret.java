package org.opendelegate.manager.store;

import java.time.Instant;

/**
 * A named secret of an account, without its value: the values are versions, each sealed with the master key
 * ({@link SecretDao#sealedValue}); this record never holds one.
 *
 * @param currentVersion the version tasks get when they reference the secret
 */
public record AccountSecret(
        String id,
        String accountId,
        String name,
        String description,
        int currentVersion,
        String createdBy,
        Instant createdAt,
        String updatedBy,
        Instant updatedAt) {}
