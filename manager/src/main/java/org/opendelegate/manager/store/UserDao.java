package org.opendelegate.manager.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.RowMapper;
import org.opendelegate.manager.security.Role;

/** Console users. */
public final class UserDao {
    private static final RowMapper<ConsoleUser> MAPPER = (rs, ctx) -> new ConsoleUser(
            rs.getString("id"),
            rs.getString("account_id"),
            rs.getString("username"),
            rs.getString("password_hash"),
            Role.valueOf(rs.getString("role")),
            rs.getString("created_by"),
            Rows.instant(rs, "created_at"),
            Rows.instant(rs, "password_changed_at"),
            Rows.instant(rs, "last_sign_in_at"));

    private final Jdbi jdbi;

    public UserDao(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** Inserts a user; false when the username is taken (by anyone, in any account). */
    public boolean insert(ConsoleUser user) {
        try {
            jdbi.useHandle(h -> h.createUpdate("INSERT INTO console_user (id, account_id, username, password_hash, "
                            + "role, created_by, created_at, password_changed_at) "
                            + "VALUES (:id, :a, :username, :hash, :role, :by, :at, :changed)")
                    .bind("id", user.id())
                    .bind("a", user.accountId())
                    .bind("username", user.username())
                    .bind("hash", user.passwordHash())
                    .bind("role", user.role().name())
                    .bind("by", user.createdBy())
                    .bind("at", Rows.timestamp(user.createdAt()))
                    .bind("changed", Rows.timestamp(user.passwordChangedAt()))
                    .execute());
            return true;
        } catch (RuntimeException e) {
            if (Rows.isUniqueViolation(e)) {
                return false;
            }
            throw e;
        }
    }

    public Optional<ConsoleUser> findByUsername(String username) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM console_user WHERE username = :u")
                .bind("u", username)
                .map(MAPPER)
                .findOne());
    }

    public Optional<ConsoleUser> findById(String id) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM console_user WHERE id = :id")
                .bind("id", id)
                .map(MAPPER)
                .findOne());
    }

    public Optional<ConsoleUser> find(String accountId, String id) {
        return findById(id).filter(u -> u.accountId().equals(accountId));
    }

    public List<ConsoleUser> list(String accountId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM console_user WHERE account_id = :a ORDER BY username")
                .bind("a", accountId)
                .map(MAPPER)
                .list());
    }

    public int count(String accountId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM console_user WHERE account_id = :a")
                .bind("a", accountId)
                .mapTo(Integer.class)
                .one());
    }

    /** Replaces the password hash; false when the user is not in this account. */
    public boolean updatePassword(String accountId, String id, String passwordHash, Instant at) {
        return jdbi.withHandle(h -> h.createUpdate("UPDATE console_user SET password_hash = :hash, "
                                + "password_changed_at = :at WHERE account_id = :a AND id = :id")
                        .bind("hash", passwordHash)
                        .bind("at", Rows.timestamp(at))
                        .bind("a", accountId)
                        .bind("id", id)
                        .execute())
                == 1;
    }

    public void recordSignIn(String id, Instant at) {
        jdbi.useHandle(h -> h.createUpdate("UPDATE console_user SET last_sign_in_at = :at WHERE id = :id")
                .bind("at", Rows.timestamp(at))
                .bind("id", id)
                .execute());
    }
}
