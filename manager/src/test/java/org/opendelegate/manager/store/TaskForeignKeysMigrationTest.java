package org.opendelegate.manager.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

/**
 * V26 drops, on H2 only, the foreign keys of {@code task}, {@code task_attempt} and {@code task_log}: H2 kept an
 * index of its own for each and rewrote it at every lease and outcome. V27 makes one index of the two by state and
 * by delegate. Every index left on those tables is one a query or a guarantee needs, so a new one is a decision
 * this test makes visible. PostgreSQL keeps its keys.
 */
class TaskForeignKeysMigrationTest {

    @Test
    void onH2TheTaskTablesKeepOnlyTheIndexesTheirQueriesUseAndEveryRow() {
        OlderSchema.onH2("25", older -> {
            older.jdbi().useHandle(h -> {
                h.execute("INSERT INTO account (id, name, created_at) VALUES ('old', 'Old', CURRENT_TIMESTAMP)");
                h.execute(task("old", "t1"));
                h.execute(attempt("t1"));
                h.execute(logLine("t1"));
            });
            try (Database db = older.open()) {
                assertThat(indexedColumns(db.jdbi(), "TASK"))
                        .containsExactlyInAnyOrder(
                                "ID",
                                "ACCOUNT_ID,IDEMPOTENCY_KEY",
                                "STATE,DELEGATE_ID,CREATED_AT",
                                "ACCOUNT_ID,STATE,CREATED_AT",
                                "ACCOUNT_ID,SOURCE,CREATED_AT");
                assertThat(indexedColumns(db.jdbi(), "TASK_ATTEMPT")).containsExactly("TASK_ID,ATTEMPT");
                assertThat(indexedColumns(db.jdbi(), "TASK_LOG")).containsExactlyInAnyOrder("ID", "TASK_ID,ID");

                assertThat(new TaskDao(db.jdbi()).findById("t1")).isPresent();
                assertThat(count(db.jdbi(), "task_attempt")).isOne();
                assertThat(count(db.jdbi(), "task_log")).isOne();
            }
        });
    }

    @Test
    void onPostgresTheForeignKeysStay() {
        OlderSchema.onPostgres("25", older -> {
            try (Database db = older.open()) {
                Jdbi jdbi = db.jdbi();
                assertThatThrownBy(() -> jdbi.useHandle(h -> h.execute(task("nobody", "t1"))))
                        .hasMessageContaining("foreign key");
                assertThatThrownBy(() -> jdbi.useHandle(h -> h.execute(attempt("no-such-task"))))
                        .hasMessageContaining("foreign key");
                assertThatThrownBy(() -> jdbi.useHandle(h -> h.execute(logLine("no-such-task"))))
                        .hasMessageContaining("foreign key");
            }
        });
    }

    private static String task(String accountId, String id) {
        return "INSERT INTO task (id, account_id, type, payload, selectors, state, fencing_token, attempts, "
                + "max_attempts, timeout_ms, sync_call, cancel_requested, created_by, created_at) VALUES ('" + id
                + "', '" + accountId + "', 'echo', '{}', '[]', 'RUNNING', 1, 1, 3, 60000, FALSE, FALSE, 'test', "
                + "CURRENT_TIMESTAMP)";
    }

    private static String attempt(String taskId) {
        return "INSERT INTO task_attempt (task_id, attempt, account_id, delegate_id, delegate_name, fencing_token, "
                + "started_at) VALUES ('" + taskId + "', 1, 'old', 'd1', 'build-1', 1, CURRENT_TIMESTAMP)";
    }

    private static String logLine(String taskId) {
        return "INSERT INTO task_log (task_id, account_id, fencing_token, at, line) VALUES ('" + taskId
                + "', 'old', 1, CURRENT_TIMESTAMP, 'hello')";
    }

    /** The columns of each index of an H2 table, in index order, comma-separated. */
    private static List<String> indexedColumns(Jdbi jdbi, String table) {
        return jdbi.withHandle(h -> h.createQuery("SELECT LISTAGG(c.COLUMN_NAME, ',') WITHIN GROUP "
                        + "(ORDER BY c.ORDINAL_POSITION) FROM INFORMATION_SCHEMA.INDEX_COLUMNS c "
                        + "WHERE c.TABLE_SCHEMA = CURRENT_SCHEMA AND c.TABLE_NAME = :t GROUP BY c.INDEX_NAME")
                .bind("t", table)
                .mapTo(String.class)
                .list());
    }

    private static int count(Jdbi jdbi, String table) {
        return jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM " + table)
                .mapTo(Integer.class)
                .one());
    }
}
