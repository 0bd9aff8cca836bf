package org.opendelegate.manager.store;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.reflect.ConstructorMapper;

/** Accounts. */
public final class AccountDao {
    private final Table<Account> accounts;

    public AccountDao(Jdbi jdbi) {
        this.accounts = new Table<>(jdbi, "account", ConstructorMapper.of(Account.class));
    }

    public void insert(Account account) {
        accounts.insert("id, name, created_at", account, Map.of());
    }

    public Optional<Account> find(String id) {
        return accounts.findBy("id", id);
    }

    public List<Account> list() {
        return accounts.listAll("created_at");
    }
}
