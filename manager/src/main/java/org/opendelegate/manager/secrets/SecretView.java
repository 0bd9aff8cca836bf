package org.opendelegate.manager.secrets;

import java.time.Instant;
import org.opendelegate.manager.store.AccountSecret;
import org.opendelegate.manager.store.SecretUsage;

/**
 * A secret as the API lists it: its metadata and how much it is used. There is no value in it, by design:
 * a secret's value is write-only.
 *
 * @param version the current version (1 for a new secret; every new value adds one)
 * @param usedByTasks how many tasks kept in the store referenced it
 * @param activeTasks how many of those are queued or running now
 */
public record SecretView(
        String name,
        String description,
        int version,
        long usedByTasks,
        long activeTasks,
        String createdBy,
        Instant createdAt,
        String updatedBy,
        Instant updatedAt) {

    static SecretView of(AccountSecret s, SecretUsage usage) {
        return new SecretView(
                s.name(),
                s.description(),
                s.currentVersion(),
                usage.tasks(),
                usage.activeTasks(),
                s.createdBy(),
                s.createdAt(),
                s.updatedBy(),
                s.updatedAt());
    }
}
