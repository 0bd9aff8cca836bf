package org.opendelegate.manager.audit;

/**
 * The filters of an audit search as a person or program sent them (query parameters), unchecked; null
 * or blank members do not filter. {@link AuditTrail} checks them all and names every bad one.
 *
 * @param action an action ({@code user.disabled}), or every action of a kind with a trailing {@code *}
 *     ({@code delegate-token.*})
 * @param from and {@code to}: ISO-8601 instants ({@code 2026-12-04T18:00:00Z}); from inclusive, to exclusive
 * @param before the id of the last event of the previous page: only older events
 * @param limit how many events at most; {@link AuditTrail#DEFAULT_LIMIT} when absent
 */
public record AuditQuery(
        String actor,
        String action,
        String targetType,
        String targetId,
        String from,
        String to,
        String before,
        String limit) {

    public static final AuditQuery NONE = new AuditQuery(null, null, null, null, null, null, null, null);
}
