package org.opendelegate.manager.web;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import org.opendelegate.manager.deployments.DeploymentStep;
import org.opendelegate.manager.deployments.DeploymentView;
import org.opendelegate.manager.deployments.Revision;
import org.opendelegate.manager.users.SignedIn;

/**
 * One deployment as its page (and the Deploy form's preview) shows it, from the same {@link DeploymentView} as
 * {@code GET /api/v1/deployments/{id}}. Every string may come from a user, a delegate or AWS and is untrusted; the
 * templates escape all of it.
 *
 * @param steps the timeline, each step with its own log lines
 * @param canCancel the signed-in user may cancel it now (an admin or operator, and it is still active)
 * @param canRollBack the signed-in user may roll it back (an admin or operator, it ended, it changed the service
 *     and recorded what ran before)
 */
public record DeploymentDetail(
        DeploymentView deployment,
        String shortId,
        String submitted,
        String submittedExact,
        String ended,
        String endedExact,
        String duration,
        List<StepRow> steps,
        boolean canCancel,
        boolean canRollBack) {

    /** One step of the timeline; {@code log} holds the task's log lines written while it ran. */
    public record StepRow(
            int number,
            String name,
            String state,
            String started,
            String startedExact,
            String ended,
            String endedExact,
            String took,
            String message,
            TaskLog log) {
        /** The id of the step's folded log on the page (kept open across refreshes). */
        public String logId() {
            return "step-log-" + number;
        }
    }

    /**
     * @param stepLog the log lines of a step, read from the deployment's task
     */
    static DeploymentDetail of(
            DeploymentView d, SignedIn user, Instant now, Function<DeploymentStep, TaskLog> stepLog) {
        List<DeploymentStep> steps = d.steps() == null ? List.of() : d.steps();
        List<StepRow> rows = new java.util.ArrayList<>();
        for (int i = 0; i < steps.size(); i++) {
            DeploymentStep s = steps.get(i);
            rows.add(new StepRow(
                    i + 1,
                    stepName(s.name()),
                    s.state(),
                    s.startedAt() == null ? "—" : Ago.of(s.startedAt(), now),
                    Ago.exact(s.startedAt()),
                    s.endedAt() == null ? "—" : Ago.of(s.endedAt(), now),
                    Ago.exact(s.endedAt()),
                    Ago.between(s.startedAt(), s.endedAt(), now),
                    s.message(),
                    stepLog.apply(s)));
        }
        boolean active = d.state().isActive();
        boolean runner = user.canRunTasks();
        return new DeploymentDetail(
                d,
                TaskList.shortId(d.id()),
                Ago.of(d.submittedAt(), now),
                Ago.exact(d.submittedAt()),
                d.endedAt() == null ? "—" : Ago.of(d.endedAt(), now),
                Ago.exact(d.endedAt()),
                Ago.duration(Duration.ofMillis(Math.max(0, d.durationMillis()))),
                List.copyOf(rows),
                runner && active,
                runner && !active && !d.dryRun() && d.from() != null && d.from().taskDefinitionArn() != null);
    }

    /** The request as submitted, pretty-printed (it holds secret references, never secret values). */
    public String requestJson() {
        return TaskDetail.pretty(deployment.request());
    }

    /** The first part of an id, as the lists show it. */
    public String shortIdOf(String id) {
        return TaskList.shortId(id);
    }

    public boolean active() {
        return deployment.state().isActive();
    }

    public String state() {
        return deployment.state().name();
    }

    /** What ran before, e.g. "revision 6 · nginx:1.25 · 2 tasks"; "—" while unknown. */
    public String from() {
        return revision(deployment.from());
    }

    /** What the deployment puts in place. */
    public String to() {
        return revision(deployment.to());
    }

    /** True when the to-side changes the image (both sides known and different). */
    public boolean imageChanges() {
        Revision f = deployment.from();
        Revision t = deployment.to();
        return f != null && t != null && t.image() != null && !t.image().equals(f.image());
    }

    /** The submitter without its kind: "alice" for {@code user:alice}. */
    public String who() {
        String by = deployment.submittedBy();
        if (by == null) {
            return "—";
        }
        int colon = by.indexOf(':');
        return colon >= 0 ? by.substring(colon + 1) : by;
    }

    /** The title of the error callout: "Rolled back", "Rollback failed", "Failed", "Cancelled". */
    public String errorTitle() {
        return switch (deployment.state()) {
            case ROLLED_BACK -> "Failed and rolled back";
            case ROLLBACK_FAILED -> "Failed, and the rollback failed too: the service needs a person";
            case CANCELLED -> "Cancelled";
            default -> "Failed";
        };
    }

    static String revision(Revision r) {
        if (r == null || (r.revision() == null && r.image() == null && r.taskDefinitionArn() == null)) {
            return "—";
        }
        StringBuilder text = new StringBuilder();
        if (r.revision() != null) {
            text.append("revision ").append(r.revision());
        } else if (r.taskDefinitionArn() != null) {
            text.append(family(r.taskDefinitionArn()));
        }
        if (r.image() != null) {
            text.append(text.length() == 0 ? "" : " · ").append(r.image());
        }
        if (r.desiredCount() != null) {
            text.append(text.length() == 0 ? "" : " · ")
                    .append(r.desiredCount())
                    .append(r.desiredCount() == 1 ? " task" : " tasks");
        }
        return text.toString();
    }

    /** {@code web:7} from {@code arn:aws:ecs:...:task-definition/web:7}. */
    private static String family(String arn) {
        int slash = arn.lastIndexOf('/');
        return slash >= 0 ? arn.substring(slash + 1) : arn;
    }

    /** "Register task definition" for REGISTER_TASK_DEFINITION. */
    static String stepName(String name) {
        if (name == null || name.isEmpty()) {
            return "Step";
        }
        String lower = name.toLowerCase(Locale.ROOT).replace('_', ' ');
        return Character.toUpperCase(lower.charAt(0)) + lower.substring(1);
    }
}
