package org.opendelegate.manager.store;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.mapper.reflect.ConstructorMapper;

/** The audit trail. Append-only. */
public final class AuditDao {
    private static final RowMapper<AuditEvent> MAPPER = ConstructorMapper.of(AuditEvent.class);

    private final Jdbi jdbi;

    public AuditDao(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    public void record(
            String accountId,
            Instant at,
            String actor,
            String action,
            String targetType,
            String targetId,
            String detail) {
        jdbi.useHandle(h -> h.createUpdate("INSERT INTO audit_event (account_id, at, actor, action, target_type, "
                        + "target_id, detail) VALUES (:a, :at, :actor, :action, :tt, :tid, :d)")
                .bind("a", accountId)
                .bind("at", Rows.timestamp(at))
                .bind("actor", cut(actor, 200))
                .bind("action", cut(action, 100))
                .bind("tt", cut(targetType, 50))
                .bind("tid", cut(targetId, 64))
                .bind("d", cut(detail, 8000))
                .execute());
    }

    /**
     * Bounds a value to its column. The audit trail records what callers sent, refusals included, so it
     * shortens rather than refuses: an event that cannot be written would hide the refusal it records.
     */
    private static String cut(String value, int column) {
        return value == null || value.length() <= column ? value : value.substring(0, column);
    }

    /** The events the filter selects, newest first. */
    public List<AuditEvent> search(AuditFilter f) {
        StringBuilder sql = new StringBuilder("SELECT * FROM audit_event WHERE account_id = :a");
        Map<String, Object> binds = new LinkedHashMap<>();
        binds.put("a", f.accountId());
        if (f.actor() != null) {
            sql.append(" AND actor = :actor");
            binds.put("actor", f.actor());
        }
        if (f.action() != null && f.actionPrefix()) {
            sql.append(" AND action LIKE :action ESCAPE '!'");
            binds.put("action", f.action().replace("!", "!!").replace("_", "!_").replace("%", "!%") + "%");
        } else if (f.action() != null) {
            sql.append(" AND action = :action");
            binds.put("action", f.action());
        }
        if (f.targetType() != null) {
            sql.append(" AND target_type = :tt");
            binds.put("tt", f.targetType());
        }
        if (f.targetId() != null) {
            sql.append(" AND target_id = :tid");
            binds.put("tid", f.targetId());
        }
        if (f.from() != null) {
            sql.append(" AND at >= :from");
            binds.put("from", Rows.timestamp(f.from()));
        }
        if (f.to() != null) {
            sql.append(" AND at < :to");
            binds.put("to", Rows.timestamp(f.to()));
        }
        if (f.beforeId() != null) {
            sql.append(" AND id < :before");
            binds.put("before", f.beforeId());
        }
        sql.append(" ORDER BY id DESC LIMIT :limit");
        binds.put("limit", f.limit());
        return jdbi.withHandle(
                h -> h.createQuery(sql.toString()).bindMap(binds).map(MAPPER).list());
    }

    /** The newest events first. */
    public List<AuditEvent> list(String accountId, int limit) {
        return jdbi.withHandle(
                h -> h.createQuery("SELECT * FROM audit_event WHERE account_id = :a ORDER BY id DESC LIMIT :limit")
                        .bind("a", accountId)
                        .bind("limit", limit)
                        .map(MAPPER)
                        .list());
    }

    /** The newest events about one target first. */
    public List<AuditEvent> listFor(String accountId, String targetType, String targetId, int limit) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM audit_event WHERE account_id = :a "
                        + "AND target_type = :tt AND target_id = :tid ORDER BY id DESC LIMIT :limit")
                .bind("a", accountId)
                .bind("tt", targetType)
                .bind("tid", targetId)
                .bind("limit", limit)
                .map(MAPPER)
                .list());
    }
}
