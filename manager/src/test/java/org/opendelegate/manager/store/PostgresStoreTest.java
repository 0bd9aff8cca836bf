package org.opendelegate.manager.store;

import org.opendelegate.manager.testing.TestDatabases;
import org.opendelegate.manager.testing.TestDatabases.TestStore;

/** The store contract on the PostgreSQL server at 127.0.0.1:5432 (started by .ci/run), in a schema of its own. */
class PostgresStoreTest extends StoreContract {
    @Override
    TestStore open() {
        return TestDatabases.postgres();
    }
}
