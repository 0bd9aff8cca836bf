package org.opendelegate.manager.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.opendelegate.manager.store.Database;
import org.opendelegate.testkit.PostgresSchemas;

/**
 * Three replicas starting at the same moment on an empty schema: Flyway's lock lets one migrate while the
 * others wait, and every migration is applied once. Takes a few seconds.
 */
class ConcurrentMigrationTest {
    private final String schema = PostgresSchemas.newName();
    private final List<Database> opened = new ArrayList<>();

    @AfterEach
    void drop() {
        opened.forEach(Database::close);
        PostgresSchemas.drop(schema);
    }

    @Test
    void threeReplicasStartingAtOnceMigrateAnEmptySchemaOnce() {
        // The schema exists, empty, as an operator creates it for the Manager's user.
        PostgresSchemas.execute(PostgresSchemas.URL, PostgresSchemas.USER, "CREATE SCHEMA " + schema);
        CyclicBarrier together = new CyclicBarrier(3);
        List<CompletableFuture<Database>> starts = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            starts.add(CompletableFuture.supplyAsync(() -> {
                try {
                    together.await();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                return Database.open(PostgresSchemas.URL, PostgresSchemas.USER, "", Optional.of(schema));
            }));
        }
        starts.forEach(s -> opened.add(s.join()));

        List<String> applied = opened.get(0)
                .jdbi()
                .withHandle(h -> h.createQuery(
                                "SELECT version FROM flyway_schema_history WHERE success AND version IS NOT NULL")
                        .mapTo(String.class)
                        .list());
        assertThat(applied).doesNotHaveDuplicates().contains("1", "23");
        assertThat(opened).allSatisfy(db -> assertThat(db.isReachable()).isTrue());
    }
}
