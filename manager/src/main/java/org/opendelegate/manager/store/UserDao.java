package org.opendelegate.manager.store;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.HandleCallback;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.reflect.ConstructorMapper;
import org.opendelegate.manager.security.Role;

/** Console users. */
public final class UserDao {
    /** What became of a change that must leave the account an active admin. */
    public enum Change {
        DONE,
        NOT_FOUND,
        /** Refused: the user is the account's last active admin, and the change would end that. */
        LAST_ADMIN
    }

    private final Jdbi jdbi;
    private final Table<ConsoleUser> users;

    public UserDao(Jdbi jdbi) {
        this.jdbi = jdbi;
        this.users = new Table<>(jdbi, "console_user", ConstructorMapper.of(ConsoleUser.class));
    }

    /**
     * Sets a user's role and disabled state, unless that takes away the account's last active admin. The
     * account's row is locked for the check and the change, so two admins demoting each other at the same
     * time (on any replica) cannot both succeed.
     */
    public Change update(String accountId, String id, Role role, boolean disabled, Instant disabledAt) {
        return keepingAnAdmin(
                accountId,
                id,
                role == Role.ADMIN && !disabled,
                h -> h.createUpdate("UPDATE console_user SET role = :role, disabled = :disabled, disabled_at = :at "
                                + "WHERE account_id = :account AND id = :id")
                        .bind("role", role.name())
                        .bind("disabled", disabled)
                        .bind("at", Rows.timestamp(disabledAt))
                        .bind("account", accountId)
                        .bind("id", id)
                        .execute());
    }

    /** Deletes a user (their sessions go with them), unless they are the account's last active admin. */
    public Change delete(String accountId, String id) {
        return keepingAnAdmin(
                accountId,
                id,
                false,
                h -> h.createUpdate("DELETE FROM console_user WHERE account_id = :account AND id = :id")
                        .bind("account", accountId)
                        .bind("id", id)
                        .execute());
    }

    private Change keepingAnAdmin(
            String accountId, String id, boolean adminAfter, HandleCallback<Integer, RuntimeException> change) {
        return jdbi.inTransaction(h -> {
            h.createQuery("SELECT id FROM account WHERE id = :account FOR UPDATE")
                    .bind("account", accountId)
                    .mapTo(String.class)
                    .findOne();
            Optional<ConsoleUser> before = h.createQuery(
                            "SELECT * FROM console_user WHERE account_id = :account AND id = :id")
                    .bind("account", accountId)
                    .bind("id", id)
                    .map(ConstructorMapper.of(ConsoleUser.class))
                    .findOne();
            if (before.isEmpty()) {
                return Change.NOT_FOUND;
            }
            if (before.get().activeAdmin() && !adminAfter) {
                int others = h.createQuery("SELECT COUNT(*) FROM console_user WHERE account_id = :account "
                                + "AND role = 'ADMIN' AND disabled = FALSE AND id <> :id")
                        .bind("account", accountId)
                        .bind("id", id)
                        .mapTo(Integer.class)
                        .one();
                if (others == 0) {
                    return Change.LAST_ADMIN;
                }
            }
            change.withHandle(h);
            return Change.DONE;
        });
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
