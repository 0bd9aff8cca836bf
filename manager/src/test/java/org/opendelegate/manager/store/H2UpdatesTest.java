package org.opendelegate.manager.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;
import org.h2.mvstore.db.MVIndex;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.Test;

/**
 * What the embedded store's speed relies on in H2 (2.5 and later; 2.4 needed a table engine of our own for it): an
 * {@code UPDATE} rewrites only the indexes whose columns it changed, and still handles the cases a row-by-row
 * update gets wrong (unique values swapped between rows, a changed key, a refused or rolled-back update). A task's
 * lease and its outcome change a few columns of a row with several indexes, at every dispatch.
 */
class H2UpdatesTest {
    @Test
    void anUpdateRewritesOnlyTheIndexesOfTheColumnsItChanged() throws Exception {
        // In memory: no compaction thread rewrites pages behind the test's back.
        try (Database db = Database.open(memoryUrl(), "sa", "", Optional.empty())) {
            db.jdbi().useHandle(h -> {
                h.execute("CREATE TABLE item (id VARCHAR(36) PRIMARY KEY, owner VARCHAR(20) NOT NULL, "
                        + "state VARCHAR(20) NOT NULL, note VARCHAR(100))");
                h.execute("CREATE INDEX item_owner ON item (owner)");
                h.execute("CREATE INDEX item_state ON item (state)");
                h.execute("INSERT INTO item VALUES ('a', 'ann', 'QUEUED', NULL), ('b', 'bob', 'QUEUED', NULL)");

                Object owner = rootPage(h, "ITEM_OWNER");
                Object state = rootPage(h, "ITEM_STATE");
                Object primaryKey = rootPage(h, primaryKeyIndex(h, "ITEM"));
                h.execute("UPDATE item SET state = 'RUNNING', note = 'leased' WHERE id = 'a'");

                // Copy on write: a map that changed has a new root page, one left alone keeps its own.
                assertThat(rootPage(h, "ITEM_STATE")).isNotSameAs(state);
                assertThat(rootPage(h, "ITEM_OWNER")).isSameAs(owner);
                assertThat(rootPage(h, primaryKeyIndex(h, "ITEM"))).isSameAs(primaryKey);
                assertThat(h.createQuery("SELECT id FROM item WHERE state = 'RUNNING'")
                                .mapTo(String.class)
                                .list())
                        .containsExactly("a");
                assertThat(h.createQuery("SELECT state || '/' || note FROM item WHERE owner = 'ann'")
                                .mapTo(String.class)
                                .one())
                        .isEqualTo("RUNNING/leased");
            });
        }
    }

    @Test
    void anUpdateThatSwapsUniqueValuesBetweenRowsOrChangesTheKeySucceeds() throws Exception {
        try (Database db = Database.open(memoryUrl(), "sa", "", Optional.empty())) {
            db.jdbi().useHandle(h -> {
                h.execute("CREATE TABLE slot (id BIGINT PRIMARY KEY, position INTEGER NOT NULL UNIQUE)");
                h.execute("INSERT INTO slot VALUES (1, 1), (2, 2)");
                // Row by row, the first row's new position would meet the second row's old one.
                h.execute("UPDATE slot SET position = 3 - position");
                assertThat(h.createQuery("SELECT id FROM slot ORDER BY position")
                                .mapTo(Long.class)
                                .list())
                        .containsExactly(2L, 1L);
                // A key that changes: the row moves to its new key and the old one is gone.
                h.execute("UPDATE slot SET id = id + 10");
                assertThat(h.createQuery("SELECT id FROM slot WHERE id < 10")
                                .mapTo(Long.class)
                                .list())
                        .isEmpty();
                assertThat(h.createQuery("SELECT position FROM slot WHERE id = 11")
                                .mapTo(Integer.class)
                                .one())
                        .isEqualTo(2);
            });
        }
    }

    @Test
    void aRefusedOrRolledBackUpdateLeavesTheRowAndItsIndexesAsTheyWere() throws Exception {
        try (Database db = Database.open(memoryUrl(), "sa", "", Optional.empty())) {
            db.jdbi().useHandle(h -> {
                h.execute("CREATE TABLE item (id VARCHAR(36) PRIMARY KEY, code VARCHAR(20) UNIQUE, "
                        + "state VARCHAR(20) NOT NULL)");
                h.execute("CREATE INDEX item_state ON item (state)");
                h.execute("INSERT INTO item VALUES ('a', 'x', 'QUEUED'), ('b', 'y', 'QUEUED')");
                assertThatThrownBy(() -> h.execute("UPDATE item SET code = 'y', state = 'RUNNING' WHERE id = 'a'"))
                        .hasMessageContaining("Unique index or primary key violation");

                h.begin();
                h.execute("UPDATE item SET state = 'RUNNING' WHERE id IN ('a', 'b')");
                assertThat(h.createQuery("SELECT COUNT(*) FROM item WHERE state = 'RUNNING'")
                                .mapTo(Integer.class)
                                .one())
                        .isEqualTo(2);
                h.rollback();

                assertThat(h.createQuery("SELECT id || code FROM item WHERE state = 'QUEUED' ORDER BY id")
                                .mapTo(String.class)
                                .list())
                        .containsExactly("ax", "by");
                assertThat(h.createQuery("SELECT COUNT(*) FROM item WHERE state = 'RUNNING'")
                                .mapTo(Integer.class)
                                .one())
                        .isZero();
            });
        }
    }

    private static String memoryUrl() {
        return "jdbc:h2:mem:od_" + java.util.UUID.randomUUID().toString().replace("-", "") + ";DB_CLOSE_DELAY=-1";
    }

    private static SessionLocal session(Handle h) {
        try {
            return (SessionLocal) h.getConnection().unwrap(JdbcConnection.class).getSession();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The root page of the index's map: replaced whenever the map changes. */
    private static Object rootPage(Handle h, String index) {
        SessionLocal session = session(h);
        return ((MVIndex<?, ?>) session.getDatabase().getMainSchema().findIndex(session, index))
                .getMVMap()
                .getRootPage();
    }

    private static String primaryKeyIndex(Handle h, String table) {
        List<String> names = new ArrayList<>(h.createQuery("SELECT INDEX_NAME FROM INFORMATION_SCHEMA.INDEXES "
                        + "WHERE TABLE_NAME = :t AND INDEX_TYPE_NAME = 'PRIMARY KEY'")
                .bind("t", table)
                .mapTo(String.class)
                .list());
        assertThat(names).hasSize(1);
        return names.get(0);
    }
}
