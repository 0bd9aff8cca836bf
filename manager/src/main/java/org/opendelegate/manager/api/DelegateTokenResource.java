package org.opendelegate.manager.api;

import io.javalin.config.RoutesConfig;
import org.opendelegate.manager.delegates.DelegateTokens;
import org.opendelegate.manager.delegates.TokenView;
import org.opendelegate.manager.http.JsonBody;
import org.opendelegate.manager.http.RequestPrincipal;
import org.opendelegate.manager.http.Routes;
import org.opendelegate.manager.security.Principal;

/** Delegate tokens: list, create (the secret is in that answer only), revoke. */
public final class DelegateTokenResource implements Routes {
    /** The body of {@code POST /api/v1/delegate-tokens}. */
    record CreateBody(String name, String groupId) {}

    private final DelegateTokens tokens;

    public DelegateTokenResource(DelegateTokens tokens) {
        this.tokens = tokens;
    }

    @Override
    public void addTo(RoutesConfig routes) {
        routes.get("/api/v1/delegate-tokens", AccountReads.list("tokens", tokens::list));
        routes.post("/api/v1/delegate-tokens", ctx -> {
            Principal principal = RequestPrincipal.of(ctx).requireAdmin();
            CreateBody body = JsonBody.read(ctx, CreateBody.class);
            TokenView created = tokens.create(principal, body.name(), body.groupId());
            AccountReads.created(ctx, "/api/v1/delegate-tokens/" + created.id(), created);
        });
        routes.post(
                "/api/v1/delegate-tokens/{id}/revoke",
                ctx -> ctx.json(tokens.revoke(RequestPrincipal.of(ctx), ctx.pathParam("id"))));
    }
}
