package org.opendelegate.manager.store;

import java.time.Instant;
import org.opendelegate.manager.security.Role;

/**
 * A person who signs in to the web console. The password itself is never stored, only its bcrypt hash.
 *
 * @param username unique across the Manager, lower case
 */
public record ConsoleUser(
        String id,
        String accountId,
        String username,
        String passwordHash,
        Role role,
        String createdBy,
        Instant createdAt,
        Instant passwordChangedAt,
        Instant lastSignInAt) {}
