package org.opendelegate.manager.store;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.reflect.ConstructorMapper;

/** Console sessions, looked up by the hash of the cookie's id. */
public final class SessionDao {
    private final Jdbi jdbi;
    private final Table<ConsoleSession> sessions;

    public SessionDao(Jdbi jdbi) {
        this.jdbi = jdbi;
        this.sessions = new Table<>(jdbi, "console_session", ConstructorMapper.of(ConsoleSession.class));
    }

    public void insert(ConsoleSession s) {
        sessions.insert("id_hash, user_id, csrf_token, created_at, last_seen_at, expires_at", s, Map.of());
    }

    public Optional<ConsoleSession> find(String idHash) {
        return sessions.findBy("id_hash", idHash);
    }

    public void touch(String idHash, Instant at) {
        sessions.stamp("id_hash", idHash, "last_seen_at", at);
    }

    public void delete(String idHash) {
        sessions.deleteBy("id_hash", idHash);
    }

    /** Ends every session of a user (after a password reset); returns how many. */
    public int deleteForUser(String userId) {
        return sessions.deleteBy("user_id", userId);
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
