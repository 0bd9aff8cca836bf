package org.opendelegate.manager.store;

import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.mapper.reflect.ConstructorMapper;

/** Accounts. */
public final class AccountDao {
    private static final RowMapper<Account> MAPPER = ConstructorMapper.of(Account.class);

    private final Jdbi jdbi;
    private final Table<Account> accounts;

    public AccountDao(Jdbi jdbi) {
        this.jdbi = jdbi;
        this.accounts = new Table<>(jdbi, "account", MAPPER);
    }

    public void insert(Account account) {
        jdbi.useHandle(h -> h.createUpdate("INSERT INTO account (id, name, created_at) VALUES (:id, :name, :createdAt)")
                .bindMethods(account)
                .execute());
    }

    public Optional<Account> find(String id) {
        return accounts.findBy("id", id);
    }

    public List<Account> list() {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM account ORDER BY created_at")
                .map(MAPPER)
                .list());
    }
}
