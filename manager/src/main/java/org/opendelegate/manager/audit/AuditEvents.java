package org.opendelegate.manager.audit;

import java.util.List;

/**
 * One page of audit events, newest first.
 *
 * @param nextBefore the {@code before} value of the next (older) page; null when this page is the last
 */
public record AuditEvents(List<AuditEntry> events, Long nextBefore, int limit) {}
