package org.opendelegate.manager.delegateapi;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.List;
import org.opendelegate.manager.config.DelegateTimings;
import org.opendelegate.manager.delegates.DelegateCredential;
import org.opendelegate.manager.delegates.ResolvedDelegate;
import org.opendelegate.manager.delegates.DelegateSessions;
import org.opendelegate.manager.delegates.DelegateTokens;
import org.opendelegate.manager.dispatch.Dispatcher;
import org.opendelegate.manager.dispatch.TaskLeases;
import org.opendelegate.manager.dispatch.TaskOutcomes;
import org.opendelegate.manager.problems.DomainProblem;
import org.opendelegate.manager.problems.ProblemKind;
import org.opendelegate.manager.http.JsonBody;
import org.opendelegate.manager.http.Routes;
import org.opendelegate.manager.profiles.ProfileRuns;
import org.opendelegate.protocol.DelegateApiPaths;
import org.opendelegate.protocol.DeregisterRequest;
import org.opendelegate.protocol.HeartbeatRequest;
import org.opendelegate.protocol.PollRequest;
import org.opendelegate.protocol.ProfileRunReport;
import org.opendelegate.protocol.ProblemCodes;
import org.opendelegate.protocol.ProtocolVersion;
import org.opendelegate.protocol.RegisterRequest;
import org.opendelegate.protocol.RegisterResponse;
import org.opendelegate.protocol.OutcomeReport;
import org.opendelegate.protocol.TaskProgress;

/**
 * What delegates call. Every call presents the delegate token and account; every call after
 * registration names its delegate and session.
 */
public final class DelegateApiResource implements Routes {
    private final DelegateTokens tokens;
    private final DelegateSessions sessions;
    private final Dispatcher dispatcher;
    private final TaskLeases leases;
    private final TaskOutcomes outcomes;
    private final ProfileRuns profileRuns;
    private final DelegateTimings timings;

    public DelegateApiResource(DelegateTokens tokens, DelegateSessions sessions, Dispatcher dispatcher,
            TaskLeases leases, TaskOutcomes outcomes, ProfileRuns profileRuns, DelegateTimings timings) {
        this.tokens = tokens;
        this.sessions = sessions;
        this.dispatcher = dispatcher;
        this.leases = leases;
        this.outcomes = outcomes;
        this.profileRuns = profileRuns;
        this.timings = timings;
    }

    @Override
    public void addTo(RoutesConfig routes) {
        routes.post(DelegateApiPaths.REGISTER, this::register);
        routes.post(DelegateApiPaths.HEARTBEAT, ctx -> {
            DelegateCredential credential = authenticate(ctx);
            HeartbeatRequest request = JsonBody.read(ctx, HeartbeatRequest.class);
            ResolvedDelegate entry = sessions.heartbeat(credential, request.delegateId(), request.sessionId());
            ctx.json(leases.heartbeat(entry, request.sessionId(), request.runningTaskIds())
                    .withProfile(entry.profile().assignment(false)));
        });
        routes.post(DelegateApiPaths.POLL, ctx -> {
            DelegateCredential credential = authenticate(ctx);
            PollRequest request = JsonBody.read(ctx, PollRequest.class);
            ResolvedDelegate entry = sessions.requireSession(credential, request.delegateId(), request.sessionId());
            if (request.freeSlots() < 0 || request.freeSlots() > entry.delegate().capacity()) {
                throw DomainProblem.invalidField("freeSlots", "is " + request.freeSlots() + "; it must be from 0 to "
                        + "the delegate's capacity (" + entry.delegate().capacity() + ").");
            }
            ctx.future(() -> dispatcher.poll(entry, request.sessionId(), request.freeSlots()).thenAccept(ctx::json));
        });
        routes.post(DelegateApiPaths.TASK_PROGRESS, ctx -> {
            DelegateCredential credential = authenticate(ctx);
            TaskProgress request = JsonBody.read(ctx, TaskProgress.class);
            ResolvedDelegate entry = sessions.requireSession(credential, request.delegateId(), request.sessionId());
            ctx.json(leases.progress(entry, ctx.pathParam("taskId"), request));
        });
        routes.post(DelegateApiPaths.OUTCOMES, ctx -> {
            DelegateCredential credential = authenticate(ctx);
            OutcomeReport report = JsonBody.read(ctx, OutcomeReport.class);
            // Outcomes are fenced by their tokens, not their session: a result finished while the delegate
            // re-registered still counts if its lease does.
            ResolvedDelegate entry = sessions.delegateOf(credential, report.delegateId());
            ctx.json(outcomes.apply(entry, report));
        });
        routes.post(DelegateApiPaths.PROFILE_RUN, ctx -> {
            DelegateCredential credential = authenticate(ctx);
            ProfileRunReport request = JsonBody.read(ctx, ProfileRunReport.class);
            ResolvedDelegate entry = sessions.requireSession(credential, request.delegateId(), request.sessionId());
            ctx.json(profileRuns.record(entry, request));
        });
        routes.post(DelegateApiPaths.DEREGISTER, ctx -> {
            DelegateCredential credential = authenticate(ctx);
            sessions.deregister(credential, JsonBody.read(ctx, DeregisterRequest.class));
            ctx.status(204);
        });
    }

    private void register(Context ctx) {
        DelegateCredential credential = authenticate(ctx);
        RegisterRequest request = JsonBody.read(ctx, RegisterRequest.class);
        ResolvedDelegate entry = sessions.register(credential, request, ctx.ip());
        leases.registered(entry, request.runningTaskIds());
        ctx.json(new RegisterResponse(entry.id(), entry.delegate().sessionId(), entry.group().id(), entry.name(),
                timings.heartbeatInterval().toMillis(), timings.pollWait().toMillis(), timings.lease().toMillis(),
                entry.selectorValues(), entry.profile().assignment(true)));
    }

    private DelegateCredential authenticate(Context ctx) {
        String version = ctx.header(ProtocolVersion.HEADER);
        if (!String.valueOf(ProtocolVersion.CURRENT).equals(version)) {
            throw new DomainProblem(ProblemKind.INVALID, "Unsupported protocol", ProblemCodes.UNSUPPORTED_PROTOCOL,
                    version == null ? "Send the protocol version in the " + ProtocolVersion.HEADER + " header."
                            : "This Manager speaks delegate protocol " + ProtocolVersion.CURRENT + ", not " + version
                                    + ". Upgrade the delegate to the Manager's version.");
        }
        String header = ctx.header("Authorization");
        String token = header != null && header.regionMatches(true, 0, "Bearer ", 0, 7) ? header.substring(7).trim()
                : null;
        return tokens.authenticate(ctx.header(DelegateApiPaths.ACCOUNT_HEADER), token);
    }
}
