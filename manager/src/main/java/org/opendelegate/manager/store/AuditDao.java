package org.opendelegate.manager.store;

import java.time.Instant;
import java.util.List;
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
                .bind("actor", actor)
                .bind("action", action)
                .bind("tt", targetType)
                .bind("tid", targetId)
                .bind("d", detail == null || detail.length() <= 8000 ? detail : detail.substring(0, 8000))
                .execute());
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
