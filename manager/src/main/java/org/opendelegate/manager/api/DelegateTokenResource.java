package org.opendelegate.manager.api;

import io.javalin.config.RoutesConfig;
import java.util.Map;
import org.opendelegate.manager.delegates.DelegateTokens;
import org.opendelegate.manager.delegates.RotationView;
import org.opendelegate.manager.delegates.TokenRequest;
import org.opendelegate.manager.delegates.TokenView;
import org.opendelegate.manager.http.JsonBody;
import org.opendelegate.manager.http.RequestPrincipal;
import org.opendelegate.manager.http.Routes;
import org.opendelegate.manager.security.Principal;

/**
 * Delegate tokens: list, read, create (the secret is in that answer only), the delegates that use one,
 * rotate (the new secret is in that answer only) and revoke.
 */
public final class DelegateTokenResource implements Routes {
    /** The body of {@code POST /api/v1/delegate-tokens}. */
    record CreateBody(String name, String groupId, String expiresAt, Integer maxDelegates, Boolean singleUse) {}

    /** The body of {@code POST /api/v1/delegate-tokens/{id}/rotate}; it may be empty ({@code {}}). */
    record RotateBody(Long graceSeconds) {}

    private final DelegateTokens tokens;

    public DelegateTokenResource(DelegateTokens tokens) {
        this.tokens = tokens;
    }

    @Override
    public void addTo(RoutesConfig routes) {
        routes.get("/api/v1/delegate-tokens", AccountReads.list("tokens", tokens::list));
        routes.get("/api/v1/delegate-tokens/{id}", AccountReads.item(tokens::token));
        routes.get(
                "/api/v1/delegate-tokens/{id}/delegates",
                ctx -> ctx.json(Map.of(
                        "delegates", tokens.delegates(RequestPrincipal.of(ctx).accountId(), ctx.pathParam("id")))));
        routes.post("/api/v1/delegate-tokens", ctx -> {
            Principal principal = RequestPrincipal.of(ctx).requireAdmin();
            CreateBody body = JsonBody.read(ctx, CreateBody.class);
            TokenView created = tokens.create(
                    principal,
                    new TokenRequest(
                            body.name(), body.groupId(), body.expiresAt(), body.maxDelegates(), body.singleUse()));
            AccountReads.created(ctx, "/api/v1/delegate-tokens/" + created.id(), created);
        });
        routes.post("/api/v1/delegate-tokens/{id}/rotate", ctx -> {
            Principal principal = RequestPrincipal.of(ctx).requireAdmin();
            RotateBody body = JsonBody.read(ctx, RotateBody.class);
            RotationView rotated = tokens.rotate(principal, ctx.pathParam("id"), body.graceSeconds());
            AccountReads.created(
                    ctx, "/api/v1/delegate-tokens/" + rotated.token().id(), rotated);
        });
        routes.post(
                "/api/v1/delegate-tokens/{id}/revoke",
                ctx -> ctx.json(tokens.revoke(RequestPrincipal.of(ctx), ctx.pathParam("id"))));
    }
}
