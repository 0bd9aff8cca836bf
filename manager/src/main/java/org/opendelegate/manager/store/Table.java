package org.opendelegate.manager.store;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.Update;

/**
 * The statements most tables answer alike: a row by one column, an account's row by one column, an
 * account's rows in order, and changing, stamping or deleting one row of an account. The DAOs share
 * them here so that each DAO writes out only the statements that are its own.
 *
 * <p>Names bound here ({@code :account}, {@code :id}, {@code :value}) are not to be used by the
 * assignments a caller passes to {@link #updateInAccount}.
 */
final class Table<T> {
    private static final Pattern SNAKE = Pattern.compile("_(.)");

    private final Jdbi jdbi;
    private final String name;
    private final String select;
    private final String accountColumn;
    private final RowMapper<T> mapper;

    /** A table read with {@code SELECT *}. */
    Table(Jdbi jdbi, String name, RowMapper<T> mapper) {
        this(jdbi, name, "SELECT * FROM " + name, "account_id", mapper);
    }

    /**
     * A table read through its own select (chosen columns, a join); {@code accountColumn} is the account
     * column as that select names it.
     */
    Table(Jdbi jdbi, String name, String select, String accountColumn, RowMapper<T> mapper) {
        this.jdbi = jdbi;
        this.name = name;
        this.select = select;
        this.accountColumn = accountColumn;
        this.mapper = mapper;
    }

    /**
     * Inserts a record whose components are named after the columns ({@code account_id} is taken from
     * {@code accountId()}), the way {@code ConstructorMapper} reads it back. {@code more} binds the
     * columns the record does not hold (a secret's hash), by the same names.
     */
    void insert(String columns, Object record, Map<String, ?> more) {
        String values = Arrays.stream(columns.split(",\\s*"))
                .map(column -> ":" + componentName(column))
                .collect(Collectors.joining(", "));
        jdbi.useHandle(h -> h.createUpdate("INSERT INTO " + name + " (" + columns + ") VALUES (" + values + ")")
                .bindMethods(record)
                .bindMap(more)
                .execute());
    }

    /** The row whose {@code column} holds {@code value} (a unique column). */
    Optional<T> findBy(String column, Object value) {
        return jdbi.withHandle(h -> h.createQuery(select + " WHERE " + column + " = :value")
                .bind("value", value)
                .map(mapper)
                .findOne());
    }

    /** The account's row whose {@code column} holds {@code value}; never another account's. */
    Optional<T> findInAccount(String accountId, String column, Object value) {
        return jdbi.withHandle(
                h -> h.createQuery(select + " WHERE " + accountColumn + " = :account AND " + column + " = :value")
                        .bind("account", accountId)
                        .bind("value", value)
                        .map(mapper)
                        .findOne());
    }

    /** The rows whose {@code column} holds {@code value}, in the given SQL order. */
    List<T> listBy(String column, Object value, String orderBy) {
        return jdbi.withHandle(h -> h.createQuery(select + " WHERE " + column + " = :value ORDER BY " + orderBy)
                .bind("value", value)
                .map(mapper)
                .list());
    }

    /** The account's rows, in the given SQL order. */
    List<T> listInAccount(String accountId, String orderBy) {
        return listBy(accountColumn, accountId, orderBy);
    }

    /** Every row of every account. */
    List<T> listAll() {
        return jdbi.withHandle(h -> h.createQuery(select).map(mapper).list());
    }

    /** Every row of every account, in the given SQL order. */
    List<T> listAll(String orderBy) {
        return jdbi.withHandle(
                h -> h.createQuery(select + " ORDER BY " + orderBy).map(mapper).list());
    }

    /** How many rows the account has. */
    int countInAccount(String accountId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM " + name + " WHERE account_id = :account")
                .bind("account", accountId)
                .mapTo(Integer.class)
                .one());
    }

    /**
     * Sets columns of the account's row with this id: {@code assignments} is the SQL after SET, and
     * {@code values} binds its names. False when the account has no such row.
     */
    boolean updateInAccount(String accountId, String id, String assignments, UnaryOperator<Update> values) {
        return updateInAccount(accountId, id, assignments, "", values);
    }

    private boolean updateInAccount(
            String accountId, String id, String assignments, String andCondition, UnaryOperator<Update> values) {
        return jdbi.withHandle(h -> values.apply(h.createUpdate("UPDATE " + name + " SET " + assignments
                                + " WHERE account_id = :account AND id = :id" + andCondition))
                        .bind("account", accountId)
                        .bind("id", id)
                        .execute())
                == 1;
    }

    /**
     * Stamps a time column of the account's row with this id once (revoked, say): false when there is no
     * such row or the column holds a time already.
     */
    boolean stampOnce(String accountId, String id, String timeColumn, Instant at) {
        return updateInAccount(
                accountId,
                id,
                timeColumn + " = :at",
                " AND " + timeColumn + " IS NULL",
                u -> u.bind("at", Rows.timestamp(at)));
    }

    /** Deletes the account's row with this id; false when there was none. */
    boolean deleteInAccount(String accountId, String id) {
        return jdbi.withHandle(h -> h.createUpdate("DELETE FROM " + name + " WHERE account_id = :account AND id = :id")
                        .bind("account", accountId)
                        .bind("id", id)
                        .execute())
                == 1;
    }

    /** Deletes the rows whose {@code column} holds {@code value}; returns how many. */
    int deleteBy(String column, Object value) {
        return jdbi.withHandle(h -> h.createUpdate("DELETE FROM " + name + " WHERE " + column + " = :value")
                .bind("value", value)
                .execute());
    }

    /** Stamps a time column (last used, last seen) of the row whose {@code keyColumn} holds {@code key}. */
    void stamp(String keyColumn, String key, String timeColumn, Instant at) {
        jdbi.useHandle(
                h -> h.createUpdate("UPDATE " + name + " SET " + timeColumn + " = :at WHERE " + keyColumn + " = :value")
                        .bind("at", Rows.timestamp(at))
                        .bind("value", key)
                        .execute());
    }

    /** {@code account_id} → {@code accountId}. */
    private static String componentName(String column) {
        return SNAKE.matcher(column).replaceAll(m -> m.group(1).toUpperCase(Locale.ROOT));
    }
}
