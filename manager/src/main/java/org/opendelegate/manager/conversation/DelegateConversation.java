package org.opendelegate.manager.conversation;

import java.util.concurrent.CompletableFuture;
import org.opendelegate.manager.config.DelegateTimings;
import org.opendelegate.manager.delegates.DelegateCredential;
import org.opendelegate.manager.delegates.DelegateSessions;
import org.opendelegate.manager.delegates.DelegateTokens;
import org.opendelegate.manager.delegates.ResolvedDelegate;
import org.opendelegate.manager.dispatch.Dispatcher;
import org.opendelegate.manager.dispatch.TaskLeases;
import org.opendelegate.manager.dispatch.TaskOutcomes;
import org.opendelegate.manager.problems.DomainProblem;
import org.opendelegate.manager.profiles.ProfileRuns;
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
 * and the parts it moves. Every call first proves the delegate token ({@link #authenticate}); every call
 * after registration must belong to the delegate's current session, except an outcome, which its lease's
 * fencing token vouches for. Knows nothing of HTTP: {@code delegateapi/} parses, calls here and renders.
 */
public final class DelegateConversation {
    private final DelegateTokens tokens;
    private final DelegateSessions sessions;
    private final Dispatcher dispatcher;
    private final TaskLeases leases;
    private final TaskOutcomes outcomes;
    private final ProfileRuns profileRuns;
    private final DelegateTimings timings;

    public DelegateConversation(
            DelegateTokens tokens,
            DelegateSessions sessions,
            Dispatcher dispatcher,
            TaskLeases leases,
            TaskOutcomes outcomes,
            ProfileRuns profileRuns,
            DelegateTimings timings) {
        this.tokens = tokens;
        this.sessions = sessions;
        this.dispatcher = dispatcher;
        this.leases = leases;
        this.outcomes = outcomes;
        this.profileRuns = profileRuns;
        this.timings = timings;
    }

    /** Who is calling: the account and delegate token every call presents. */
    public DelegateCredential authenticate(String accountId, String token) {
        return tokens.authenticate(accountId, token);
    }

    /**
     * Registration: the group and name are the delegate's identity (the same ones come back as the same
     * delegate with a new session); tasks it still runs move to the new session, others are rerouted.
     * The answer carries the pace the Manager sets and the profile to apply.
     */
    public RegisterResponse register(DelegateCredential credential, RegisterRequest request, String remoteAddress) {
        ResolvedDelegate delegate = sessions.register(credential, request, remoteAddress);
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
                delegate.profile().assignment(true));
    }

    /**
     * A heartbeat writes twice: the delegate's last heartbeat (many share one commit), then the leases of
     * the tasks it reports, renewed. It answers which tasks to cancel, which it lost, and its profile.
     */
    public HeartbeatResponse heartbeat(DelegateCredential credential, HeartbeatRequest request) {
        ResolvedDelegate delegate = sessions.heartbeat(credential, request.delegateId(), request.sessionId());
        return leases.heartbeat(delegate, request.sessionId(), request.runningTaskIds())
                .withProfile(delegate.profile().assignment(false));
    }

    /**
     * A long poll for work with the slots the delegate has free. The answer leases each task it carries
     * (the poll takes the lease in the same step), or comes empty when the wait is over.
     */
    public CompletableFuture<PollResponse> poll(DelegateCredential credential, PollRequest request) {
        ResolvedDelegate delegate = sessions.requireSession(credential, request.delegateId(), request.sessionId());
        int capacity = delegate.delegate().capacity();
        if (request.freeSlots() < 0 || request.freeSlots() > capacity) {
            throw DomainProblem.invalidField(
                    "freeSlots",
                    "is " + request.freeSlots() + "; it must be from 0 to " + "the delegate's capacity (" + capacity
                            + ").");
        }
        return dispatcher.poll(delegate, request.sessionId(), request.freeSlots());
    }

    /** Log lines of a leased task; they renew its lease. */
    public TaskProgressResponse progress(DelegateCredential credential, String taskId, TaskProgress progress) {
        ResolvedDelegate delegate = sessions.requireSession(credential, progress.delegateId(), progress.sessionId());
        return leases.progress(delegate, taskId, progress);
    }

    /**
     * Outcomes close leases. They are fenced by their tokens, not their session: a result finished while
     * the delegate re-registered still counts if its lease does.
     */
    public OutcomeReportResponse outcome(DelegateCredential credential, OutcomeReport report) {
        return outcomes.apply(sessions.delegateOf(credential, report.delegateId()), report);
    }

    /** How the delegate's run of its profile script went. */
    public ProfileRunResponse profileRun(DelegateCredential credential, ProfileRunReport report) {
        ResolvedDelegate delegate = sessions.requireSession(credential, report.delegateId(), report.sessionId());
        return profileRuns.record(delegate, report);
    }

    /** A graceful goodbye: the delegate shows disconnected at once. */
    public void deregister(DelegateCredential credential, DeregisterRequest request) {
        sessions.deregister(credential, request);
    }
}
