package org.opendelegate.manager.store;

import org.opendelegate.manager.testing.TestDatabases;
import org.opendelegate.manager.testing.TestDatabases.TestStore;

class H2StoreTest extends StoreContract {
    @Override
    TestStore open() {
        return TestDatabases.h2();
    }
}
