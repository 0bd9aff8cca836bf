package org.opendelegate.manager.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.opendelegate.manager.testing.ConsoleBrowser;
import org.opendelegate.manager.testing.TestManager;
import org.opendelegate.testkit.FakeDelegate;

/** Tasks → Run script: offered to admins and operators, refused to viewers, errors shown next to their fields. */
class ConsoleRunScriptHttpTest {
    private static TestManager manager;

    @BeforeAll
    static void start() {
        manager = TestManager.start();
        manager.api()
                .post("/api/v1/users", Map.of("username", "olga", "role", "OPERATOR", "password", "olga-runs-tasks-1"));
        manager.api()
                .post("/api/v1/users", Map.of("username", "vera", "role", "VIEWER", "password", "vera-looks-only-1"));
        manager.api().post("/api/v1/delegate-groups", Map.of("name", "ecs-prod", "selectors", List.of("eu")));
        manager.api()
                .post(
                        "/api/v1/secrets",
                        Map.of("name", "db-password", "description", "orders DB", "value", "s3cr3t-v1"));
    }

    @AfterAll
    static void stop() {
        manager.close();
    }

    @Test
    void anOperatorRunsAScriptFromTheFormAndLandsOnItsTaskPage() {
        ConsoleBrowser olga = signedIn("olga", "olga-runs-tasks-1");
        String form = olga.get("/tasks/run").expectStatus(200).body();
        assertThat(olga.get("/tasks").body()).contains("href=\"/tasks/run\"");
        assertThat(form)
                .contains("<datalist id=\"known-selectors\">", "<option value=\"ecs-prod\">", "<option value=\"eu\">")
                .contains("<datalist id=\"secret-names\">", "<label class=\"label\" for=\"run-script\">")
                // The picker offers the account's secrets from the secret store.
                .contains("<option value=\"secret:db-password\">");

        ConsoleBrowser.Page sent = olga.post(
                "/tasks/run",
                Map.of(
                        "_csrf", olga.csrfToken(),
                        "selectors", "ecs-prod, eu",
                        "script", "echo hello\n\techo indented\n",
                        "shell", "sh",
                        "env", "DEPLOY_ENV=prod\nA=b=c",
                        "secrets", "DB=secret:db-password",
                        "timeoutSeconds", "120",
                        "maxAttempts", "1"));

        assertThat(sent.status()).isEqualTo(303);
        String location = sent.header("Location");
        assertThat(location).startsWith("/tasks/");
        var task = manager.api().get("/api/v1" + location).json();
        assertThat(task.get("type").asText()).isEqualTo("shell.script");
        assertThat(task.get("createdBy").asText()).isEqualTo("user:olga");
        assertThat(task.get("selectors").toString()).isEqualTo("[\"ecs-prod\",\"eu\"]");
        assertThat(task.get("payload").get("script").asText()).isEqualTo("echo hello\n\techo indented\n");
        assertThat(task.get("payload").get("shell").asText()).isEqualTo("sh");
        assertThat(task.get("payload").get("env").get("A").asText()).isEqualTo("b=c");
        assertThat(task.get("timeoutSeconds").asInt()).isEqualTo(120);
        assertThat(olga.get(location).body()).contains("shell.script");
    }

    @Test
    void mistakesComeBackNextToTheirFieldsWithWhatWasTyped() {
        ConsoleBrowser olga = signedIn("olga", "olga-runs-tasks-1");

        ConsoleBrowser.Page bad = olga.post(
                "/tasks/run",
                Map.of(
                        "_csrf", olga.csrfToken(),
                        "script", "echo kept",
                        "env", "OPENDELEGATE_X=1",
                        "secrets", "DB=hunter2",
                        "timeoutSeconds", "0"));

        assertThat(bad.status()).isEqualTo(422);
        assertThat(bad.body())
                .contains("id=\"run-env-error\"", "starts with OPENDELEGATE_")
                .contains("id=\"run-secrets-error\"", "is not a secret reference")
                .contains("id=\"run-timeoutSeconds-error\"", "use 1 to")
                .contains("echo kept")
                .contains("aria-invalid=\"true\"");
        ConsoleBrowser.Page malformed = olga.post(
                "/tasks/run", Map.of("_csrf", olga.csrfToken(), "script", "true", "secrets", "hunter2-no-name"));
        assertThat(malformed.status()).isEqualTo(422);
        assertThat(malformed.body()).contains("Line 1 must be written NAME=reference");
        assertThat(manager.api()
                        .get("/api/v1/tasks?type=shell.script")
                        .json()
                        .get("tasks")
                        .toString())
                .doesNotContain("echo kept");
    }

    @Test
    void aViewerIsNotOfferedTheFormAndIsRefusedIt() {
        ConsoleBrowser vera = signedIn("vera", "vera-looks-only-1");

        assertThat(vera.get("/tasks").body()).doesNotContain("href=\"/tasks/run\"");
        ConsoleBrowser.Page page = vera.get("/tasks/run");
        ConsoleBrowser.Page post = vera.post("/tasks/run", Map.of("_csrf", vera.csrfToken(), "script", "id"));

        assertThat(page.status()).isEqualTo(403);
        assertThat(page.body()).contains("admin or operator role");
        assertThat(post.status()).isEqualTo(403);
        assertThat(manager.api()
                        .get("/api/v1/tasks?type=shell.script")
                        .json()
                        .get("tasks")
                        .toString())
                .doesNotContain("vera");
    }

    @Test
    void aFailedScriptsPageShowsItsExitCodeAndOutputs() {
        FakeDelegate d = manager.delegate("runner-1", "scripts").with("taskTypes", List.of("shell.script"));
        d.register();
        String id = manager.api()
                .post("/api/v1/tasks", Map.of("type", "shell.script", "payload", Map.of("script", "exit 3")))
                .json()
                .get("id")
                .asText();
        long fencing = d.take().get("fencingToken").asLong();
        d.outcomes(Map.of(
                "taskId",
                id,
                "fencingToken",
                fencing,
                "leaseId",
                d.leaseId(id),
                "status",
                "FAILED",
                "error",
                Map.of("kind", "TASK", "message", "The script exited with code 3."),
                "result",
                Map.of("exitCode", 3, "outputs", Map.of("VERSION", "1.2.3"), "durationMillis", 5)));

        String page = signedIn("vera", "vera-looks-only-1").get("/tasks/" + id).body();

        assertThat(page)
                .contains("id=\"script-exit-code\">3<", "VERSION", "1.2.3", "The script exited with code 3.")
                .doesNotContain("id=\"cancel-task\"");
    }

    private static ConsoleBrowser signedIn(String user, String password) {
        ConsoleBrowser b = manager.browser();
        b.signIn(user, password).expectStatus(303);
        return b;
    }
}
