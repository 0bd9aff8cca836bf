package org.opendelegate.manager.users;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.opendelegate.manager.security.Role;
import org.opendelegate.manager.testing.ConsoleBrowser;
import org.opendelegate.manager.testing.TestManager;
import org.opendelegate.testkit.TestHttp;

/** {@code /api/v1/users}: what the Users page does, through the API. */
class UserApiHttpTest {
    private static final String VIEWER_KEY = "odk_users-viewer-key-0123456789";
    private static final String OTHER_ADMIN_KEY = "odk_users-other-admin-0123456789";
    private static TestManager manager;

    @BeforeAll
    static void start() {
        manager = TestManager.start();
        manager.seedAccount(TestManager.ACCOUNT_ID, VIEWER_KEY, Role.VIEWER, null);
        manager.seedAccount("acct-other", OTHER_ADMIN_KEY, Role.ADMIN, null);
    }

    @AfterAll
    static void stop() {
        manager.close();
    }

    @Test
    void anAdminAddsAUserWhoCanSignInAndNoPasswordIsEverReturned() {
        TestHttp.Response created = manager.api()
                .post(
                        "/api/v1/users",
                        Map.of("username", "  Alice@Example.com ", "role", "viewer", "password", "alice-password-123"));

        assertThat(created.status()).isEqualTo(201);
        assertThat(created.json().get("username").asText()).isEqualTo("alice@example.com");
        assertThat(created.json().get("role").asText()).isEqualTo("VIEWER");
        assertThat(created.json().get("createdBy").asText()).isEqualTo("api-key:bootstrap-admin");
        assertThat(created.header("Location"))
                .isEqualTo("/api/v1/users/" + created.json().get("id").asText());
        assertThat(created.body()).doesNotContain("password\"", "$2");
        assertThat(manager.api(VIEWER_KEY).get("/api/v1/users").body())
                .contains("alice@example.com", "admin")
                .doesNotContain("$2");
        manager.browser().signIn("alice@example.com", "alice-password-123").expectStatus(303);
    }

    @Test
    void badUsersAreRefusedWithTheReasonAndNothingIsAdded() {
        TestHttp api = manager.api();

        assertThat(api.post(
                                "/api/v1/users",
                                Map.of("username", "bad name", "role", "ADMIN", "password", "long-enough-123"))
                        .json()
                        .get("detail")
                        .asText())
                .contains("not a valid username");
        assertThat(api.post("/api/v1/users", Map.of("username", "shorty", "role", "ADMIN", "password", "short"))
                        .json()
                        .get("detail")
                        .asText())
                .contains("at least 12");
        assertThat(api.post(
                                "/api/v1/users",
                                Map.of("username", "roles", "role", "OWNER", "password", "long-enough-123"))
                        .json()
                        .get("detail")
                        .asText())
                .contains("ADMIN, OPERATOR or VIEWER");
        assertThat(api.post(
                                "/api/v1/users",
                                Map.of("username", "x", "role", "ADMIN", "password", "long-enough-123", "admin", true))
                        .status())
                .isEqualTo(400);
        assertThat(api.post(
                                "/api/v1/users",
                                Map.of("username", "ADMIN", "role", "ADMIN", "password", "long-enough-123"))
                        .status())
                .isEqualTo(409);
        assertThat(api.get("/api/v1/users").body()).doesNotContain("shorty", "roles", "bad name");
    }

    @Test
    void aViewerAndAnotherAccountCannotChangeUsers() {
        String id = userId("admin");

        assertThat(manager.api(VIEWER_KEY)
                        .post(
                                "/api/v1/users",
                                Map.of("username", "mallory", "role", "ADMIN", "password", "mallory-password-1"))
                        .status())
                .isEqualTo(403);
        assertThat(manager.api(VIEWER_KEY)
                        .post("/api/v1/users/" + id + "/password", Map.of("password", "taken-over-123456"))
                        .status())
                .isEqualTo(403);
        assertThat(manager.api(OTHER_ADMIN_KEY)
                        .post("/api/v1/users/" + id + "/password", Map.of("password", "taken-over-123456"))
                        .status())
                .isEqualTo(404);
        assertThat(manager.api(OTHER_ADMIN_KEY).get("/api/v1/users").body()).doesNotContain("\"admin\"");
        manager.browser().signIn("admin", TestManager.ADMIN_PASSWORD).expectStatus(303);
    }

    @Test
    void aPasswordResetTakesEffectAndEndsTheUsersSessions() {
        manager.api()
                .post("/api/v1/users", Map.of("username", "bob", "role", "ADMIN", "password", "bob-first-password"));
        ConsoleBrowser bob = manager.browser();
        bob.signIn("bob", "bob-first-password").expectStatus(303);
        bob.get("/setup/delegates").expectStatus(200);

        TestHttp.Response reset = manager.api()
                .post("/api/v1/users/" + userId("bob") + "/password", Map.of("password", "bob-second-password"));

        assertThat(reset.status()).isEqualTo(200);
        assertThat(bob.get("/setup/delegates").status()).isEqualTo(303);
        manager.browser().signIn("bob", "bob-first-password").expectStatus(401);
        manager.browser().signIn("bob", "bob-second-password").expectStatus(303);
    }

    private static String userId(String username) {
        for (var u : manager.api().get("/api/v1/users").json().get("users")) {
            if (u.get("username").asText().equals(username)) {
                return u.get("id").asText();
            }
        }
        throw new AssertionError("no user " + username);
    }
}
