package org.opendelegate.manager.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.opendelegate.manager.security.Role;
import org.opendelegate.manager.testing.TestManager;
import org.opendelegate.protocol.TaskTypes;
import org.opendelegate.testkit.FakeDelegate;
import org.opendelegate.testkit.TestHttp;

/**
 * Shell script tasks through the real Manager: who may submit them, the payload rules, one attempt by default, the
 * lost-delegate failure, the result a failed script keeps, and the audit trail of who ran what where.
 */
class ShellScriptHttpTest {
    private static final String OPERATOR_KEY = "odk_script-operator-key-0123456789";
    private static final String VIEWER_KEY = "odk_script-viewer-key-0123456789";
    private static final String SCRIPT = "echo deploying\n./deploy.sh --env prod\n";
    private static final String SCRIPT_SHA256 = ScriptAudit.sha256(SCRIPT);

    private TestManager manager;

    @BeforeEach
    void start() {
        manager = TestManager.start();
        manager.seedAccount(TestManager.ACCOUNT_ID, OPERATOR_KEY, Role.OPERATOR, null);
        manager.seedAccount(TestManager.ACCOUNT_ID, VIEWER_KEY, Role.VIEWER, null);
    }

    @AfterEach
    void stop() {
        manager.close();
    }

    @Test
    void anOperatorRunsAScriptWithOneAttemptAndTheAuditSaysWhoRanWhatWhere() {
        FakeDelegate d = scriptDelegate("runner-1");
        TestHttp.Response submitted = manager.api(OPERATOR_KEY).post("/api/v1/tasks", script(Map.of()));

        assertThat(submitted.status()).isEqualTo(201);
        String id = submitted.json().get("id").asText();
        assertThat(submitted.json().get("maxAttempts").asInt()).isEqualTo(1);
        assertThat(submitted.json().get("createdBy").asText()).isEqualTo("api-key:operator-key");
        JsonNode assignment = d.take();
        assertThat(assignment.get("taskId").asText()).isEqualTo(id);

        JsonNode audit = manager.api(OPERATOR_KEY)
                .get("/api/v1/audit?targetId=" + id)
                .json()
                .get("events");
        assertThat(audit.toString()).doesNotContain("deploy.sh");
        assertThat(event(audit, ScriptAudit.SUBMITTED).get("actor").asText()).isEqualTo("api-key:operator-key");
        assertThat(event(audit, ScriptAudit.SUBMITTED).get("detail").asText())
                .contains("sha256=" + SCRIPT_SHA256, "selectors=", "shell=bash");
        assertThat(event(audit, ScriptAudit.ASSIGNED).get("detail").asText())
                .contains("delegate=runner-1", "group=scripts", "host=runner-1.local", "attempt=1");
    }

    @Test
    void theCallerMayAllowMoreAttemptsAndOtherTypesKeepTheConfiguredDefault() {
        assertThat(manager.api(OPERATOR_KEY)
                        .post("/api/v1/tasks", script(Map.of("maxAttempts", 3)))
                        .json()
                        .get("maxAttempts")
                        .asInt())
                .isEqualTo(3);
        assertThat(manager.api(OPERATOR_KEY)
                        .post("/api/v1/tasks", Map.of("type", "echo"))
                        .json()
                        .get("maxAttempts")
                        .asInt())
                .isGreaterThan(1);
    }

    @Test
    void aViewerCannotRunOrCancelScriptsAndIsToldWhichRoleIsNeeded() {
        TestHttp.Response refused = manager.api(VIEWER_KEY).post("/api/v1/tasks", script(Map.of()));

        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.json().get("detail").asText())
                .contains("needs the admin or operator role", "has the viewer role");
        String id = manager.api(OPERATOR_KEY)
                .post("/api/v1/tasks", script(Map.of()))
                .json()
                .get("id")
                .asText();
        assertThat(manager.api(VIEWER_KEY)
                        .post("/api/v1/tasks/" + id + "/cancel", Map.of())
                        .status())
                .isEqualTo(403);
        assertThat(manager.api(OPERATOR_KEY)
                        .post("/api/v1/tasks/" + id + "/cancel", Map.of())
                        .status())
                .isEqualTo(200);
        assertThat(manager.api(VIEWER_KEY).get("/api/v1/tasks/" + id).status()).isEqualTo(200);
        assertThat(manager.api(VIEWER_KEY).get("/api/v1/audit").status()).isEqualTo(403);
        assertThat(manager.api().get("/api/v1/tasks?type=shell.script").json().get("tasks"))
                .hasSize(1);
    }

    @Test
    void anOperatorReadsEverythingButManagesNothing() {
        TestHttp op = manager.api(OPERATOR_KEY);
        for (String read : List.of(
                "/api/v1/tasks",
                "/api/v1/delegates",
                "/api/v1/delegate-groups",
                "/api/v1/delegate-profiles",
                "/api/v1/delegate-tokens",
                "/api/v1/cloud-providers",
                "/api/v1/users",
                "/api/v1/audit")) {
            assertThat(op.get(read).status()).as(read).isEqualTo(200);
        }
        String me = userOf("admin");
        Map<String, Map<String, Object>> changes = Map.ofEntries(
                Map.entry(
                        "POST /api/v1/users", Map.of("username", "eve", "role", "ADMIN", "password", "eve-pass-12345")),
                Map.entry("POST /api/v1/users/" + me + "/password", Map.of("password", "taken-over-123456")),
                Map.entry("POST /api/v1/users/" + me + "/api-keys", Map.of("name", "stolen")),
                Map.entry("POST /api/v1/delegate-tokens", Map.of("name", "t1")),
                Map.entry("POST /api/v1/delegate-groups", Map.of("name", "g1")),
                Map.entry("POST /api/v1/delegate-profiles", Map.of("name", "p1", "script", "true")),
                Map.entry("POST /api/v1/installers/shell", Map.of("tokenName", "x")),
                Map.entry("POST /api/v1/cloud-providers", Map.of("name", "aws", "type", "AWS")));
        changes.forEach((route, body) -> {
            TestHttp.Response r = op.post(route.substring(5), body);
            assertThat(r.status()).as(route).isEqualTo(403);
            assertThat(r.json().get("detail").asText()).as(route).contains("needs the admin role", "operator role");
        });
        assertThat(op.patch("/api/v1/users/" + me, Map.of("role", "VIEWER")).status())
                .isEqualTo(403);
        assertThat(manager.api().get("/api/v1/users").body()).doesNotContain("\"eve\"");
    }

    @Test
    void badScriptPayloadsAreRefusedNamingTheFieldAndNothingIsCreated() {
        TestHttp op = manager.api(OPERATOR_KEY);
        TestHttp.Response bad = op.post(
                "/api/v1/tasks",
                Map.of(
                        "type",
                        TaskTypes.SHELL_SCRIPT,
                        "payload",
                        Map.of(
                                "script", "echo hi",
                                "shell", "zsh",
                                "env", Map.of("OPENDELEGATE_TOKEN", "x"),
                                "secrets", Map.of("DB", "hunter2"),
                                "workingDirectory", "../etc")));

        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().get("errors").findValuesAsText("field"))
                .containsExactlyInAnyOrder(
                        "payload.shell",
                        "payload.env.OPENDELEGATE_TOKEN",
                        "payload.secrets.DB",
                        "payload.workingDirectory");
        assertThat(bad.body()).doesNotContain("hunter2\"");
        assertThat(op.post("/api/v1/tasks", Map.of("type", TaskTypes.SHELL_SCRIPT))
                        .json()
                        .get("detail")
                        .asText())
                .contains("`payload.script` is required");
        assertThat(manager.api().get("/api/v1/tasks").json().get("tasks")).isEmpty();
    }

    @Test
    void aScriptWhoseDelegateIsLostFailsAsMayHavePartlyRunAndIsNotRunAgain() {
        FakeDelegate d = scriptDelegate("runner-1");
        String id = submit(Map.of());
        d.take();

        // The delegate restarts without the script: the lease of the only attempt is lost.
        manager.delegate("runner-1", "scripts")
                .with("taskTypes", List.of("echo", TaskTypes.SHELL_SCRIPT))
                .register();

        JsonNode t = task(id);
        assertThat(t.get("state").asText()).isEqualTo("FAILED");
        assertThat(t.get("error").get("message").asText())
                .startsWith("The delegate was lost while the script ran; it may have partly run (")
                .contains("1 attempt of 1 used");
        assertThat(t.get("attempts")).hasSize(1);
    }

    @Test
    void aScriptAllowedMoreAttemptsIsRetriedWhenItsDelegateIsLost() {
        FakeDelegate d = scriptDelegate("runner-1");
        String id = submit(Map.of("maxAttempts", 2));
        d.take();

        manager.delegate("runner-1", "scripts")
                .with("taskTypes", List.of("echo", TaskTypes.SHELL_SCRIPT))
                .register();

        assertThat(task(id).get("state").asText()).isEqualTo("QUEUED");
    }

    @Test
    void aFailedScriptKeepsItsExitCodeAndOutputs() {
        FakeDelegate d = scriptDelegate("runner-1");
        String id = submit(Map.of());
        long fencing = d.take().get("fencingToken").asLong();

        TestHttp.Response answer = d.outcomes(Map.of(
                "taskId",
                id,
                "fencingToken",
                fencing,
                "leaseId",
                d.leaseId(id),
                "status",
                "FAILED",
                "error",
                Map.of("kind", "TASK", "message", "exit code 3"),
                "result",
                Map.of("exitCode", 3, "outputs", Map.of("VERSION", "1.2.3"), "durationMillis", 1200)));

        assertThat(answer.status()).isEqualTo(200);
        JsonNode t = task(id);
        assertThat(t.get("state").asText()).isEqualTo("FAILED");
        assertThat(t.get("error").get("message").asText()).isEqualTo("exit code 3");
        assertThat(t.get("result").get("exitCode").asInt()).isEqualTo(3);
        assertThat(t.get("result").get("outputs").get("VERSION").asText()).isEqualTo("1.2.3");
        // How much of its log the size limit dropped is part of a script's result (none here).
        assertThat(t.get("result").get("logBytesDropped").asLong()).isZero();
    }

    private FakeDelegate scriptDelegate(String name) {
        FakeDelegate d = manager.delegate(name, "scripts").with("taskTypes", List.of("echo", TaskTypes.SHELL_SCRIPT));
        d.register();
        return d;
    }

    private String submit(Map<String, Object> extra) {
        TestHttp.Response r = manager.api(OPERATOR_KEY).post("/api/v1/tasks", script(extra));
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return r.json().get("id").asText();
    }

    private static Map<String, Object> script(Map<String, Object> extra) {
        Map<String, Object> body = new java.util.HashMap<>(extra);
        body.put("type", TaskTypes.SHELL_SCRIPT);
        body.put("payload", Map.of("script", SCRIPT, "env", Map.of("DEPLOY_ENV", "prod")));
        return body;
    }

    private JsonNode task(String id) {
        return manager.api().get("/api/v1/tasks/" + id).json();
    }

    private String userOf(String username) {
        for (JsonNode u : manager.api().get("/api/v1/users").json().get("users")) {
            if (u.get("username").asText().equals(username)) {
                return u.get("id").asText();
            }
        }
        throw new AssertionError("no user " + username);
    }

    private static JsonNode event(JsonNode events, String action) {
        for (JsonNode e : events) {
            if (e.get("action").asText().equals(action)) {
                return e;
            }
        }
        throw new AssertionError("no " + action + " in " + events);
    }
}
