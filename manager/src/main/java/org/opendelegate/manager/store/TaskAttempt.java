package org.opendelegate.manager.store;

import java.time.Instant;

/**
 * One lease of a task by one delegate.
 *
 * @param outcome how the attempt ended ({@code SUCCEEDED}, {@code FAILED}, {@code LEASE_EXPIRED}, ...),
 *     null while it runs
 * @param detail why, for a person
 */
public record TaskAttempt(
        String taskId,
        int attempt,
        String delegateId,
        String delegateName,
        long fencingToken,
        Instant startedAt,
        Instant endedAt,
        String outcome,
        String detail) {}
