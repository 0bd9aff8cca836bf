package org.opendelegate.manager.delegateapi;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.concurrent.CompletableFuture;
import org.opendelegate.manager.conversation.DelegateConversation;
import org.opendelegate.manager.delegates.DelegateCredential;
import org.opendelegate.manager.delegates.IamRegistration;
import org.opendelegate.manager.delegates.SessionCredential;
import org.opendelegate.manager.http.JsonBody;
import org.opendelegate.manager.http.Routes;
import org.opendelegate.manager.problems.DomainProblem;
import org.opendelegate.manager.problems.ProblemKind;
import org.opendelegate.protocol.DelegateApiPaths;
import org.opendelegate.protocol.DeregisterRequest;
import org.opendelegate.protocol.HeartbeatRequest;
import org.opendelegate.protocol.OutcomeReport;
import org.opendelegate.protocol.PollRequest;
import org.opendelegate.protocol.PollResponse;
import org.opendelegate.protocol.ProblemCodes;
import org.opendelegate.protocol.ProfileRunReport;
import org.opendelegate.protocol.ProtocolVersion;
import org.opendelegate.protocol.RegisterRequest;
import org.opendelegate.protocol.TaskProgress;

/**
 * The delegate protocol over HTTP: each route checks the protocol version, reads the credential (a
 * delegate token to register, the session credential after) and the body, calls {@link DelegateConversation} and writes its answer. The protocol itself reads there.
 */
public final class DelegateApiResource implements Routes {
    private final DelegateConversation conversation;
    private final IamRegistration iamRegistration;

    public DelegateApiResource(DelegateConversation conversation, IamRegistration iamRegistration) {
        this.conversation = conversation;
        this.iamRegistration = iamRegistration;
    }

    @Override
    public void addTo(RoutesConfig routes) {
        routes.post(DelegateApiPaths.REGISTER, ctx -> {
            // A bearer (a delegate token, or the session credential of a delegate registering again) is
            // checked before the body is read; without one the body may carry an AWS identity proof instead
            // (IAM registration, checked by IamRegistration).
            String account = account(ctx);
            String bearer = bearer(ctx);
            DelegateCredential credential = bearer == null ? null : conversation.registrant(account, bearer);
            RegisterRequest request = JsonBody.read(ctx, RegisterRequest.class);
            if (credential == null) {
                credential = request.awsIdentity() != null
                        ? iamRegistration.authenticate(account, request)
                        : conversation.registrant(account, null);
            }
            ctx.json(conversation.register(credential, request, ctx.ip()));
        });
        routes.post(
                DelegateApiPaths.HEARTBEAT,
                ctx -> ctx.json(conversation.heartbeat(caller(ctx), JsonBody.read(ctx, HeartbeatRequest.class))));
        routes.post(DelegateApiPaths.POLL, ctx -> {
            CompletableFuture<PollResponse> answer =
                    conversation.poll(caller(ctx), JsonBody.read(ctx, PollRequest.class));
            ctx.future(() -> answer.thenAccept(ctx::json));
        });
        routes.post(
                DelegateApiPaths.TASK_PROGRESS,
                ctx -> ctx.json(conversation.progress(
                        caller(ctx), ctx.pathParam("taskId"), JsonBody.read(ctx, TaskProgress.class))));
        routes.post(
                DelegateApiPaths.OUTCOMES,
                ctx -> ctx.json(conversation.outcome(caller(ctx), JsonBody.read(ctx, OutcomeReport.class))));
        routes.post(
                DelegateApiPaths.PROFILE_RUN,
                ctx -> ctx.json(conversation.profileRun(caller(ctx), JsonBody.read(ctx, ProfileRunReport.class))));
        routes.post(DelegateApiPaths.DEREGISTER, ctx -> {
            conversation.deregister(caller(ctx), JsonBody.read(ctx, DeregisterRequest.class));
            ctx.status(204);
        });
    }

    /** Checks the protocol version, then the session credential every call after registration carries. */
    private SessionCredential caller(Context ctx) {
        return conversation.caller(account(ctx), bearer(ctx));
    }

    /** The account header, after the protocol version check every call passes first. */
    private static String account(Context ctx) {
        String version = ctx.header(ProtocolVersion.HEADER);
        if (!String.valueOf(ProtocolVersion.CURRENT).equals(version)) {
            throw new DomainProblem(
                    ProblemKind.INVALID,
                    "Unsupported protocol",
                    ProblemCodes.UNSUPPORTED_PROTOCOL,
                    version == null
                            ? "Send the protocol version in the " + ProtocolVersion.HEADER + " header."
                            : "This Manager speaks delegate protocol " + ProtocolVersion.CURRENT + ", not " + version
                                    + ". Upgrade the delegate image to the Manager's version: protocol "
                                    + ProtocolVersion.CURRENT + " binds every call to its session.");
        }
        return ctx.header(DelegateApiPaths.ACCOUNT_HEADER);
    }

    private static String bearer(Context ctx) {
        String header = ctx.header("Authorization");
        return header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)
                ? header.substring(7).trim()
                : null;
    }
}
