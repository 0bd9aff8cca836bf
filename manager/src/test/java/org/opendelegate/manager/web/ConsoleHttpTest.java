package org.opendelegate.manager.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.opendelegate.manager.testing.ConsoleBrowser;
import org.opendelegate.manager.testing.TestManager;
import org.opendelegate.testkit.FakeDelegate;

/**
 * The console's rules over HTTP: sessions, CSRF, roles, headers, and that it changes what the API shows.
 * Escaping has its own test, {@link ConsoleEscapingHttpTest}.
 */
class ConsoleHttpTest {
    private static TestManager manager;
    private static String groupId;

    @BeforeAll
    static void start() {
        manager = TestManager.start();
        FakeDelegate one = manager.delegate("web-1", "web");
        one.register();
        manager.delegate("web-2", "web").register();
        groupId = manager.api()
                .get("/api/v1/delegates/" + one.delegateId)
                .json()
                .get("groupId")
                .asText();
        manager.api()
                .post("/api/v1/users", Map.of("username", "vera", "role", "VIEWER", "password", "vera-looks-only-123"));
    }

    @AfterAll
    static void stop() {
        manager.close();
    }

    @Test
    void pagesNeedASessionAndSendTheBrowserToSignIn() {
        ConsoleBrowser anonymous = manager.browser();

        ConsoleBrowser.Page page = anonymous.get("/setup/delegate-tokens");
        assertThat(page.status()).isEqualTo(303);
        assertThat(page.header("Location")).isEqualTo("/login?next=%2Fsetup%2Fdelegate-tokens");
        assertThat(anonymous.get("/").header("Location")).isEqualTo("/setup/delegates");
        ConsoleBrowser.Page post =
                anonymous.post("/setup/delegates/group-selectors", Map.of("groupId", groupId, "selector", "x"));
        assertThat(post.status()).isEqualTo(401);
        assertThat(post.header("Content-Type")).startsWith("text/html");
        assertThat(post.body()).contains("Sign in to the console first.");
        assertThat(selectors(groupId)).isEmpty();
    }

    @Test
    void aStateChangingRequestWithoutTheSessionsCsrfTokenIsRefused() {
        ConsoleBrowser admin = manager.signedInAdmin();
        ConsoleBrowser other = manager.signedInAdmin();

        ConsoleBrowser.Page none = admin.post(
                "/setup/delegates/group-selectors",
                Map.of("groupId", groupId, "selector", "forged"),
                "HX-Request",
                "true");
        ConsoleBrowser.Page foreign = admin.post(
                "/setup/delegates/group-selectors",
                Map.of("groupId", groupId, "selector", "forged", "_csrf", other.csrfToken()));
        ConsoleBrowser.Page header =
                admin.post("/setup/delegates/delete", Map.of("delegateId", "x"), "X-CSRF-Token", "not-the-token");

        assertThat(none.status()).isEqualTo(403);
        assertThat(none.body())
                .isEqualTo("This request has no CSRF token, so it may not come from the console. "
                        + "Reload the page and try again.");
        assertThat(foreign.status()).isEqualTo(403);
        assertThat(foreign.body()).contains("wrong CSRF token");
        assertThat(header.status()).isEqualTo(403);
        assertThat(admin.post("/logout", Map.of()).status()).isEqualTo(403);
        assertThat(selectors(groupId)).doesNotContain("forged");
    }

    @Test
    void editingAGroupsSelectorsChangesEveryMemberAsTheApiSeesIt() {
        ConsoleBrowser admin = manager.signedInAdmin();
        String token = admin.csrfToken();

        ConsoleBrowser.Page saved = admin.post(
                "/setup/delegates/group-selectors",
                Map.of("_csrf", token, "groupId", groupId, "selector", List.of("ECS-Prod", "us-east-1")),
                "HX-Request",
                "true");

        assertThat(saved.status()).isEqualTo(200);
        assertThat(saved.header("HX-Trigger")).contains("od:toast", "od:close", "selectors-dialog");
        assertThat(saved.body()).contains("chip chip-group\">ecs-prod<");
        assertThat(selectors(groupId)).containsExactly("ecs-prod", "us-east-1");
        for (JsonNode d : manager.api().get("/api/v1/delegates").json().get("delegates")) {
            assertThat(texts(d.get("selectors"))).contains("ecs-prod", "us-east-1");
        }
        admin.post("/setup/delegates/group-selectors", Map.of("_csrf", token, "groupId", groupId), "HX-Request", "true")
                .expectStatus(200);
        assertThat(selectors(groupId)).isEmpty();
    }

    @Test
    void invalidSelectorsAreRefusedWithTheReasonInTheDialog() {
        ConsoleBrowser admin = manager.signedInAdmin();
        String token = admin.csrfToken();

        ConsoleBrowser.Page refused = admin.post(
                "/setup/delegates/group-selectors",
                Map.of(
                        "_csrf",
                        token,
                        "groupId",
                        groupId,
                        "selector",
                        List.of("ok", "Bad Selector!", " ", "x".repeat(65))),
                "HX-Request",
                "true");

        assertThat(refused.status()).isEqualTo(422);
        assertThat(refused.header("HX-Retarget")).isEqualTo("#selectors-error");
        assertThat(refused.body())
                .contains(
                        "Selector (\"Bad Selector!\") has characters outside the allowed set",
                        "Selector is empty",
                        "Selector is 65 characters long");
        assertThat(selectors(groupId)).isEmpty();
    }

    @Test
    void aViewerSeesEverythingButNoControlsAndTheServerRefusesChangesAnyway() {
        ConsoleBrowser viewer = manager.browser();
        viewer.signIn("vera", "vera-looks-only-123").expectStatus(303);
        String token = viewer.csrfToken();

        String delegates = viewer.get("/setup/delegates").body();
        assertThat(delegates)
                .contains("web-1", "web-2", "Viewer")
                .doesNotContain("Edit Selectors", "data-confirm-action", "selectors-form");
        assertThat(viewer.get("/setup/delegate-tokens").body())
                .contains("default")
                .doesNotContain("New Token", "Revoke</button>");
        assertThat(viewer.get("/setup/users").body()).contains("vera").doesNotContain("Add User", "Reset password");

        ConsoleBrowser.Page refused = viewer.post(
                "/setup/delegates/group-selectors",
                Map.of("_csrf", token, "groupId", groupId, "selector", "sneaky"),
                "HX-Request",
                "true");
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.body()).contains("admin role", "viewer role");
        assertThat(viewer.post("/setup/delegate-tokens", Map.of("_csrf", token, "name", "sneaky"))
                        .status())
                .isEqualTo(403);
        assertThat(viewer.post(
                                "/setup/users",
                                Map.of(
                                        "_csrf",
                                        token,
                                        "username",
                                        "sneaky",
                                        "role",
                                        "ADMIN",
                                        "password",
                                        "sneaky-sneaky-123"))
                        .status())
                .isEqualTo(403);
        assertThat(selectors(groupId)).isEmpty();
        assertThat(manager.api().get("/api/v1/users").body()).doesNotContain("sneaky");
    }

    @Test
    void deletingADisconnectedDelegateGoesThroughTheSameRuleAsTheApi() {
        FakeDelegate gone = manager.delegate("gone-soon", "web");
        gone.register();
        ConsoleBrowser admin = manager.signedInAdmin();
        String token = admin.csrfToken();

        ConsoleBrowser.Page connected = admin.post(
                "/setup/delegates/delete", Map.of("_csrf", token, "delegateId", gone.delegateId), "HX-Request", "true");
        assertThat(connected.status()).isEqualTo(409);
        assertThat(connected.body()).contains("is connected");

        gone.deregister();
        ConsoleBrowser.Page deleted = admin.post(
                "/setup/delegates/delete", Map.of("_csrf", token, "delegateId", gone.delegateId), "HX-Request", "true");
        assertThat(deleted.status()).isEqualTo(200);
        assertThat(deleted.header("HX-Trigger")).contains("Deleted delegate gone-soon.");
        assertThat(manager.api().get("/api/v1/delegates/" + gone.delegateId).status())
                .isEqualTo(404);
    }

    @Test
    void aTokenCreatedInTheConsoleShowsItsSecretOnceAndCanBeRevoked() {
        ConsoleBrowser admin = manager.signedInAdmin();
        String token = admin.csrfToken();

        ConsoleBrowser.Page created = admin.post(
                        "/setup/delegate-tokens",
                        Map.of("_csrf", token, "name", "ecs-prod-cluster", "groupId", groupId),
                        "HX-Request",
                        "true")
                .expectStatus(200);
        String secret = created.body().replaceAll("(?s).*id=\"created-secret\" readonly value=\"([^\"]+)\".*", "$1");
        assertThat(secret).startsWith("odt_");
        JsonNode listed = tokenNamed("ecs-prod-cluster");
        assertThat(listed.get("groupId").asText()).isEqualTo(groupId);
        assertThat(admin.get("/setup/delegate-tokens").body())
                .contains("ecs-prod-cluster")
                .doesNotContain(secret);

        ConsoleBrowser.Page duplicate = admin.post(
                "/setup/delegate-tokens", Map.of("_csrf", token, "name", "ecs-prod-cluster"), "HX-Request", "true");
        assertThat(duplicate.status()).isEqualTo(422);
        assertThat(duplicate.body()).contains("already exists");

        admin.post(
                        "/setup/delegate-tokens/revoke",
                        Map.of("_csrf", token, "tokenId", listed.get("id").asText()),
                        "HX-Request",
                        "true")
                .expectStatus(200);
        assertThat(tokenNamed("ecs-prod-cluster").get("status").asText()).isEqualTo("REVOKED");
    }

    @Test
    void consolePagesAndAssetsCarryTheSecurityHeaders() {
        ConsoleBrowser admin = manager.signedInAdmin();
        ConsoleBrowser.Page page = admin.get("/setup/delegates");
        ConsoleBrowser.Page script = admin.get("/assets/console.js");
        ConsoleBrowser.Page htmx = admin.get("/assets/htmx.min.js");

        for (ConsoleBrowser.Page p : List.of(page, script, htmx, admin.get("/login"))) {
            assertThat(p.header("Content-Security-Policy"))
                    .contains("script-src 'self'", "style-src 'self'", "frame-ancestors 'none'")
                    .doesNotContain("unsafe");
            assertThat(p.header("X-Content-Type-Options")).isEqualTo("nosniff");
        }
        assertThat(page.header("Content-Type")).startsWith("text/html").containsIgnoringCase("charset=utf-8");
        assertThat(page.header("Cache-Control")).isEqualTo("no-store");
        assertThat(page.body()).doesNotContain("style=", "onclick", "<script>").contains("includeIndicatorStyles");
        assertThat(script.header("Content-Type")).startsWith("text/javascript");
        assertThat(htmx.body()).contains("htmx");
        assertThat(admin.get("/assets/nope.js").status()).isEqualTo(404);
    }

    @Test
    void unknownConsolePagesGetAPageAndTheApiKeepsProblemJson() {
        ConsoleBrowser admin = manager.signedInAdmin();

        ConsoleBrowser.Page page = admin.get("/setup/nothing-here");
        assertThat(page.status()).isEqualTo(404);
        assertThat(page.header("Content-Type")).startsWith("text/html");
        assertThat(page.body()).contains("class=\"sidebar\"", "Go to Delegates").doesNotContain("openapi.yaml");
        assertThat(manager.api().get("/api/v1/nothing").header("Content-Type")).startsWith("application/problem+json");
    }

    private static List<String> selectors(String group) {
        return texts(
                manager.api().get("/api/v1/delegate-groups/" + group).json().get("selectors"));
    }

    private static JsonNode tokenNamed(String name) {
        for (JsonNode t : manager.api().get("/api/v1/delegate-tokens").json().get("tokens")) {
            if (t.get("name").asText().equals(name)) {
                return t;
            }
        }
        throw new AssertionError("no token " + name);
    }

    private static List<String> texts(JsonNode array) {
        List<String> result = new ArrayList<>();
        array.forEach(n -> result.add(n.asText()));
        return result;
    }
}
