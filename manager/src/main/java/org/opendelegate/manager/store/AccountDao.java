package org.opendelegate.manager.store;

import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.RowMapper;

/** Accounts. */
public final class AccountDao {
    private static final RowMapper<Account> MAPPER =
            (rs, ctx) -> new Account(rs.getString("id"), rs.getString("name"), Rows.instant(rs, "created_at"));

    private final Jdbi jdbi;

    public AccountDao(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    public void insert(Account account) {
        jdbi.useHandle(h -> h.createUpdate("INSERT INTO account (id, name, created_at) VALUES (:id, :name, :at)")
                .bind("id", account.id())
                .bind("name", account.name())
                .bind("at", Rows.timestamp(account.createdAt()))
                .execute());
    }

    public Optional<Account> find(String id) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM account WHERE id = :id")
                .bind("id", id)
                .map(MAPPER)
                .findOne());
    }

    public List<Account> list() {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM account ORDER BY created_at")
                .map(MAPPER)
                .list());
    }
}
