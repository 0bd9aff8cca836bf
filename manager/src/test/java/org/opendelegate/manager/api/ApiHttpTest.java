package org.opendelegate.manager.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpHeaders;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.opendelegate.manager.security.Role;
import org.opendelegate.manager.testing.ConsoleBrowser;
import org.opendelegate.manager.testing.TestManager;
import org.opendelegate.testkit.FakeDelegate;
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
        assertThat(manager.anonymous().get("/healthz").json().get("status").asText())
                .isEqualTo("UP");
        assertThat(manager.anonymous().get("/readyz").status()).isEqualTo(200);
        manager.api().get("/api/v1/account");
        String metrics = manager.anonymous().get("/metrics").body();
        assertThat(metrics)
                .contains(
                        "opendelegate_delegates_connected",
                        "opendelegate_tasks{state=\"QUEUED\"}",
                        "opendelegate_http_requests_seconds_count",
                        "opendelegate_delegate_registrations_total",
                        "opendelegate_delegate_heartbeats_total");
    }

    /** The counts are kept by the Manager's jobs: a queued task shows within seconds, and so does its ending. */
    @Test
    void theMetricsCountTasksByStateAsTheyQueueAndEnd() {
        try (TestManager own = TestManager.start()) {
            String id = own.api()
                    .post("/api/v1/tasks", Map.of("type", "echo", "timeoutSeconds", 3600))
                    .json()
                    .get("id")
                    .asText();
            await().atMost(Duration.ofSeconds(10)).until(() -> taskGauge(own, "QUEUED") == 1);
            assertThat(taskGauge(own, "CANCELLED")).isZero();

            double cancelled = System.currentTimeMillis() / 1000.0;
            assertThat(own.api()
                            .post("/api/v1/tasks/" + id + "/cancel", Map.of())
                            .status())
                    .isEqualTo(200);
            // The pass that counts the cancellation says it began after it.
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> taskGauge(own, "CANCELLED") == 1
                            && taskGauge(own, "QUEUED") == 0
                            && gauge(own, "opendelegate_tasks_ended_counted_timestamp_seconds") >= cancelled);
        }
    }

    private static double taskGauge(TestManager m, String state) {
        return gauge(m, "opendelegate_tasks{state=\"" + state + "\"}");
    }

    private static double gauge(TestManager m, String name) {
        String prefix = name + " ";
        return m.anonymous()
                .get("/metrics")
                .body()
                .lines()
                .filter(l -> l.startsWith(prefix))
                .mapToDouble(l -> Double.parseDouble(l.substring(prefix.length())))
                .findFirst()
                .orElseThrow();
    }

    @Test
    void theApiDescriptionIsServed() {
        TestHttp.Response r = manager.anonymous().get("/api/openapi.yaml");

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body())
                .startsWith("openapi: 3")
                .contains(
                        "/api/v1/tasks/{id}/cancel",
                        "/api/v1/delegate-groups/{id}/selectors",
                        "/api/v1/delegate-tokens/{id}/revoke",
                        "/api/v1/users/{id}/password",
                        "/setup/delegates",
                        "/api/v1/cloud-providers/{id}/test",
                        "/api/v1/cloud-providers/{id}/security-groups");
    }

    @Test
    void theApiNeedsAValidApiKey() {
        TestHttp.Response none = manager.anonymous().get("/api/v1/account");
        TestHttp.Response wrong = manager.api("odk_not-a-key").get("/api/v1/account");
        TestHttp.Response badScheme =
                manager.anonymous().withHeader("Authorization", "Basic abc").get("/api/v1/delegates");

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
        TestHttp.Response other =
                manager.api("odk_other-account-key-0123456789").get("/api/v1/account");

        assertThat(mine.json().get("id").asText()).isEqualTo(TestManager.ACCOUNT_ID);
        assertThat(mine.json().get("name").asText()).isEqualTo("Default");
        assertThat(other.json().get("id").asText()).isEqualTo("acct-other");
    }

    @Test
    void everyKindOfAnswerCarriesSecurityHeaders() {
        TestHttp api = manager.api();
        TestHttp anonymous = manager.anonymous();
        ConsoleBrowser admin = manager.signedInAdmin();
        FakeDelegate delegate = manager.delegate("headers-1", "g");
        Map<String, HttpHeaders> answers = new LinkedHashMap<>();
        answers.put("API read", api.get("/api/v1/account").raw().headers());
        answers.put(
                "API write",
                api.post("/api/v1/delegate-tokens", Map.of("name", "headers"))
                        .raw()
                        .headers());
        answers.put("API problem (401)", anonymous.get("/api/v1/account").raw().headers());
        answers.put("API problem (404)", api.get("/api/v1/nothing-here").raw().headers());
        answers.put(
                "API problem (400)",
                api.post("/api/v1/delegate-tokens", Map.of()).raw().headers());
        answers.put(
                "API problem (413)",
                api.post("/api/v1/delegate-tokens", Map.of("name", "x".repeat(1_100_000)))
                        .raw()
                        .headers());
        answers.put(
                "API problem (unknown method)",
                api.request("PROPFIND", "/api/v1/account").raw().headers());
        answers.put("API description", anonymous.get("/api/openapi.yaml").raw().headers());
        answers.put("console page", admin.get("/setup/delegates").raw().headers());
        answers.put("sign-in page", manager.browser().get("/login").raw().headers());
        answers.put(
                "console redirect",
                manager.browser().get("/setup/delegates").raw().headers());
        answers.put(
                "console problem page",
                admin.get("/tasks/no-such-task", "Accept", "text/html").raw().headers());
        answers.put("delegate API", delegate.register().raw().headers());
        answers.put(
                "delegate API problem",
                manager.delegate("headers-2", "g", TestManager.ACCOUNT_ID, "odt_wrong")
                        .register()
                        .raw()
                        .headers());
        answers.put("healthz", anonymous.get("/healthz").raw().headers());
        answers.put("metrics", anonymous.get("/metrics").raw().headers());
        Map<String, HttpHeaders> assets =
                Map.of("asset", anonymous.get("/assets/console.css").raw().headers());

        answers.forEach((kind, headers) -> {
            assertSecurityHeaders(kind, headers);
            assertThat(headers.firstValue("Cache-Control"))
                    .as("Cache-Control of the %s answer", kind)
                    .contains("no-store");
        });
        assets.forEach(ApiHttpTest::assertSecurityHeaders);
    }

    private static void assertSecurityHeaders(String kind, HttpHeaders headers) {
        assertThat(headers.firstValue("X-Content-Type-Options"))
                .as("nosniff on the %s answer", kind)
                .contains("nosniff");
        assertThat(headers.firstValue("X-Frame-Options"))
                .as("X-Frame-Options on the %s answer", kind)
                .contains("DENY");
        assertThat(headers.firstValue("Referrer-Policy"))
                .as("Referrer-Policy on the %s answer", kind)
                .contains("same-origin");
        assertThat(headers.firstValue("Content-Security-Policy"))
                .as("CSP on the %s answer", kind)
                .hasValueSatisfying(csp -> assertThat(csp)
                        .contains("frame-ancestors 'none'", "script-src 'self'", "object-src 'none'")
                        .doesNotContain("unsafe-inline"));
    }

    @Test
    void unknownRoutesAndMethodsAnswerWithProblems() {
        TestHttp.Response missing = manager.api().get("/api/v1/nothing-here");

        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.header("Content-Type")).startsWith("application/problem+json");
        assertThat(missing.json().get("detail").asText()).contains("/api/v1/nothing-here");
        Map<String, String> unrouted = new LinkedHashMap<>();
        unrouted.put("PROPFIND", "/api/v1/account");
        unrouted.put("TRACE", "/api/v1/delegate-tokens");
        unrouted.put("PATCH", "/api/v1/tasks");
        unrouted.put("DELETE", "/api/v1/account");
        unrouted.put("PUT", "/healthz");
        unrouted.put("MKCOL", "/api/delegate/v1/register");
        unrouted.put("OPTIONS", "/api/v1/cloud-providers");
        unrouted.put("BREW", "/metrics");
        unrouted.forEach((method, path) -> {
            TestHttp.Response r = manager.api().request(method, path);
            assertThat(r.status()).as("%s %s answered %s", method, path, r).isBetween(400, 499);
            assertThat(r.header("Content-Type")).as("%s %s", method, path).startsWith("application/problem+json");
            assertThat(r.json().get("detail").asText())
                    .as("%s %s", method, path)
                    .contains(method, path);
        });
    }

    @Test
    void badBodiesAreRefusedWithTheReasonAndChangeNothing() {
        TestHttp api = manager.api();
        int before = api.get("/api/v1/delegate-tokens").json().get("tokens").size();

        TestHttp.Response malformed = api.postRaw("/api/v1/delegate-tokens", "application/json", "{\"name\": ");
        TestHttp.Response wrongType = api.postRaw("/api/v1/delegate-tokens", "text/plain", "name=x");
        TestHttp.Response unknown = api.post("/api/v1/delegate-tokens", Map.of("name", "x", "colour", "red"));
        TestHttp.Response oversized = api.post("/api/v1/delegate-tokens", Map.of("name", "x".repeat(1_100_000)));
        TestHttp.Response empty = api.post("/api/v1/delegate-tokens", Map.of());

        assertThat(malformed.status()).isEqualTo(400);
        assertThat(malformed.json().get("detail").asText()).contains("not valid JSON");
        assertThat(wrongType.status()).isEqualTo(415);
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.json().get("errors").get(0).get("field").asText()).isEqualTo("colour");
        assertThat(unknown.json().get("detail").asText())
                .contains("Known fields here: expiresAt, groupId, maxDelegates, name, singleUse");
        assertThat(oversized.status()).isEqualTo(413);
        assertThat(empty.status()).isEqualTo(400);
        assertThat(empty.json().get("errors").get(0).get("field").asText()).isEqualTo("name");
        assertThat(api.get("/api/v1/delegate-tokens").json().get("tokens").size())
                .isEqualTo(before);
    }

    @Test
    void valuesOfTheWrongKindAreRefusedNotCoercedAndChangeNothing() {
        TestHttp api = manager.api();
        int before = api.get("/api/v1/delegate-tokens").json().get("tokens").size();
        String deep = "[".repeat(65) + "]".repeat(65);
        for (String body : List.of(
                "{\"name\":\"a\",\"maxDelegates\":\"10\"}",
                "{\"name\":\"a\",\"maxDelegates\":1.5}",
                "{\"name\":true}",
                "{\"name\":10}",
                "{\"name\":\"a\",\"name\":\"b\"}",
                "{\"name\":\"a\\u0000b\"}",
                "{\"name\":\"a\\ud800\"}",
                "{\"name\":\"a\",\"maxDelegates\":1" + "0".repeat(80) + "}",
                "{\"name\":" + deep + "}")) {
            TestHttp.Response refused = api.postRaw("/api/v1/delegate-tokens", "application/json", body);
            assertThat(refused.status()).as(body).isEqualTo(400);
        }
        TestHttp.Response nul = api.postRaw("/api/v1/delegate-tokens", "application/json", "{\"name\":\"a\\u0000b\"}");
        assertThat(nul.json().get("errors").get(0).get("field").asText()).isEqualTo("name");
        assertThat(nul.json().get("errors").get(0).get("message").asText()).contains("control character");
        assertThat(api.get("/api/v1/delegate-tokens").json().get("tokens").size())
                .isEqualTo(before);
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
        assertThat(api.post("/api/v1/delegate-tokens", Map.of("name", "ecs-prod"))
                        .status())
                .isEqualTo(409);
        assertThat(api.get("/api/v1/delegate-tokens").json().get("tokens").findValues("token"))
                .isEmpty();
        assertThat(api.post("/api/v1/delegate-tokens/" + id + "/revoke", Map.of())
                        .json()
                        .get("status")
                        .asText())
                .isEqualTo("REVOKED");
        assertThat(api.post("/api/v1/delegate-tokens/nope/revoke", Map.of()).status())
                .isEqualTo(404);
        assertThat(manager.api("odk_other-account-key-0123456789")
                        .post("/api/v1/delegate-tokens/" + id + "/revoke", Map.of())
                        .status())
                .isEqualTo(404);
    }
}
