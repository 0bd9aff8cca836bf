package org.opendelegate.manager.api;

import io.javalin.config.RoutesConfig;
import org.opendelegate.manager.deployments.DeploymentFilter;
import org.opendelegate.manager.deployments.DeploymentRequest;
import org.opendelegate.manager.deployments.DeploymentView;
import org.opendelegate.manager.deployments.Deployments;
import org.opendelegate.manager.http.JsonBody;
import org.opendelegate.manager.http.RequestPrincipal;
import org.opendelegate.manager.http.Routes;
import org.opendelegate.manager.security.Principal;

/** ECS deployments: submit (or preview), list, look, roll back, cancel. A deployment's log is its task's log. */
public final class DeploymentResource implements Routes {
    private final Deployments deployments;

    public DeploymentResource(Deployments deployments) {
        this.deployments = deployments;
    }

    @Override
    public void addTo(RoutesConfig routes) {
        routes.post("/api/v1/deployments", ctx -> {
            DeploymentRequest request = JsonBody.read(ctx, DeploymentRequest.class);
            accepted(ctx, deployments.submit(RequestPrincipal.of(ctx), request));
        });
        routes.get("/api/v1/deployments", ctx -> {
            Principal principal = RequestPrincipal.of(ctx);
            Integer limit = ctx.queryParam("limit") == null
                    ? null
                    : TaskResource.intParam(ctx, "limit", Deployments.DEFAULT_LIMIT, 1, Deployments.MAX_LIMIT);
            ctx.json(deployments.list(
                    principal.accountId(),
                    new DeploymentFilter(ctx.queryParam("cluster"), ctx.queryParam("service"), ctx.queryParam("state")),
                    limit,
                    ctx.queryParam("cursor")));
        });
        routes.get("/api/v1/deployments/{id}", AccountReads.item(deployments::get));
        routes.post(
                "/api/v1/deployments/{id}/rollback",
                ctx -> accepted(ctx, deployments.rollback(RequestPrincipal.of(ctx), ctx.pathParam("id"))));
        routes.post(
                "/api/v1/deployments/{id}/cancel",
                ctx -> ctx.json(deployments.cancel(RequestPrincipal.of(ctx), ctx.pathParam("id"))));
    }

    private static void accepted(io.javalin.http.Context ctx, DeploymentView view) {
        ctx.header("Location", "/api/v1/deployments/" + view.id()).status(202).json(view);
    }
}
