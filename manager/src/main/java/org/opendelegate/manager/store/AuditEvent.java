package org.opendelegate.manager.store;

import java.time.Instant;

/**
 * Something that happened, who did it and when.
 *
 * @param actor who: {@code user:alice}, {@code api-key:ci}, {@code delegate:<id>} or {@code system}
 * @param action what, e.g. {@code delegate.registered}
 */
public record AuditEvent(
        long id,
        String accountId,
        Instant at,
        String actor,
        String action,
        String targetType,
        String targetId,
        String detail) {}
