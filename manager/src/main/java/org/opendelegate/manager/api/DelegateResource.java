package org.opendelegate.manager.api;

import io.javalin.config.RoutesConfig;
import java.util.List;
import org.opendelegate.manager.delegates.DelegateAdmin;
import org.opendelegate.manager.delegates.DelegateFilter;
import org.opendelegate.manager.delegates.DelegateListings;
import org.opendelegate.manager.delegates.GroupView;
import org.opendelegate.manager.http.JsonBody;
import org.opendelegate.manager.http.RequestPrincipal;
import org.opendelegate.manager.http.Routes;
import org.opendelegate.manager.problems.DomainProblem;
import org.opendelegate.manager.security.Principal;
import org.opendelegate.manager.store.GroupScopes;

/**
 * Delegates (list a page of them, filtered; look at one, delete a disconnected one) and delegate groups: create one (locked), their
 * selectors and scopes, lock one and issue it a bound token, unlock one.
 */
public final class DelegateResource implements Routes {
    /** The body of {@code PUT /api/v1/delegate-groups/{id}/selectors}. */
    record SelectorsBody(List<String> selectors) {}

    /** The body of {@code POST /api/v1/delegate-groups}. */
    record CreateGroupBody(String name, List<String> selectors) {}

    /** The optional body of {@code POST /api/v1/delegate-groups/{id}/lock}. */
    record LockBody(String tokenName) {}

    private final DelegateAdmin delegateAdmin;

    public DelegateResource(DelegateAdmin delegateAdmin) {
        this.delegateAdmin = delegateAdmin;
    }

    @Override
    public void addTo(RoutesConfig routes) {
        routes.get("/api/v1/delegates", ctx -> {
            String accountId = RequestPrincipal.of(ctx).accountId();
            DelegateFilter filter = DelegateFilter.of(
                    ctx.queryParam("status"), ctx.queryParam("group"), ctx.queryParam("selector"), ctx.queryParam("q"));
            int limit = DelegateListings.limit(ctx.queryParam("limit"));
            ctx.json(delegateAdmin.listings().page(accountId, filter, ctx.queryParam("cursor"), limit));
        });
        routes.get("/api/v1/delegates/{id}", AccountReads.item(delegateAdmin::delegate));
        routes.delete("/api/v1/delegates/{id}", ctx -> {
            delegateAdmin.deleteDelegate(RequestPrincipal.of(ctx), ctx.pathParam("id"));
            ctx.status(204);
        });
        routes.get("/api/v1/delegate-groups", AccountReads.list("groups", delegateAdmin::groups));
        routes.get("/api/v1/delegate-groups/{id}", ctx -> {
            String accountId = RequestPrincipal.of(ctx).accountId();
            int limit = DelegateListings.limit(ctx.queryParam("limit"));
            ctx.json(delegateAdmin.group(accountId, ctx.pathParam("id"), ctx.queryParam("cursor"), limit));
        });
        routes.post("/api/v1/delegate-groups", ctx -> {
            Principal principal = RequestPrincipal.of(ctx).requireAdmin();
            CreateGroupBody body = JsonBody.read(ctx, CreateGroupBody.class);
            GroupView created = delegateAdmin.createGroup(principal, body.name(), body.selectors());
            AccountReads.created(ctx, "/api/v1/delegate-groups/" + created.id(), created);
        });
        routes.post("/api/v1/delegate-groups/{id}/lock", ctx -> {
            Principal principal = RequestPrincipal.of(ctx).requireAdmin();
            LockBody body = JsonBody.readIfSent(ctx, LockBody.class);
            String tokenName = body == null ? null : body.tokenName();
            ctx.json(delegateAdmin.lockAndIssueToken(principal, ctx.pathParam("id"), tokenName));
        });
        routes.post(
                "/api/v1/delegate-groups/{id}/unlock",
                ctx -> ctx.json(delegateAdmin.unlock(RequestPrincipal.of(ctx).requireAdmin(), ctx.pathParam("id"))));
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
