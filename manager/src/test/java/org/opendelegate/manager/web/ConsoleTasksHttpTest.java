package org.opendelegate.manager.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.opendelegate.manager.security.Role;
import org.opendelegate.manager.testing.ConsoleBrowser;
import org.opendelegate.manager.testing.TestManager;
import org.opendelegate.testkit.FakeDelegate;

/**
 * The Tasks pages over HTTP against a real Manager, with a protocol-level delegate playing the worker:
 * the list and its filters, a task's page (selection log, attempts, error, result, log), the log's
 * cursor, cancelling, roles, CSRF and escaping.
 */
class ConsoleTasksHttpTest {
    private static final Pattern LINE_ID = Pattern.compile("data-id=\"(\\d+)\"");
    private static TestManager manager;
    private static FakeDelegate runner;

    @BeforeAll
    static void start() {
        // Delegates stay connected without heartbeats and leases do not run out during a test; a task no
        // delegate can take gives up after a second.
        manager = TestManager.start(Map.of(
                "OPENDELEGATE_DISCONNECT_AFTER",
                "60s",
                "OPENDELEGATE_LEASE_DURATION",
                "60s",
                "OPENDELEGATE_NO_ELIGIBLE_WAIT",
                "1s"));
        runner = manager.delegate("runner-1", "runners");
        runner.register();
        assertThat(manager.delegate("<img src=x onerror=alert(9)>", "evil")
                        .with("taskTypes", List.of("other"))
                        .register()
                        .status())
                .isEqualTo(200);
        manager.api()
                .post("/api/v1/users", Map.of("username", "vera", "role", "VIEWER", "password", "vera-looks-only-123"));
    }

    @AfterAll
    static void stop() {
        manager.close();
    }

    @Test
    void theListShowsTheNewestFirstWithFiltersAndASearchById() {
        String succeeded = submit(Map.of("type", "echo", "payload", Map.of("n", 1)));
        long token = runner.take().get("fencingToken").asLong();
        runner.succeed(succeeded, token, Map.of("n", 1));
        String unassigned = submit(Map.of("type", "report.build"));
        awaitState(unassigned, "NOT_ASSIGNED");
        String running = submit(Map.of("type", "sleep", "payload", Map.of("seconds", 30)));
        long runningToken = runner.take().get("fencingToken").asLong();
        ConsoleBrowser admin = manager.signedInAdmin();

        String all = admin.get("/tasks").expectStatus(200).body();
        String onlySucceeded = admin.get("/tasks?state=SUCCEEDED").body();
        String byType = admin.get("/tasks/table?type=report.build", "HX-Request", "true")
                .body();
        String byId = admin.get("/tasks?q=" + unassigned.substring(0, 6)).body();
        String byFullIdAndState =
                admin.get("/tasks?state=NOT_ASSIGNED&q=" + unassigned).body();
        String none = admin.get("/tasks?q=no-such-task").body();

        assertThat(all)
                .contains(
                        "aria-current=\"page\"",
                        "<span>Tasks</span>",
                        "id=\"task-filters\"",
                        "hx-trigger=\"every 3s\"",
                        "<span id=\"tasks-kept\">An ended task is kept for 90 days, then removed with its log.</span>");
        assertThat(all.indexOf("id=\"task-" + running + "\""))
                .isPositive()
                .isLessThan(all.indexOf("id=\"task-" + unassigned + "\""));
        assertThat(all.indexOf("id=\"task-" + unassigned + "\""))
                .isLessThan(all.indexOf("id=\"task-" + succeeded + "\""));
        assertThat(rowOf(all, running))
                .contains("state-running", "Running", "runner-1", ">" + running.substring(0, 8) + "<");
        assertThat(rowOf(all, unassigned)).contains("state-not-assigned", "Not assigned", "report.build");
        assertThat(rowOf(all, succeeded)).contains("state-succeeded", "1<span class=\"muted\"> / ");
        assertThat(onlySucceeded).contains("task-" + succeeded).doesNotContain("task-" + running, "task-" + unassigned);
        assertThat(onlySucceeded).contains("<option value=\"SUCCEEDED\" selected>");
        assertThat(byType)
                .doesNotContain("<html")
                .contains("task-" + unassigned)
                .doesNotContain("task-" + succeeded);
        assertThat(byId).contains("task-" + unassigned).doesNotContain("task-" + succeeded, "task-" + running);
        assertThat(byFullIdAndState).contains("task-" + unassigned);
        assertThat(none).contains("No tasks match").doesNotContain("class=\"task-row\"");
        assertThat(admin.get("/tasks?state=bogus").status()).isEqualTo(400);
        runner.succeed(running, runningToken, Map.of());
    }

    @Test
    void aTasksPageExplainsWhereItWentWhatItDidAndHowItEnded() {
        String failed = submit(Map.of(
                "type",
                "echo",
                "payload",
                Map.of("note", "<script>alert(1)</script>"),
                "affinityKey",
                "provider-7",
                "idempotencyKey",
                "build-42"));
        long token = runner.take().get("fencingToken").asLong();
        runner.progress(failed, token, "<b>bold</b> line", "second line");
        runner.fail(failed, token, "TASK", "boom <img src=x onerror=alert(2)>");
        String unassigned =
                submit(Map.of("type", "echo", "selectors", List.of("gpu"), "scope", Map.of("environmentType", "PROD")));
        awaitState(unassigned, "NOT_ASSIGNED");
        ConsoleBrowser admin = manager.signedInAdmin();

        String page = admin.get("/tasks/" + failed).expectStatus(200).body();
        String notAssigned = admin.get("/tasks/" + unassigned).expectStatus(200).body();

        assertThat(page)
                .contains(
                        "state-failed",
                        "Failed · Task error",
                        "boom &lt;img src=x onerror=alert(2)&gt;",
                        "&lt;b&gt;bold&lt;/b&gt; line",
                        "second line",
                        "provider-7",
                        "build-42",
                        "&#34;&lt;script&gt;alert(1)&lt;/script&gt;&#34;".replace("&#34;", "\""),
                        "<span class=\"chosen-label\">Chosen</span> <strong>runner-1</strong>",
                        "id=\"attempt-1\"",
                        "outcome-failed",
                        "&lt;img src=x onerror=alert(9)&gt;",
                        "does not support task type <code>echo</code>");
        assertThat(page).doesNotContain("<script>alert(1)", "<img src=x", "<b>bold</b>");
        assertThat(page).doesNotContain("hx-trigger=\"every 1s\"", "hx-trigger=\"every 2s\"");
        assertThat(notAssigned)
                .contains(
                        "state-not-assigned",
                        "Not assigned",
                        "selector <code>gpu</code> missing",
                        "No attempt yet",
                        "Gave up: no eligible delegate in time",
                        "environmentType=PROD",
                        "0 of ",
                        "This task wrote no output.");
        assertThat(api(unassigned).get("error").get("message").asText())
                .contains("no connected delegate has selector `gpu`");
        assertThat(notAssigned).contains("no connected delegate has selector <code>gpu</code>");
    }

    @Test
    void aTasksResultIsShownEscapedAndOtherAccountsTasksAreNotFound() {
        String id = submit(Map.of("type", "echo"));
        long token = runner.take().get("fencingToken").asLong();
        runner.succeed(id, token, Map.of("html", "<i>x</i>"));
        manager.seedAccount("acct-other", "odk_other-admin-key-0123456789", Role.ADMIN, null);
        String foreign = manager.api("odk_other-admin-key-0123456789")
                .post("/api/v1/tasks", Map.of("type", "echo"))
                .json()
                .get("id")
                .asText();
        ConsoleBrowser admin = manager.signedInAdmin();

        String page = admin.get("/tasks/" + id).body();

        assertThat(page)
                .contains("id=\"task-result\"", "&lt;i&gt;x&lt;/i&gt;", "state-succeeded")
                .doesNotContain("<i>x</i>");
        assertThat(admin.get("/tasks/" + foreign).status()).isEqualTo(404);
        assertThat(admin.get("/tasks/" + foreign + "/log").status()).isEqualTo(404);
        assertThat(admin.get("/tasks?q=" + foreign).body()).contains("No tasks match");
        assertThat(admin.get("/tasks/no-such-task").status()).isEqualTo(404);
    }

    @Test
    void theLogIsFollowedFromACursorAndThePollingStopsWhenTheTaskEnds() {
        String id = submit(Map.of("type", "sleep", "payload", Map.of("seconds", 30)));
        long token = runner.take().get("fencingToken").asLong();
        runner.progress(id, token, "one", "two");
        ConsoleBrowser admin = manager.signedInAdmin();

        String page = admin.get("/tasks/" + id).body();
        ConsoleBrowser.Page first = admin.get("/tasks/" + id + "/log?after=0", "HX-Request", "true");
        long oneId = lineIds(first.body()).get(0);
        ConsoleBrowser.Page rest =
                admin.get("/tasks/" + id + "/log?after=" + oneId + "&token=" + token, "HX-Request", "true");
        ConsoleBrowser.Page liveWhileRunning = admin.get("/tasks/" + id + "/live", "HX-Request", "true");
        runner.succeed(id, token, Map.of("sleptSeconds", 30));
        long last = lineIds(first.body()).get(1);
        ConsoleBrowser.Page end = admin.get("/tasks/" + id + "/log?after=" + last, "HX-Request", "true");
        ConsoleBrowser.Page liveAtEnd = admin.get("/tasks/" + id + "/live", "HX-Request", "true");

        assertThat(page)
                .contains(
                        "data-log-stream=\"/tasks/" + id + "/log/events\"",
                        "href=\"/tasks/" + id + "/log.txt\"",
                        "hx-get=\"/tasks/" + id + "/live\"",
                        "is-following");
        assertThat(first.status()).isEqualTo(200);
        assertThat(first.body()).contains(">one<", ">two<").doesNotContain("<html");
        assertThat(rest.status()).isEqualTo(200);
        assertThat(rest.body()).contains(">two<").doesNotContain(">one<", "log-divider");
        assertThat(liveWhileRunning.status()).isEqualTo(200);
        assertThat(liveWhileRunning.body()).contains("state-running", "hx-swap-oob=\"true\"", "id=\"cancel-task\"");
        assertThat(end.status()).isEqualTo(TasksPage.STOP_POLLING);
        assertThat(end.body()).doesNotContain("log-line");
        assertThat(liveAtEnd.status()).isEqualTo(TasksPage.STOP_POLLING);
        assertThat(liveAtEnd.body()).contains("state-succeeded", "sleptSeconds").doesNotContain("id=\"cancel-task\"");
    }

    @Test
    void cancellingNeedsAnAdminAndTheCsrfTokenAndGoesThroughTheTaskService() {
        String running = submit(Map.of("type", "sleep", "payload", Map.of("seconds", 30)));
        long token = runner.take().get("fencingToken").asLong();
        String queued = submit(Map.of("type", "sleep", "payload", Map.of("seconds", 30)));
        ConsoleBrowser admin = manager.signedInAdmin();
        ConsoleBrowser viewer = manager.browser();
        viewer.signIn("vera", "vera-looks-only-123").expectStatus(303);

        String viewerPage = viewer.get("/tasks/" + running).body();
        ConsoleBrowser.Page byViewer =
                viewer.post("/tasks/" + running + "/cancel", Map.of("_csrf", viewer.csrfToken()), "HX-Request", "true");
        ConsoleBrowser.Page withoutToken = admin.post("/tasks/" + running + "/cancel", Map.of(), "HX-Request", "true");
        assertThat(viewerPage).contains("state-running").doesNotContain("cancel-task", "data-confirm-action");
        assertThat(byViewer.status()).isEqualTo(403);
        assertThat(byViewer.body()).contains("admin or operator role");
        assertThat(withoutToken.status()).isEqualTo(403);
        assertThat(api(running).get("cancelRequested").asBoolean()).isFalse();
        assertThat(admin.get("/tasks/" + running).body())
                .contains("id=\"cancel-task\"", "data-confirm-action=\"/tasks/" + running + "/cancel\"");

        ConsoleBrowser.Page cancelRunning = admin.post(
                "/tasks/" + running + "/cancel",
                Map.of("_csrf", admin.csrfToken(), "taskId", running),
                "HX-Request",
                "true");
        ConsoleBrowser.Page cancelQueued = admin.post(
                "/tasks/" + queued + "/cancel",
                Map.of("_csrf", admin.csrfToken(), "taskId", queued),
                "HX-Request",
                "true");

        assertThat(cancelRunning.status()).isEqualTo(200);
        assertThat(cancelRunning.header("HX-Trigger"))
                .contains("Asked runner-1 to stop task " + running.substring(0, 8));
        assertThat(cancelRunning.body()).contains("Cancelling").doesNotContain("id=\"cancel-task\"");
        assertThat(api(running).get("cancelRequested").asBoolean()).isTrue();
        assertThat(cancelQueued.status()).isEqualTo(200);
        assertThat(cancelQueued.header("HX-Trigger")).contains("Cancelled task " + queued.substring(0, 8));
        assertThat(api(queued).get("state").asText()).isEqualTo("CANCELLED");
        runner.report(running, token, "CANCELLED");
        assertThat(admin.get("/tasks/" + running).body()).contains("state-cancelled");
        ConsoleBrowser.Page again =
                admin.post("/tasks/" + queued + "/cancel", Map.of("_csrf", admin.csrfToken()), "HX-Request", "true");
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.body()).contains("already ended as CANCELLED");
    }

    @Test
    void thePagesScriptsAreServedByTheManagerItself() {
        ConsoleBrowser admin = manager.signedInAdmin();
        String page = admin.get("/tasks").body();

        for (String script : List.of("console.js", "install.js", "tasks.js")) {
            assertThat(page).contains("<script src=\"/assets/" + script + "?v=");
            ConsoleBrowser.Page asset = admin.get("/assets/" + script);
            assertThat(asset.status()).isEqualTo(200);
            assertThat(asset.header("Content-Type")).startsWith("text/javascript");
            assertThat(asset.body()).contains("\"use strict\"").doesNotContain("innerHTML =", "eval(");
        }
    }

    private static String submit(Map<String, Object> task) {
        return manager.api().post("/api/v1/tasks", task).json().get("id").asText();
    }

    private static JsonNode api(String id) {
        return manager.api().get("/api/v1/tasks/" + id).json();
    }

    private static void awaitState(String id, String state) {
        await().atMost(Duration.ofSeconds(15))
                .until(() -> state.equals(api(id).get("state").asText()));
    }

    private static String rowOf(String html, String id) {
        int start = html.indexOf("<tr id=\"task-" + id + "\"");
        assertThat(start).as("row of " + id).isNotNegative();
        return html.substring(start, html.indexOf("</tr>", start));
    }

    private static List<Long> lineIds(String html) {
        Matcher m = LINE_ID.matcher(html);
        List<Long> ids = new java.util.ArrayList<>();
        while (m.find()) {
            ids.add(Long.parseLong(m.group(1)));
        }
        return ids;
    }
}
