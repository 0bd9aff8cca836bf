package org.opendelegate.manager.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * V25 moves every delegate's liveness (connected since, last heartbeat) to its own narrow table, on H2 and on
 * PostgreSQL: nothing a delegate showed before is lost, and deleting a delegate takes its liveness with it.
 */
class LivenessMigrationTest {
    private static final Instant CONNECTED = Instant.parse("2026-12-01T10:00:00Z");
    private static final Instant HEARD = Instant.parse("2026-12-01T10:05:00Z");

    @Test
    void aDelegateKeepsItsLivenessOnH2() {
        OlderSchema.onH2("24", LivenessMigrationTest::aDelegateKeepsItsLiveness);
    }

    @Test
    void aDelegateKeepsItsLivenessOnPostgres() {
        OlderSchema.onPostgres("24", LivenessMigrationTest::aDelegateKeepsItsLiveness);
    }

    private static void aDelegateKeepsItsLiveness(OlderSchema older) {
        older.jdbi().useHandle(h -> {
            h.execute("INSERT INTO account (id, name, created_at) VALUES ('old', 'Old', CURRENT_TIMESTAMP)");
            h.execute("INSERT INTO delegate_group (id, account_id, name, selectors, created_at, updated_at) "
                    + "VALUES ('g1', 'old', 'builders', '[]', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)");
            h.createUpdate("INSERT INTO delegate (id, account_id, group_id, name, type, identity_kind, profile_name, "
                            + "selectors, task_types, capacity, instance_id, session_id, first_registered_at, "
                            + "connected_since, last_heartbeat_at) VALUES ('d1', 'old', 'g1', 'build-1', 'SHELL', "
                            + "'STABLE', 'Primary', '[]', '[]', 4, 'i-1', 's1', :connected, :connected, :heard)")
                    .bind("connected", Rows.timestamp(CONNECTED))
                    .bind("heard", Rows.timestamp(HEARD))
                    .execute();
        });

        try (Database db = older.open()) {
            DelegateDao delegates = new DelegateDao(db.jdbi());
            Delegate d = delegates.findById("d1").orElseThrow();
            assertThat(d.connectedSince()).isEqualTo(CONNECTED);
            assertThat(d.lastHeartbeatAt()).isEqualTo(HEARD);
            assertThat(delegates.livenessAll())
                    .singleElement()
                    .satisfies(l -> assertThat(l.lastHeartbeatAt()).isEqualTo(HEARD));

            assertThat(delegates.delete("old", "d1")).isTrue();
            int left = db.jdbi()
                    .withHandle(h -> h.createQuery("SELECT COUNT(*) FROM delegate_liveness")
                            .mapTo(Integer.class)
                            .one());
            assertThat(left).isZero();
        }
    }
}
