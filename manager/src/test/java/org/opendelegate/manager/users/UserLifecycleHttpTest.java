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

/**
 * Users who leave: disable, enable, delete, change role ({@code PATCH} and {@code DELETE /api/v1/users/{id}}),
 * with the account never left without an active admin, and a disabled or deleted user's sessions and API
 * keys refused on their very next request.
 */
class UserLifecycleHttpTest {
    private static final String VIEWER_KEY = "odk_lifecycle-viewer-key-0123456789";
    private static final String OTHER_ADMIN_KEY = "odk_lifecycle-other-admin-0123456789";
    private static final String LONE_ACCOUNT_KEY = "odk_lifecycle-lone-admin-0123456789";
    private static TestManager manager;

    @BeforeAll
    static void start() {
        manager = TestManager.start();
        manager.seedAccount(TestManager.ACCOUNT_ID, VIEWER_KEY, Role.VIEWER, null);
        manager.seedAccount("acct-other", OTHER_ADMIN_KEY, Role.ADMIN, null);
        manager.seedAccount("acct-lone", LONE_ACCOUNT_KEY, Role.ADMIN, null);
    }

    @AfterAll
    static void stop() {
        manager.close();
    }

    @Test
    void aDisabledUsersOpenSessionAndApiKeyAreRefusedOnTheirNextRequestAndTheyCannotSignIn() {
        String id = addUser(manager.api(), "dora", "ADMIN");
        String key = apiKey(manager.api(), id, "dora-ci");
        ConsoleBrowser dora = manager.browser();
        dora.signIn("dora", "dora-password-123").expectStatus(303);
        dora.get("/setup/users").expectStatus(200);
        assertThat(manager.api(key).get("/api/v1/users").status()).isEqualTo(200);

        TestHttp.Response disabled = manager.api().patch("/api/v1/users/" + id, Map.of("disabled", true));

        assertThat(disabled.status()).isEqualTo(200);
        assertThat(disabled.json().get("disabled").asBoolean()).isTrue();
        assertThat(disabled.json().get("disabledAt").isNull()).isFalse();
        assertThat(dora.get("/setup/users").status()).as("the open session").isEqualTo(303);
        assertThat(manager.api(key).get("/api/v1/users").status())
                .as("the API key")
                .isEqualTo(401);
        ConsoleBrowser.Page signIn = manager.browser().signIn("dora", "dora-password-123");
        assertThat(signIn.status()).isEqualTo(401);
        assertThat(signIn.body()).contains("Wrong username or password.").doesNotContain("disabled");

        assertThat(manager.api()
                        .patch("/api/v1/users/" + id, Map.of("disabled", false))
                        .status())
                .isEqualTo(200);
        assertThat(manager.api(key).get("/api/v1/users").status()).isEqualTo(200);
        manager.browser().signIn("dora", "dora-password-123").expectStatus(303);
    }

    @Test
    void aDeletedUsersSessionAndApiKeyStopAndTheUserIsGone() {
        String id = addUser(manager.api(), "ed", "VIEWER");
        String key = apiKey(manager.api(), id, "ed-ci");
        ConsoleBrowser ed = manager.browser();
        ed.signIn("ed", "ed-password-123").expectStatus(303);

        assertThat(manager.api().delete("/api/v1/users/" + id).status()).isEqualTo(204);

        assertThat(ed.get("/setup/delegates").status()).isEqualTo(303);
        assertThat(manager.api(key).get("/api/v1/users").status()).isEqualTo(401);
        assertThat(manager.api().get("/api/v1/users/" + id).status()).isEqualTo(404);
        manager.browser().signIn("ed", "ed-password-123").expectStatus(401);
        assertThat(manager.api().delete("/api/v1/users/" + id).status()).isEqualTo(404);
    }

    @Test
    void aRoleChangeTakesEffectOnTheUsersApiKeyAtOnce() {
        String id = addUser(manager.api(), "fay", "VIEWER");
        String key = apiKey(manager.api(), id, "fay-ci");
        Map<String, String> newUser = Map.of("username", "fay-made", "role", "VIEWER", "password", "long-enough-123");
        assertThat(manager.api(key).post("/api/v1/users", newUser).status()).isEqualTo(403);

        TestHttp.Response promoted = manager.api().patch("/api/v1/users/" + id, Map.of("role", "admin"));

        assertThat(promoted.json().get("role").asText()).isEqualTo("ADMIN");
        assertThat(manager.api(key).post("/api/v1/users", newUser).status()).isEqualTo(201);
        manager.api().patch("/api/v1/users/" + id, Map.of("role", "VIEWER"));
        assertThat(manager.api(key)
                        .post(
                                "/api/v1/users",
                                Map.of("username", "fay-2", "role", "VIEWER", "password", "long-enough-123"))
                        .status())
                .isEqualTo(403);
    }

    @Test
    void theLastActiveAdminCannotBeDisabledDemotedOrDeletedAndNothingChanges() {
        TestHttp lone = manager.api(LONE_ACCOUNT_KEY);
        String admin = addUser(lone, "lone-admin", "ADMIN");
        String viewer = addUser(lone, "lone-viewer", "VIEWER");

        for (TestHttp.Response refused : new TestHttp.Response[] {
            lone.patch("/api/v1/users/" + admin, Map.of("disabled", true)),
            lone.patch("/api/v1/users/" + admin, Map.of("role", "VIEWER")),
            lone.delete("/api/v1/users/" + admin)
        }) {
            assertThat(refused.status()).isEqualTo(409);
            assertThat(refused.json().get("code").asText()).isEqualTo("LAST_ADMIN");
            assertThat(refused.json().get("detail").asText())
                    .contains("last active admin", "Make another user an admin first");
        }
        assertThat(lone.get("/api/v1/users/" + admin).json().get("role").asText())
                .isEqualTo("ADMIN");
        assertThat(lone.get("/api/v1/users/" + admin).json().get("disabled").asBoolean())
                .isFalse();
        assertThat(lone.patch("/api/v1/users/" + viewer, Map.of("disabled", true))
                        .status())
                .as("anyone else may go")
                .isEqualTo(200);

        assertThat(lone.patch("/api/v1/users/" + viewer, Map.of("role", "ADMIN"))
                        .status())
                .isEqualTo(200);
        assertThat(lone.patch("/api/v1/users/" + admin, Map.of("role", "VIEWER"))
                        .status())
                .as("a disabled admin is no admin")
                .isEqualTo(409);
        assertThat(lone.patch("/api/v1/users/" + viewer, Map.of("disabled", false))
                        .status())
                .isEqualTo(200);
        assertThat(lone.patch("/api/v1/users/" + admin, Map.of("role", "VIEWER"))
                        .status())
                .isEqualTo(200);
        assertThat(lone.delete("/api/v1/users/" + admin).status()).isEqualTo(204);
    }

    @Test
    void anAdminCannotDisableOrDeleteThemselvesInTheConsole() {
        String id = addUser(manager.api(), "gus", "ADMIN");
        ConsoleBrowser gus = manager.browser();
        gus.signIn("gus", "gus-password-123").expectStatus(303);

        ConsoleBrowser.Page disable =
                gus.post("/setup/users/disable", Map.of("_csrf", gus.csrfToken(), "userId", id), "HX-Request", "true");
        ConsoleBrowser.Page delete =
                gus.post("/setup/users/delete", Map.of("_csrf", gus.csrfToken(), "userId", id), "HX-Request", "true");

        assertThat(disable.status()).isEqualTo(422);
        assertThat(disable.body()).contains("cannot disable your own user");
        assertThat(delete.status()).isEqualTo(422);
        assertThat(delete.body()).contains("cannot delete your own user");
        gus.get("/setup/users").expectStatus(200);
    }

    @Test
    void theConsoleDisablesEnablesChangesRoleAndDeletesWithButtonsNamedForTheUser() {
        String id = addUser(manager.api(), "hal", "VIEWER");
        ConsoleBrowser admin = manager.signedInAdmin();
        String page = admin.get("/setup/users").body();
        assertThat(page)
                .contains(
                        "aria-label=\"Disable hal\"", "aria-label=\"Delete hal\"", "aria-label=\"Change role of hal\"");

        admin.post("/setup/users/disable", Map.of("_csrf", admin.csrfToken(), "userId", id), "HX-Request", "true")
                .expectStatus(200);
        assertThat(manager.api()
                        .get("/api/v1/users/" + id)
                        .json()
                        .get("disabled")
                        .asBoolean())
                .isTrue();
        assertThat(admin.get("/setup/users").body()).contains("aria-label=\"Enable hal\"");
        admin.post("/setup/users/enable", Map.of("_csrf", admin.csrfToken(), "userId", id), "HX-Request", "true")
                .expectStatus(200);
        admin.post(
                        "/setup/users/role",
                        Map.of("_csrf", admin.csrfToken(), "userId", id, "role", "ADMIN"),
                        "HX-Request",
                        "true")
                .expectStatus(200);
        assertThat(manager.api().get("/api/v1/users/" + id).json().get("role").asText())
                .isEqualTo("ADMIN");
        admin.post("/setup/users/delete", Map.of("_csrf", admin.csrfToken(), "userId", id), "HX-Request", "true")
                .expectStatus(200);
        assertThat(manager.api().get("/api/v1/users/" + id).status()).isEqualTo(404);
    }

    @Test
    void badChangesAreRefusedWithTheFieldAndChangeNothing() {
        String id = addUser(manager.api(), "ida", "VIEWER");
        TestHttp api = manager.api();

        TestHttp.Response badRole = api.patch("/api/v1/users/" + id, Map.of("role", "OWNER"));
        assertThat(badRole.status()).isEqualTo(400);
        assertThat(badRole.json().get("errors").get(0).get("field").asText()).isEqualTo("role");
        assertThat(badRole.json().get("detail").asText()).contains("ADMIN, OPERATOR or VIEWER");
        assertThat(api.patch("/api/v1/users/" + id, Map.of()).status()).isEqualTo(400);
        assertThat(api.patch("/api/v1/users/" + id, Map.of("disabled", "yes")).status())
                .isEqualTo(400);
        assertThat(api.patch("/api/v1/users/" + id, Map.of("disabled", true, "admin", true))
                        .status())
                .isEqualTo(400);
        assertThat(api.patch("/api/v1/users/" + id, "{not json").status()).isEqualTo(400);
        assertThat(api.patch("/api/v1/users/no-such-user", Map.of("disabled", true))
                        .status())
                .isEqualTo(404);
        assertThat(manager.api(VIEWER_KEY)
                        .patch("/api/v1/users/" + id, Map.of("disabled", true))
                        .status())
                .isEqualTo(403);
        assertThat(manager.api(VIEWER_KEY).delete("/api/v1/users/" + id).status())
                .isEqualTo(403);
        assertThat(manager.api(OTHER_ADMIN_KEY)
                        .patch("/api/v1/users/" + id, Map.of("disabled", true))
                        .status())
                .isEqualTo(404);
        assertThat(manager.api(OTHER_ADMIN_KEY).delete("/api/v1/users/" + id).status())
                .isEqualTo(404);
        assertThat(manager.api(OTHER_ADMIN_KEY)
                        .post("/api/v1/users/" + id + "/api-keys", Map.of("name", "stolen"))
                        .status())
                .isEqualTo(404);
        assertThat(api.post("/api/v1/users/" + id + "/api-keys", Map.of("name", "bad name!"))
                        .status())
                .isEqualTo(400);
        TestHttp.Response after = api.get("/api/v1/users/" + id);
        assertThat(after.json().get("role").asText()).isEqualTo("VIEWER");
        assertThat(after.json().get("disabled").asBoolean()).isFalse();
        assertThat(api.get("/api/v1/users/" + id + "/api-keys").json().get("apiKeys"))
                .isEmpty();
    }

    @Test
    void aRevokedUserKeyStopsAndItsSecretIsShownOnlyOnce() {
        String id = addUser(manager.api(), "jon", "VIEWER");
        TestHttp.Response created = manager.api().post("/api/v1/users/" + id + "/api-keys", Map.of("name", "jon-ci"));
        String key = created.json().get("key").asText();
        String keyId = created.json().get("id").asText();
        assertThat(manager.api().get("/api/v1/users/" + id + "/api-keys").body())
                .doesNotContain(key);

        assertThat(manager.api()
                        .delete("/api/v1/users/" + id + "/api-keys/" + keyId)
                        .status())
                .isEqualTo(200);

        assertThat(manager.api(key).get("/api/v1/users").status()).isEqualTo(401);
    }

    static String addUser(TestHttp api, String username, String role) {
        TestHttp.Response created = api.post(
                "/api/v1/users", Map.of("username", username, "role", role, "password", username + "-password-123"));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        return created.json().get("id").asText();
    }

    static String apiKey(TestHttp api, String userId, String name) {
        TestHttp.Response created = api.post("/api/v1/users/" + userId + "/api-keys", Map.of("name", name));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        return created.json().get("key").asText();
    }
}
