package org.opendelegate.manager.store;

import java.time.Instant;

/**
 * Which audit events to read, newest first. Null members do not filter.
 *
 * @param action an exact action, or a prefix when {@code actionPrefix} (e.g. {@code delegate-token.})
 * @param from events at or after this time
 * @param to events before this time
 * @param beforeId only events older than this one (paging)
 * @param limit at most this many
 */
public record AuditFilter(
        String accountId,
        String actor,
        String action,
        boolean actionPrefix,
        String targetType,
        String targetId,
        Instant from,
        Instant to,
        Long beforeId,
        int limit) {}
