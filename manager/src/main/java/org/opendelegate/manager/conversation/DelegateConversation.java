package org.opendelegate.manager.conversation;

import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import org.opendelegate.manager.config.DelegateTimings;
import org.opendelegate.manager.delegates.DelegateCredential;
import org.opendelegate.manager.delegates.DelegateSessions;
import org.opendelegate.manager.delegates.DelegateTokens;
import org.opendelegate.manager.delegates.ResolvedDelegate;
import org.opendelegate.manager.delegates.SessionCredential;
import org.opendelegate.manager.delegates.SessionCredentials;
import org.opendelegate.manager.dispatch.Dispatcher;
import org.opendelegate.manager.dispatch.ScriptAudit;
import org.opendelegate.manager.dispatch.TaskLeases;
import org.opendelegate.manager.dispatch.TaskOutcomes;
import org.opendelegate.manager.problems.DomainProblem;
import org.opendelegate.manager.problems.FieldRules;
import org.opendelegate.manager.profiles.ProfileRuns;
import org.opendelegate.manager.store.AuditDao;
import org.opendelegate.protocol.DeregisterRequest;
import org.opendelegate.protocol.HeartbeatRequest;
import org.opendelegate.protocol.HeartbeatResponse;
import org.opendelegate.protocol.OutcomeReport;
import org.opendelegate.protocol.OutcomeReportResponse;
import org.opendelegate.protocol.PollRequest;
import org.opendelegate.protocol.PollResponse;
import org.opendelegate.protocol.ProfileRunReport;
import org.opendelegate.protocol.ProfileRunResponse;
import org.opendelegate.protocol.RegisterRequest;
import org.opendelegate.protocol.RegisterResponse;
import org.opendelegate.protocol.TaskProgress;
import org.opendelegate.protocol.TaskProgressResponse;

/**
 * The delegate protocol, Manager side, in one place: every call a delegate makes, in the order of its life
 * (register, heartbeat, poll, progress, outcome, profile run, deregister), with the checks each call makes
 * and the parts it moves. A registration proves a delegate token (or the session credential of the delegate
 * it re-registers) and answers a new session credential; every later call presents that credential
 * ({@link #caller}) and must name its delegate and session, whose token must still be live
 * ({@link SessionGate}). Calls about a task must name its lease: fencing token and lease id. Every call
 * but an outcome must belong to the delegate's current session; an outcome's lease vouches for it. Knows
 * nothing of HTTP: {@code delegateapi/} parses, calls here and renders.
 */
public final class DelegateConversation {
    private final DelegateSessions sessions;
    private final Dispatcher dispatcher;
    private final TaskLeases leases;
    private final TaskOutcomes outcomes;
    private final ProfileRuns profileRuns;
    private final DelegateTimings timings;
    private final SessionCredentials credentials;
    private final SessionGate gate;
    private final ScriptAudit scriptAudit;

    public DelegateConversation(
            DelegateTokens tokens,
            SessionCredentials credentials,
            AuditDao audit,
            Clock clock,
            DelegateSessions sessions,
            Dispatcher dispatcher,
            TaskLeases leases,
            TaskOutcomes outcomes,
            ProfileRuns profileRuns,
            DelegateTimings timings) {
        this.sessions = sessions;
        this.dispatcher = dispatcher;
        this.leases = leases;
        this.outcomes = outcomes;
        this.profileRuns = profileRuns;
        this.timings = timings;
        this.credentials = credentials;
        this.gate = new SessionGate(tokens, credentials, sessions, leases, audit, clock);
        this.scriptAudit = new ScriptAudit(audit, clock);
    }

    /** Who registers: a delegate token, or the session credential of the delegate that registers again. */
    public DelegateCredential registrant(String accountId, String secret) {
        return gate.registration(accountId, secret);
    }

    /** Who makes a call after registration: the session its credential belongs to. */
    public SessionCredential caller(String accountId, String sessionCredential) {
        return gate.caller(accountId, sessionCredential);
    }

    /**
     * Registration: the group and name are the delegate's identity (the same ones come back as the same
     * delegate with a new session); tasks it still runs move to the new session, others are rerouted.
     * The answer carries the pace the Manager sets and the profile to apply.
     */
    public RegisterResponse register(DelegateCredential credential, RegisterRequest request, String remoteAddress) {
        ResolvedDelegate delegate = gate.audited(
                credential.accountId(),
                credential.actor(),
                "register",
                () -> sessions.register(credential, request, remoteAddress));
        String sessionToken =
                credentials.issue(delegate.id(), delegate.delegate().sessionId());
        leases.registered(delegate, request.runningTaskIds());
        return new RegisterResponse(
                delegate.id(),
                delegate.delegate().sessionId(),
                delegate.group().id(),
                delegate.name(),
                timings.heartbeatInterval().toMillis(),
                timings.pollWait().toMillis(),
                timings.lease().toMillis(),
                delegate.selectorValues(),
                delegate.profile().assignment(true),
                sessionToken);
    }

    /**
     * A heartbeat writes twice: the delegate's last heartbeat (many share one commit), then the leases of
     * the tasks it reports, renewed. It answers which tasks to cancel, which it lost, and its profile.
     */
    public HeartbeatResponse heartbeat(SessionCredential caller, HeartbeatRequest request) {
        gate.require(caller, request.delegateId(), request.sessionId(), true, "heartbeat");
        // Checked before the heartbeat is written: a refused heartbeat changes nothing.
        new FieldRules()
                .entries(
                        "runningTaskIds",
                        request.runningTaskIds(),
                        FieldRules.MAX_RUNNING_TASK_IDS,
                        FieldRules.MAX_TASK_ID)
                .throwIfAny();
        ResolvedDelegate delegate = sessions.heartbeat(caller.accountId(), request.delegateId(), request.sessionId());
        return leases.heartbeat(delegate, request.sessionId(), request.runningTaskIds())
                .withProfile(delegate.profile().assignment(false));
    }

    /**
     * A long poll for work with the slots the delegate has free. The answer leases each task it carries
     * (the poll takes the lease in the same step), or comes empty when the wait is over.
     */
    public CompletableFuture<PollResponse> poll(SessionCredential caller, PollRequest request) {
        ResolvedDelegate delegate = gate.require(caller, request.delegateId(), request.sessionId(), true, "poll");
        int capacity = delegate.delegate().capacity();
        if (request.freeSlots() < 0 || request.freeSlots() > capacity) {
            throw DomainProblem.invalidField(
                    "freeSlots",
                    "is " + request.freeSlots() + "; it must be from 0 to " + "the delegate's capacity (" + capacity
                            + ").");
        }
        return dispatcher
                .poll(delegate, request.sessionId(), request.freeSlots())
                .thenApply(answer -> {
                    scriptAudit.assigned(delegate, answer.assignments());
                    return answer;
                });
    }

    /** Log lines of a task leased to this session (fencing token and lease id); they renew its lease. */
    public TaskProgressResponse progress(SessionCredential caller, String taskId, TaskProgress progress) {
        ResolvedDelegate delegate = gate.require(caller, progress.delegateId(), progress.sessionId(), true, "progress");
        return gate.audited(
                caller.accountId(),
                "delegate:" + delegate.id(),
                "progress",
                () -> leases.progress(delegate, taskId, progress));
    }

    /**
     * Outcomes close leases. They are fenced by their tokens and lease ids, not their session: a result
     * finished while the delegate re-registered still counts if its lease does.
     */
    public OutcomeReportResponse outcome(SessionCredential caller, OutcomeReport report) {
        ResolvedDelegate delegate = gate.require(caller, report.delegateId(), report.sessionId(), false, "outcome");
        return gate.audited(
                caller.accountId(), "delegate:" + delegate.id(), "outcome", () -> outcomes.apply(delegate, report));
    }

    /** How the delegate's run of its profile script went. */
    public ProfileRunResponse profileRun(SessionCredential caller, ProfileRunReport report) {
        ResolvedDelegate delegate = gate.require(caller, report.delegateId(), report.sessionId(), true, "profile-run");
        return profileRuns.record(delegate, report);
    }

    /** A graceful goodbye: the delegate shows disconnected at once. */
    public void deregister(SessionCredential caller, DeregisterRequest request) {
        gate.require(caller, request.delegateId(), request.sessionId(), true, "deregister");
        sessions.deregister(caller.accountId(), request);
    }
}
