package org.opendelegate.manager.store;

import java.time.Instant;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.RowMapper;

/** Console sessions, looked up by the hash of the cookie's id. */
public final class SessionDao {
    private static final RowMapper<ConsoleSession> MAPPER = (rs, ctx) -> new ConsoleSession(
            rs.getString("id_hash"),
            rs.getString("user_id"),
            rs.getString("csrf_token"),
            Rows.instant(rs, "created_at"),
            Rows.instant(rs, "last_seen_at"),
            Rows.instant(rs, "expires_at"));

    private final Jdbi jdbi;

    public SessionDao(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    public void insert(ConsoleSession s) {
        jdbi.useHandle(h -> h.createUpdate("INSERT INTO console_session (id_hash, user_id, csrf_token, created_at, "
                        + "last_seen_at, expires_at) VALUES (:id, :user, :csrf, :created, :seen, :expires)")
                .bind("id", s.idHash())
                .bind("user", s.userId())
                .bind("csrf", s.csrfToken())
                .bind("created", Rows.timestamp(s.createdAt()))
                .bind("seen", Rows.timestamp(s.lastSeenAt()))
                .bind("expires", Rows.timestamp(s.expiresAt()))
                .execute());
    }

    public Optional<ConsoleSession> find(String idHash) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM console_session WHERE id_hash = :id")
                .bind("id", idHash)
                .map(MAPPER)
                .findOne());
    }

    public void touch(String idHash, Instant at) {
        jdbi.useHandle(h -> h.createUpdate("UPDATE console_session SET last_seen_at = :at WHERE id_hash = :id")
                .bind("at", Rows.timestamp(at))
                .bind("id", idHash)
                .execute());
    }

    public void delete(String idHash) {
        jdbi.useHandle(h -> h.createUpdate("DELETE FROM console_session WHERE id_hash = :id")
                .bind("id", idHash)
                .execute());
    }

    /** Ends every session of a user (after a password reset); returns how many. */
    public int deleteForUser(String userId) {
        return jdbi.withHandle(h -> h.createUpdate("DELETE FROM console_session WHERE user_id = :u")
                .bind("u", userId)
                .execute());
    }

    /** Removes sessions past their absolute end or idle since before {@code idleSince}; returns how many. */
    public int deleteExpired(Instant now, Instant idleSince) {
        return jdbi.withHandle(
                h -> h.createUpdate("DELETE FROM console_session WHERE expires_at <= :now " + "OR last_seen_at < :idle")
                        .bind("now", Rows.timestamp(now))
                        .bind("idle", Rows.timestamp(idleSince))
                        .execute());
    }
}
