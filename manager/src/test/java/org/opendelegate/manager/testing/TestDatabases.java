package org.opendelegate.manager.testing;

import java.util.Optional;
import java.util.UUID;
import org.opendelegate.manager.store.Database;
import org.opendelegate.testkit.PostgresSchemas;

/**
 * Stores for tests: a private in-memory H2 database, or a private schema in the PostgreSQL server that
 * runs on this machine ({@link PostgresSchemas}). Each is dropped when closed.
 */
public final class TestDatabases {
    private TestDatabases() {}

    /** A store and how to get rid of it. */
    public record TestStore(Database database, Runnable drop) implements AutoCloseable {
        @Override
        public void close() {
            database.close();
            drop.run();
        }
    }

    public static TestStore h2() {
        String name = "od_" + UUID.randomUUID().toString().replace("-", "");
        Database db = Database.open("jdbc:h2:mem:" + name + ";DB_CLOSE_DELAY=-1", "", "", Optional.empty());
        return new TestStore(db, () -> PostgresSchemas.execute("jdbc:h2:mem:" + name, "", "SHUTDOWN"));
    }

    public static TestStore postgres() {
        String schema = PostgresSchemas.newName();
        Database db = Database.open(PostgresSchemas.URL, PostgresSchemas.USER, "", Optional.of(schema));
        return new TestStore(db, () -> PostgresSchemas.drop(schema));
    }
}
