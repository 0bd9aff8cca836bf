package org.opendelegate.manager.providers;

import java.util.LinkedHashMap;
import java.util.Map;
import org.opendelegate.manager.dispatch.TaskView;
import org.opendelegate.manager.problems.DomainProblem;
import org.opendelegate.manager.problems.ProblemKind;

/**
 * Why a provider's task did not answer, as a problem a person can act on; never a 500. The HTTP status
 * says whose move it is:
 * <ul>
 *   <li>424 {@code NO_ELIGIBLE_DELEGATE}: no connected delegate has the provider's selectors (or supports
 *       the task); the body carries the selection log: give a delegate group the selector.</li>
 *   <li>502 {@code DELEGATE_COULD_NOT_CALL_AWS}: the delegates that tried could not (access denied for their
 *       role, expired credentials, AWS unreachable from their network); another delegate might.</li>
 *   <li>422 {@code AWS_REFUSED}: AWS refused the request itself (an unknown VPC id, a bad region, the
 *       provider's own access key denied); fix the request or the provider.</li>
 *   <li>504 {@code LOOKUP_TIMED_OUT}: no answer within the lookup's time budget.</li>
 *   <li>409 {@code LOOKUP_CANCELLED}: someone cancelled the task.</li>
 * </ul>
 * Every one names the task, whose page shows its log and selection log. The detail is the sentence for a
 * person; what AWS or its SDK said verbatim goes to the extension member {@code technicalDetails}
 * ({@link FailureText}).
 */
final class TaskProblems {
    private TaskProblems() {}

    static DomainProblem of(TaskView task, String what) {
        DomainProblem problem = withAllDetails(task, what);
        FailureText text = FailureText.of(problem.detail());
        if (text.details() == null) {
            return problem;
        }
        Map<String, Object> more = new LinkedHashMap<>(problem.extensions());
        more.put("technicalDetails", text.details());
        return new DomainProblem(problem.kind(), problem.title(), problem.code(), text.sentence()).with(more);
    }

    private static DomainProblem withAllDetails(TaskView task, String what) {
        String message = task.error() == null || task.error().message() == null
                ? "no reason was given"
                : task.error().message();
        String kind = task.error() == null ? null : task.error().kind();
        TaskView.Attempt failed = lastFailedAttempt(task);
        if ("NOT_ASSIGNED".equals(task.state()) && failed != null) {
            // A delegate tried and could not; that failure is the news, not that no one else could try after it.
            return new DomainProblem(
                            ProblemKind.OUTSIDE_FAILED,
                            "The delegate could not call AWS",
                            "DELEGATE_COULD_NOT_CALL_AWS",
                            what + " failed on delegate `" + failed.delegateName() + "`: "
                                    + failed.detail().replaceFirst("^.*? could not run it \\([A-Z]+\\): ", "")
                                    + ". No other eligible delegate could try it.")
                    .with(extensions(task, "CAPABILITY", failed.delegateName()));
        }
        DomainProblem problem = switch (task.state()) {
            case "NOT_ASSIGNED" ->
                new DomainProblem(
                        ProblemKind.DEPENDENCY_MISSING,
                        "No eligible delegate",
                        "NO_ELIGIBLE_DELEGATE",
                        what + " needs a delegate, and none could take it. " + message);
            case "FAILED" ->
                "TASK".equals(kind)
                        ? new DomainProblem(
                                ProblemKind.REFUSED_OUTSIDE,
                                "AWS refused the request",
                                "AWS_REFUSED",
                                what + " failed: " + message)
                        : new DomainProblem(
                                ProblemKind.OUTSIDE_FAILED,
                                "The delegate could not call AWS",
                                "DELEGATE_COULD_NOT_CALL_AWS",
                                what + " failed on "
                                        + (task.delegateName() == null
                                                ? "the delegate"
                                                : "delegate `" + task.delegateName() + "`")
                                        + ": " + message);
            case "CANCELLED" ->
                new DomainProblem(
                        ProblemKind.CONFLICT, "Cancelled", "LOOKUP_CANCELLED", what + " was cancelled: " + message);
            case "TIMED_OUT" ->
                new DomainProblem(
                        ProblemKind.OUTSIDE_TIMED_OUT,
                        "Timed out",
                        "LOOKUP_TIMED_OUT",
                        what + " got no answer in time: " + message);
            default ->
                new DomainProblem(
                        ProblemKind.OUTSIDE_TIMED_OUT,
                        "Timed out",
                        "LOOKUP_TIMED_OUT",
                        what + " is still " + task.state().toLowerCase(java.util.Locale.ROOT)
                                + " after its time budget; see the task.");
        };
        return problem.with(extensions(task, kind, task.delegateName()));
    }

    private static Map<String, Object> extensions(TaskView task, String kind, String delegateName) {
        Map<String, Object> more = new LinkedHashMap<>();
        more.put("taskId", task.id());
        more.put("taskUrl", "/tasks/" + task.id());
        if (kind != null) {
            more.put("errorKind", kind);
        }
        if (delegateName != null) {
            more.put("delegateName", delegateName);
        }
        if (task.selectionLog() != null) {
            more.put("selectionLog", task.selectionLog());
        }
        return more;
    }

    private static TaskView.Attempt lastFailedAttempt(TaskView task) {
        if (task.attempts() == null) {
            return null;
        }
        TaskView.Attempt last = null;
        for (TaskView.Attempt a : task.attempts()) {
            if ("FAILED".equals(a.outcome()) && a.detail() != null) {
                last = a;
            }
        }
        return last;
    }
}
