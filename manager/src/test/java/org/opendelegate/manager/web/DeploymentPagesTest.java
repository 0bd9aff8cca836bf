package org.opendelegate.manager.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.opendelegate.manager.deployments.DeploymentProblem;
import org.opendelegate.manager.deployments.DeploymentState;
import org.opendelegate.manager.deployments.DeploymentStep;
import org.opendelegate.manager.deployments.DeploymentView;
import org.opendelegate.manager.deployments.DiffChange;
import org.opendelegate.manager.deployments.Revision;
import org.opendelegate.manager.dispatch.TaskLogPage;
import org.opendelegate.manager.security.Role;
import org.opendelegate.manager.users.SignedIn;
import org.opendelegate.protocol.ProtocolJson;

/**
 * A deployment's page as the templates render it from a {@link DeploymentView}: the timeline with each step's
 * log, from → to, the diff with masked secrets, the problems, and Rollback/Cancel only for those who may use them.
 * Everything from a delegate or AWS is escaped.
 */
class DeploymentPagesTest {
    private static final String XSS = "<img src=x onerror=alert(1)>";
    private static final Instant NOW = Instant.parse("2026-12-05T01:00:00Z");
    private final Templates templates = new Templates();

    @Test
    void anEndedDeploymentShowsItsTimelineStepLogsFromToAndDiffAndOffersRollbackToAnOperator() {
        DeploymentView d = deployment(DeploymentState.SUCCEEDED, false);

        String html = live(d, Role.OPERATOR);

        assertThat(html)
                .contains("Prepare", "Register task definition", "Update service", "Wait for steady state")
                .contains("revision 6 · nginx:1.25 · 2 tasks", "revision 7 · nginx:1.27 · 2 tasks")
                .contains("(service web) has reached a steady state.")
                .contains("containerDefinitions[web].image", "nginx:1.25", "nginx:1.27")
                .contains("containerDefinitions[web].environment.DB_PASSWORD", "****")
                .contains("id=\"rollback-deployment\"", "data-confirm-action=\"/deployments/dep-1/rollback\"")
                .doesNotContain("id=\"cancel-deployment\"")
                .doesNotContain(XSS)
                .contains("&lt;img src=x onerror=alert(1)&gt;");
        // Each step shows its own lines: the registration's line is in step 2's log, not in step 1's.
        String step1 = between(html, "id=\"step-1\"", "id=\"step-2\"");
        String step2 = between(html, "id=\"step-2\"", "id=\"step-3\"");
        assertThat(step1).contains("described service web").doesNotContain("registered web:7");
        assertThat(step2).contains("registered web:7");
    }

    @Test
    void aViewerSeesNoButtonsAndARunningDeploymentOffersCancelNotRollback() {
        assertThat(live(deployment(DeploymentState.SUCCEEDED, false), Role.VIEWER))
                .doesNotContain("rollback-deployment", "cancel-deployment");
        assertThat(live(deployment(DeploymentState.RUNNING, false), Role.VIEWER))
                .doesNotContain("rollback-deployment", "cancel-deployment");

        String running = live(deployment(DeploymentState.RUNNING, false), Role.ADMIN);

        assertThat(running).contains("id=\"cancel-deployment\"").doesNotContain("id=\"rollback-deployment\"");
    }

    @Test
    void aPreviewShowsWhatWouldChangeAndItsProblemsAndOffersDeployOnlyWhenClean() {
        DeploymentView withProblems = deployment(DeploymentState.PREVIEWED, true);
        DeploymentView clean = new DeploymentView(
                withProblems.id(),
                withProblems.cloudProviderId(),
                withProblems.cloudProviderName(),
                withProblems.region(),
                withProblems.cluster(),
                withProblems.service(),
                withProblems.state(),
                true,
                null,
                withProblems.submittedBy(),
                withProblems.submittedAt(),
                withProblems.startedAt(),
                withProblems.endedAt(),
                withProblems.durationMillis(),
                withProblems.from(),
                withProblems.to(),
                withProblems.steps(),
                withProblems.changes(),
                List.of(),
                withProblems.request(),
                null,
                null,
                withProblems.taskId());

        String blocked = templates.render("deployments/preview.jte", detail(withProblems, Role.OPERATOR));
        String offered = templates.render("deployments/preview.jte", detail(clean, Role.OPERATOR));

        assertThat(blocked)
                .contains("What would change", "TASK_ROLE_NOT_FOUND", "1 problem found before any change")
                .contains("id=\"preview-blocked\"")
                .doesNotContain("id=\"deploy-submit\"");
        assertThat(offered).contains("id=\"deploy-submit\"", "name=\"action\" value=\"deploy\"");
        // Once ended, the preview stops asking for itself.
        assertThat(offered).doesNotContain("hx-trigger");
        assertThat(live(clean, Role.OPERATOR))
                .as("a preview changed nothing: nothing to roll back")
                .doesNotContain("rollback-deployment");
    }

    @Test
    void theListShowsFromToAndPagesOnWithTheFilters() {
        DeploymentTable.Filter filter = DeploymentTable.Filter.of("prod", "web", "succeeded", null);

        assertThat(filter.domain().state()).isEqualTo("SUCCEEDED");
        assertThat(filter.url("abc/+="))
                .isEqualTo("/deployments?cluster=prod&service=web&state=SUCCEEDED&cursor=abc%2F%2B%3D");
        assertThat(filter.url("")).isEqualTo("/deployments?cluster=prod&service=web&state=SUCCEEDED");
    }

    private String live(DeploymentView d, Role role) {
        return templates.render("deployments/live.jte", detail(d, role));
    }

    private static DeploymentDetail detail(DeploymentView d, Role role) {
        SignedIn user = new SignedIn("u-1", "acct-1", "olga", role, "csrf", "hash");
        return DeploymentDetail.of(
                d, user, NOW, step -> TaskLog.of(new TaskLogPage("task-1", "SUCCEEDED", lines(step), 0, true), 0));
    }

    /** The task's log: the lines of each step come from its id range. */
    private static List<TaskLogPage.Line> lines(DeploymentStep step) {
        List<TaskLogPage.Line> all = List.of(
                new TaskLogPage.Line(1, 1, NOW, "described service web " + XSS, null),
                new TaskLogPage.Line(2, 1, NOW, "registered web:7", null),
                new TaskLogPage.Line(3, 1, NOW, "updated service web", null),
                new TaskLogPage.Line(4, 1, NOW, "(service web) has reached a steady state.", null));
        return all.stream()
                .filter(l -> l.id() > step.logAfterId() && (step.logUntilId() == null || l.id() <= step.logUntilId()))
                .toList();
    }

    private static DeploymentView deployment(DeploymentState state, boolean dryRun) {
        Instant t = NOW.minusSeconds(120);
        List<DeploymentStep> steps = List.of(
                new DeploymentStep("PREPARE", "SUCCEEDED", t, t.plusSeconds(1), null, 0, 1L),
                new DeploymentStep(
                        "REGISTER_TASK_DEFINITION",
                        "SUCCEEDED",
                        t.plusSeconds(1),
                        t.plusSeconds(2),
                        "web:7 " + XSS,
                        1,
                        2L),
                new DeploymentStep("UPDATE_SERVICE", "SUCCEEDED", t.plusSeconds(2), t.plusSeconds(3), null, 2, 3L),
                new DeploymentStep(
                        "WAIT_FOR_STEADY_STATE",
                        state.isActive() ? "RUNNING" : "SUCCEEDED",
                        t.plusSeconds(3),
                        state.isActive() ? null : t.plusSeconds(60),
                        null,
                        3,
                        state.isActive() ? null : 4L));
        return new DeploymentView(
                "dep-1",
                "prov-1",
                "AWS " + XSS,
                "us-east-1",
                "prod",
                "web",
                state,
                dryRun,
                null,
                "user:olga",
                t,
                t.plusSeconds(1),
                state.isActive() ? null : t.plusSeconds(60),
                60_000,
                new Revision("arn:aws:ecs:us-east-1:123456789012:task-definition/web:6", 6, "nginx:1.25", 2),
                new Revision("arn:aws:ecs:us-east-1:123456789012:task-definition/web:7", 7, "nginx:1.27", 2),
                steps,
                List.of(
                        new DiffChange("taskDefinition", "containerDefinitions[web].image", "nginx:1.25", "nginx:1.27"),
                        new DiffChange(
                                "taskDefinition", "containerDefinitions[web].environment.DB_PASSWORD", null, "****"),
                        new DiffChange("service", "desiredCount", "2", XSS)),
                dryRun
                        ? List.of(new DeploymentProblem("TASK_ROLE_NOT_FOUND", "The task role `app` does not exist."))
                        : List.of(),
                ProtocolJson.mapper().valueToTree(Map.of("service", "web", "image", "nginx:1.27")),
                null,
                null,
                "task-1");
    }

    private static String between(String html, String from, String to) {
        int start = html.indexOf(from);
        int end = html.indexOf(to, start);
        return html.substring(start, end);
    }
}
