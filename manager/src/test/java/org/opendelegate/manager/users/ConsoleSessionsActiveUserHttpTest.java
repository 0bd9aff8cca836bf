package org.opendelegate.manager.users;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.opendelegate.manager.security.Role;
import org.opendelegate.manager.store.Database;
import org.opendelegate.manager.store.UserDao;
import org.opendelegate.manager.testing.ConsoleBrowser;
import org.opendelegate.manager.testing.TestManager;

/**
 * A console session counts only while its user is active, read on every request: a user disabled while
 * the session row still exists (another replica disabled them, or a sign-in raced the disabling) is
 * refused at once. Disabling through the API also deletes the sessions, so this test disables the row
 * alone, the way only the "user is active" check can catch.
 */
class ConsoleSessionsActiveUserHttpTest {

    @Test
    void aSessionWhoseUserWasDisabledBehindItsBackIsRefusedOnTheNextRequest() {
        try (TestManager manager = TestManager.start()) {
            String id = UserLifecycleHttpTest.addUser(manager.api(), "gus", "ADMIN");
            ConsoleBrowser gus = manager.browser();
            gus.signIn("gus", "gus-password-123").expectStatus(303);
            gus.get("/setup/users").expectStatus(200);

            try (Database db = Database.open(manager.server().config().store())) {
                assertThat(new UserDao(db.jdbi()).update(TestManager.ACCOUNT_ID, id, Role.ADMIN, true, Instant.now()))
                        .isEqualTo(UserDao.Change.DONE);
            }

            assertThat(gus.get("/setup/users").status())
                    .as("the session of a disabled user")
                    .isEqualTo(303);
        }
    }
}
