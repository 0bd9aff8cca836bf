package org.opendelegate.manager.dispatch;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.opendelegate.manager.delegates.ResolvedDelegate;
import org.opendelegate.manager.problems.DomainProblem;
import org.opendelegate.manager.store.AffinityDao;
import org.opendelegate.manager.store.AuditDao;
import org.opendelegate.manager.store.Task;
import org.opendelegate.manager.store.TaskDao;
import org.opendelegate.manager.store.TaskDao.OutcomeChange;
import org.opendelegate.manager.store.TaskDao.OutcomeChanges;
import org.opendelegate.manager.store.TaskState;
import org.opendelegate.protocol.ErrorKind;
import org.opendelegate.protocol.OutcomeReport;
import org.opendelegate.protocol.OutcomeReportResponse;
import org.opendelegate.protocol.OutcomeResponse;
import org.opendelegate.protocol.OutcomeStatus;
import org.opendelegate.protocol.Problem;
import org.opendelegate.protocol.TaskOutcome;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies the outcomes a delegate reports, all of one report in one transaction. Each is applied once:
 * only the holder of the current fencing token ends a task; a retried upload of the same outcome is
 * acknowledged; a result whose lease is gone is refused and recorded, never applied. A capability
 * failure with attempts left puts the task back in the queue for another delegate.
 */
public final class TaskOutcomes {
    private static final Logger LOG = LoggerFactory.getLogger(TaskOutcomes.class);

    private final TaskDao tasks;
    private final AffinityDao affinity;
    private final AuditDao audit;
    private final Dispatcher dispatcher;
    private final Clock clock;
    // Reports of several delegates that arrive together share one commit (with new tasks and leases too); each
    // answer waits for its commit.
    private final TaskWrites writes;

    public TaskOutcomes(TaskDao tasks, AffinityDao affinity, AuditDao audit, Dispatcher dispatcher, Clock clock) {
        this.tasks = tasks;
        this.writes = dispatcher.writes();
        this.affinity = affinity;
        this.audit = audit;
        this.dispatcher = dispatcher;
        this.clock = clock;
    }

    /** Applies a report; the answer says, per outcome, what happened to it. */
    public OutcomeReportResponse apply(ResolvedDelegate delegate, OutcomeReport report) {
        List<TaskOutcome> outcomes = check(report);
        Instant now = clock.instant();
        Map<String, Task> found = tasks.findByIds(
                outcomes.stream().map(TaskOutcome::taskId).distinct().toList());
        // A report that names another delegate's lease, or a lease without its id, is refused as a whole.
        for (TaskOutcome o : outcomes) {
            Task t = found.get(o.taskId());
            if (t != null
                    && t.accountId().equals(delegate.accountId())
                    && TaskLeases.namesLeaseOfAnother(t, delegate, o.fencingToken(), o.leaseId())) {
                throw TaskLeases.leaseNotYours(t);
            }
        }
        List<OutcomeChange> changes = new ArrayList<>();
        List<Integer> changeOf = new ArrayList<>();
        for (TaskOutcome o : outcomes) {
            Task t = found.get(o.taskId());
            boolean open = t != null
                    && t.accountId().equals(delegate.accountId())
                    && t.state() == TaskState.RUNNING
                    && delegate.id().equals(t.delegateId())
                    && t.fencingToken() == o.fencingToken();
            changeOf.add(open ? changes.size() : -1);
            if (open) {
                changes.add(change(t, delegate, o, now));
            }
        }
        List<Boolean> applied = changes.isEmpty() ? List.of() : writes.apply(new OutcomeChanges(changes, now));
        List<OutcomeResponse> results = new ArrayList<>();
        for (int i = 0; i < outcomes.size(); i++) {
            TaskOutcome o = outcomes.get(i);
            Task t = found.get(o.taskId());
            int c = changeOf.get(i);
            if (c >= 0 && applied.get(c)) {
                afterApplied(t, delegate, o, changes.get(c), now);
                results.add(new OutcomeResponse(o.taskId(), OutcomeResponse.APPLIED, null));
            } else {
                results.add(notApplied(t, delegate, o));
            }
        }
        return new OutcomeReportResponse(results);
    }

    private static List<TaskOutcome> check(OutcomeReport report) {
        List<TaskOutcome> outcomes = report.outcomes() == null ? List.of() : report.outcomes();
        if (outcomes.size() > OutcomeReport.MAX_OUTCOMES) {
            throw DomainProblem.invalidField(
                    "outcomes",
                    "has " + outcomes.size() + " outcomes; send at most " + OutcomeReport.MAX_OUTCOMES
                            + " per report.");
        }
        List<Problem.FieldError> errors = new ArrayList<>();
        for (int i = 0; i < outcomes.size(); i++) {
            TaskOutcome o = outcomes.get(i);
            if (o == null || o.taskId() == null || o.taskId().isBlank()) {
                errors.add(new Problem.FieldError("outcomes[" + i + "].taskId", "is required."));
            } else if (o.status() == null) {
                errors.add(new Problem.FieldError(
                        "outcomes[" + i + "].status", "is required: SUCCEEDED, FAILED, CANCELLED or TIMED_OUT."));
            }
        }
        if (!errors.isEmpty()) {
            throw DomainProblem.invalid(errors);
        }
        return outcomes;
    }

    private static OutcomeChange change(Task t, ResolvedDelegate delegate, TaskOutcome o, Instant now) {
        String message = o.error() == null ? null : o.error().message();
        ErrorKind kind = o.error() == null ? null : o.error().kind();
        boolean retry = o.status() == OutcomeStatus.FAILED
                && (kind == ErrorKind.CAPABILITY || kind == ErrorKind.UNSUPPORTED)
                && TaskLeases.mayTryAgain(t, now);
        if (retry) {
            return new OutcomeChange(
                    t.id(),
                    t.fencingToken(),
                    true,
                    TaskState.QUEUED,
                    null,
                    kind,
                    delegate.name() + " could not run it (" + kind + "): " + message,
                    "FAILED");
        }
        TaskState state = switch (o.status()) {
            case SUCCEEDED -> TaskState.SUCCEEDED;
            case FAILED -> TaskState.FAILED;
            case CANCELLED -> TaskState.CANCELLED;
            case TIMED_OUT -> TaskState.TIMED_OUT;
        };
        boolean succeeded = state == TaskState.SUCCEEDED;
        return new OutcomeChange(
                t.id(),
                t.fencingToken(),
                false,
                state,
                o.result(),
                succeeded ? null : kind == null ? ErrorKind.TASK : kind,
                succeeded ? null : message,
                o.status().name());
    }

    private void afterApplied(Task t, ResolvedDelegate delegate, TaskOutcome o, OutcomeChange change, Instant now) {
        rememberAffinity(t, delegate, o, now);
        dispatcher.requeuedOrEnded(t, change.requeue());
    }

    /** Routing by history: who succeeded with the task's affinity key, who could not do it. */
    private void rememberAffinity(Task t, ResolvedDelegate delegate, TaskOutcome o, Instant now) {
        if (t.affinityKey() == null) {
            return;
        }
        if (o.status() == OutcomeStatus.SUCCEEDED) {
            affinity.recordSuccess(t.accountId(), t.affinityKey(), delegate.id(), now);
        } else if (o.error() != null && o.error().kind() == ErrorKind.CAPABILITY) {
            affinity.recordCapabilityFailure(
                    t.accountId(),
                    t.affinityKey(),
                    delegate.id(),
                    now,
                    o.error().message());
        }
    }

    // Not applied now: either this very outcome was applied before (the delegate retried its upload), or
    // the lease is gone (expired, rerouted, cancelled) and the result must not count.
    private OutcomeResponse notApplied(Task t, ResolvedDelegate delegate, TaskOutcome o) {
        if (t == null || !t.accountId().equals(delegate.accountId())) {
            return new OutcomeResponse(
                    o.taskId(), OutcomeResponse.REJECTED, "There is no task " + o.taskId() + " in this account.");
        }
        boolean appliedBefore = tasks.attemptOutcome(o.taskId(), o.fencingToken())
                .filter(recorded -> recorded.equals(o.status().name()))
                .isPresent();
        if (appliedBefore) {
            return new OutcomeResponse(o.taskId(), OutcomeResponse.ALREADY_APPLIED, null);
        }
        Task now = tasks.findById(o.taskId()).orElse(t);
        audit.record(
                t.accountId(),
                clock.instant(),
                "delegate:" + delegate.id(),
                "task.late-result-refused",
                "task",
                o.taskId(),
                "delegate=" + delegate.name() + " fencingToken=" + o.fencingToken() + " current=" + now.fencingToken()
                        + " state=" + now.state() + " status=" + o.status());
        LOG.warn(
                "Refused a late {} result for task {} from {} (fencing token {}, current {}, state {})",
                o.status(),
                o.taskId(),
                delegate.name(),
                o.fencingToken(),
                now.fencingToken(),
                now.state());
        return new OutcomeResponse(
                o.taskId(),
                OutcomeResponse.LEASE_LOST,
                TaskLeases.leaseLost(now, o.fencingToken()).getMessage());
    }
}
