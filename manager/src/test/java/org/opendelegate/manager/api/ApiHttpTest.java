package org.opendelegate.manager.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.opendelegate.manager.security.Role;
import org.opendelegate.manager.testing.TestManager;
import org.opendelegate.testkit.TestHttp;

class ApiHttpTest {
    private static TestManager manager;

    @BeforeAll
    static void start() {
        manager = TestManager.start();
        manager.seedAccount("acct-other", "odk_other-account-key-0123456789", Role.ADMIN, null);
        manager.seedAccount(TestManager.ACCOUNT_ID, "odk_viewer-key-0123456789", Role.VIEWER, null);
    }

    @AfterAll
    static void stop() {
        manager.close();
    }

    @Test
    void operationsEndpointsNeedNoCredentials() {
        assertThat(manager.anonymous().get("/healthz").json().get("status").asText()).isEqualTo("UP");
        assertThat(manager.anonymous().get("/readyz").status()).isEqualTo(200);
        manager.api().get("/api/v1/account");
        String metrics = manager.anonymous().get("/metrics").body();
        assertThat(metrics).contains("opendelegate_delegates_connected", "opendelegate_tasks{state=\"QUEUED\"}",
                "opendelegate_http_requests_seconds_count", "opendelegate_delegate_registrations_total",
                "opendelegate_delegate_heartbeats_total");
    }

    @Test
    void theApiDescriptionIsServed() {
        TestHttp.Response r = manager.anonymous().get("/api/openapi.yaml");

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body()).startsWith("openapi: 3").contains("/api/v1/tasks/{id}/cancel",
                "/api/v1/delegate-groups/{id}/selectors", "/api/v1/delegate-tokens/{id}/revoke",
                "/api/v1/users/{id}/password", "/setup/delegates", "/api/v1/cloud-providers/{id}/test",
                "/api/v1/cloud-providers/{id}/security-groups");
    }

    @Test
    void theApiNeedsAValidApiKey() {
        TestHttp.Response none = manager.anonymous().get("/api/v1/account");
        TestHttp.Response wrong = manager.api("odk_not-a-key").get("/api/v1/account");
        TestHttp.Response badScheme = manager.anonymous().withHeader("Authorization", "Basic abc").get("/api/v1/delegates");

        assertThat(none.status()).isEqualTo(401);
        assertThat(none.header("Content-Type")).startsWith("application/problem+json");
        assertThat(none.header("WWW-Authenticate")).startsWith("Bearer");
        assertThat(none.json().get("detail").asText()).contains("Authorization: Bearer");
        assertThat(wrong.status()).isEqualTo(401);
        assertThat(badScheme.status()).isEqualTo(401);
        assertThat(badScheme.json().get("detail").asText()).contains("Bearer <api key>");
    }

    @Test
    void theAccountIsTheCallersOwn() {
        TestHttp.Response mine = manager.api().get("/api/v1/account");
        TestHttp.Response other = manager.api("odk_other-account-key-0123456789").get("/api/v1/account");

        assertThat(mine.json().get("id").asText()).isEqualTo(TestManager.ACCOUNT_ID);
        assertThat(mine.json().get("name").asText()).isEqualTo("Default");
        assertThat(other.json().get("id").asText()).isEqualTo("acct-other");
    }

    @Test
    void everyResponseCarriesSecurityHeaders() {
        TestHttp.Response r = manager.anonymous().get("/healthz");

        assertThat(r.header("X-Content-Type-Options")).isEqualTo("nosniff");
        assertThat(r.header("Content-Security-Policy")).contains("frame-ancestors 'none'").contains("script-src 'self'")
                .doesNotContain("unsafe-inline");
    }

    @Test
    void unknownRoutesAndMethodsAnswerWithProblems() {
        TestHttp.Response missing = manager.api().get("/api/v1/nothing-here");

        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.header("Content-Type")).startsWith("application/problem+json");
        assertThat(missing.json().get("detail").asText()).contains("/api/v1/nothing-here");
    }

    @Test
    void badBodiesAreRefusedWithTheReasonAndChangeNothing() {
        TestHttp api = manager.api();
        int before = api.get("/api/v1/delegate-tokens").json().get("tokens").size();

        TestHttp.Response malformed = api.postRaw("/api/v1/delegate-tokens", "application/json", "{\"name\": ");
        TestHttp.Response wrongType = api.postRaw("/api/v1/delegate-tokens", "text/plain", "name=x");
        TestHttp.Response unknown = api.post("/api/v1/delegate-tokens", Map.of("name", "x", "colour", "red"));
        TestHttp.Response oversized = api.post("/api/v1/delegate-tokens", Map.of("name", "x".repeat(2_000_000)));
        TestHttp.Response empty = api.post("/api/v1/delegate-tokens", Map.of());

        assertThat(malformed.status()).isEqualTo(400);
        assertThat(malformed.json().get("detail").asText()).contains("not valid JSON");
        assertThat(wrongType.status()).isEqualTo(415);
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.json().get("errors").get(0).get("field").asText()).isEqualTo("colour");
        assertThat(unknown.json().get("detail").asText()).contains("Known fields here: groupId, name");
        assertThat(oversized.status()).isEqualTo(413);
        assertThat(empty.status()).isEqualTo(400);
        assertThat(empty.json().get("errors").get(0).get("field").asText()).isEqualTo("name");
        assertThat(api.get("/api/v1/delegate-tokens").json().get("tokens").size()).isEqualTo(before);
    }

    @Test
    void aViewerSeesButCannotChange() {
        TestHttp viewer = manager.api("odk_viewer-key-0123456789");

        assertThat(viewer.get("/api/v1/delegate-tokens").status()).isEqualTo(200);
        TestHttp.Response create = viewer.post("/api/v1/delegate-tokens", Map.of("name", "nope"));
        TestHttp.Response task = viewer.post("/api/v1/tasks", Map.of("type", "echo"));
        assertThat(create.status()).isEqualTo(403);
        assertThat(create.json().get("detail").asText()).contains("admin role");
        assertThat(task.status()).isEqualTo(403);
    }

    @Test
    void tokensAreCreatedShownOnceListedAndRevoked() {
        TestHttp api = manager.api();
        TestHttp.Response created = api.post("/api/v1/delegate-tokens", Map.of("name", "ecs-prod"));
        String id = created.json().get("id").asText();

        assertThat(created.status()).isEqualTo(201);
        assertThat(created.json().get("token").asText()).startsWith("odt_");
        assertThat(created.json().get("status").asText()).isEqualTo("ACTIVE");
        assertThat(api.post("/api/v1/delegate-tokens", Map.of("name", "ecs-prod")).status()).isEqualTo(409);
        assertThat(api.get("/api/v1/delegate-tokens").json().get("tokens").findValues("token")).isEmpty();
        assertThat(api.post("/api/v1/delegate-tokens/" + id + "/revoke", Map.of()).json().get("status").asText())
                .isEqualTo("REVOKED");
        assertThat(api.post("/api/v1/delegate-tokens/nope/revoke", Map.of()).status()).isEqualTo(404);
        assertThat(manager.api("odk_other-account-key-0123456789")
                .post("/api/v1/delegate-tokens/" + id + "/revoke", Map.of()).status()).isEqualTo(404);
    }
}
