package org.opendelegate.manager.store;

import java.time.Instant;

/**
 * One task that referenced a secret: which environment variable got it, which version, and the task as it is now.
 *
 * @param taskState the task's state now (a {@link TaskState} name)
 */
public record SecretUse(
        String taskId,
        String envName,
        int secretVersion,
        Instant createdAt,
        String taskType,
        String taskState,
        String taskCreatedBy) {}
