package org.opendelegate.manager.store;

import java.time.Instant;
import org.opendelegate.manager.security.Role;

/**
 * A person who signs in to the web console. The password itself is never stored, only its bcrypt hash.
 *
 * @param username unique across the Manager, lower case
 * @param disabled true while the user may not sign in (their sessions and API keys stop too)
 * @param disabledAt since when, null while enabled
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
        Instant lastSignInAt,
        boolean disabled,
        Instant disabledAt) {

    /** True when the user may sign in and act. */
    public boolean active() {
        return !disabled;
    }

    /** True when the user is an admin who may sign in: the account needs at least one. */
    public boolean activeAdmin() {
        return active() && role == Role.ADMIN;
    }
}
