package org.opendelegate.manager.audit;

import java.time.Instant;
import org.opendelegate.manager.store.AuditEvent;

/** One audit event as the API and the console show it. */
public record AuditEntry(
        long id, Instant at, String actor, String action, String targetType, String targetId, String detail) {

    static AuditEntry of(AuditEvent e) {
        return new AuditEntry(e.id(), e.at(), e.actor(), e.action(), e.targetType(), e.targetId(), e.detail());
    }
}
