package org.opendelegate.manager.store;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.reflect.ConstructorMapper;

/** Console users. */
public final class UserDao {
    private final Table<ConsoleUser> users;

    public UserDao(Jdbi jdbi) {
        this.users = new Table<>(jdbi, "console_user", ConstructorMapper.of(ConsoleUser.class));
    }

    /** Inserts a user; false when the username is taken (by anyone, in any account). */
    public boolean insert(ConsoleUser user) {
        try {
            users.insert(
                    "id, account_id, username, password_hash, role, created_by, created_at, password_changed_at",
                    user,
                    Map.of());
            return true;
        } catch (RuntimeException e) {
            if (Rows.isUniqueViolation(e)) {
                return false;
            }
            throw e;
        }
    }

    public Optional<ConsoleUser> findByUsername(String username) {
        return users.findBy("username", username);
    }

    public Optional<ConsoleUser> findById(String id) {
        return users.findBy("id", id);
    }

    public Optional<ConsoleUser> find(String accountId, String id) {
        return findById(id).filter(u -> u.accountId().equals(accountId));
    }

    public List<ConsoleUser> list(String accountId) {
        return users.listInAccount(accountId, "username");
    }

    public int count(String accountId) {
        return users.countInAccount(accountId);
    }

    /** Replaces the password hash; false when the user is not in this account. */
    public boolean updatePassword(String accountId, String id, String passwordHash, Instant at) {
        return users.updateInAccount(
                accountId,
                id,
                "password_hash = :hash, password_changed_at = :at",
                u -> u.bind("hash", passwordHash).bind("at", Rows.timestamp(at)));
    }

    public void recordSignIn(String id, Instant at) {
        users.stamp("id", id, "last_sign_in_at", at);
    }
}
