package org.opendelegate.manager.api;

import io.javalin.config.RoutesConfig;
import java.util.List;
import org.opendelegate.manager.delegates.DelegateAdmin;
import org.opendelegate.manager.http.JsonBody;
import org.opendelegate.manager.http.RequestPrincipal;
import org.opendelegate.manager.http.Routes;
import org.opendelegate.manager.problems.DomainProblem;
import org.opendelegate.manager.security.Principal;
import org.opendelegate.manager.store.GroupScopes;

/** Delegates (list, look at one, delete a disconnected one) and delegate groups with their selectors and scopes. */
public final class DelegateResource implements Routes {
    /** The body of {@code PUT /api/v1/delegate-groups/{id}/selectors}. */
    record SelectorsBody(List<String> selectors) {}

    private final DelegateAdmin delegateAdmin;

    public DelegateResource(DelegateAdmin delegateAdmin) {
        this.delegateAdmin = delegateAdmin;
    }

    @Override
    public void addTo(RoutesConfig routes) {
        routes.get("/api/v1/delegates", AccountReads.list("delegates", delegateAdmin::delegates));
        routes.get("/api/v1/delegates/{id}", AccountReads.item(delegateAdmin::delegate));
        routes.delete("/api/v1/delegates/{id}", ctx -> {
            delegateAdmin.deleteDelegate(RequestPrincipal.of(ctx), ctx.pathParam("id"));
            ctx.status(204);
        });
        routes.get("/api/v1/delegate-groups", AccountReads.list("groups", delegateAdmin::groups));
        routes.get("/api/v1/delegate-groups/{id}", AccountReads.item(delegateAdmin::group));
        routes.put("/api/v1/delegate-groups/{id}/scopes", ctx -> {
            Principal principal = RequestPrincipal.of(ctx).requireAdmin();
            GroupScopes body = JsonBody.read(ctx, GroupScopes.class);
            ctx.json(delegateAdmin.setGroupScopes(principal, ctx.pathParam("id"), body));
        });
        routes.put("/api/v1/delegate-groups/{id}/selectors", ctx -> {
            Principal principal = RequestPrincipal.of(ctx).requireAdmin();
            SelectorsBody body = JsonBody.read(ctx, SelectorsBody.class);
            if (body.selectors() == null) {
                throw DomainProblem.invalidField(
                        "selectors",
                        "is required: a list of selectors, e.g. " + "[\"ecs-prod\"]; send [] to remove them all.");
            }
            ctx.json(delegateAdmin.setGroupSelectors(principal, ctx.pathParam("id"), body.selectors()));
        });
    }
}
