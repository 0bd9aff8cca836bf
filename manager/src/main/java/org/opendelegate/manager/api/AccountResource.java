package org.opendelegate.manager.api;

import io.javalin.config.RoutesConfig;
import java.util.Map;
import org.opendelegate.manager.http.JsonBody;
import org.opendelegate.manager.http.RequestPrincipal;
import org.opendelegate.manager.http.Routes;
import org.opendelegate.manager.problems.DomainProblem;
import org.opendelegate.manager.security.Principal;
import org.opendelegate.manager.store.AccountDao;
import org.opendelegate.manager.users.ApiKeyView;
import org.opendelegate.manager.users.ApiKeys;
import org.opendelegate.manager.users.UserAccounts;
import org.opendelegate.manager.users.UserView;

/**
 * The caller's account ({@code GET /api/v1/account}) and its console users: list, add, reset a password,
 * change role or disabled state, delete, and their API keys (all changes admin only). Passwords are never
 * returned; an API key's secret only in the answer that created it.
 */
public final class AccountResource implements Routes {
    /** The body of {@code POST /api/v1/users}. */
    record CreateUserBody(String username, String role, String password) {}

    /** The body of {@code POST /api/v1/users/{id}/password}. */
    record PasswordBody(String password) {}

    /** The body of {@code PATCH /api/v1/users/{id}}: what should change; absent members stay. */
    record ChangeUserBody(String role, Boolean disabled) {}

    /** The body of {@code POST /api/v1/users/{id}/api-keys}. */
    record CreateApiKeyBody(String name) {}

    private final AccountDao accounts;
    private final UserAccounts users;
    private final ApiKeys apiKeys;

    public AccountResource(AccountDao accounts, UserAccounts users, ApiKeys apiKeys) {
        this.accounts = accounts;
        this.users = users;
        this.apiKeys = apiKeys;
    }

    @Override
    public void addTo(RoutesConfig routes) {
        routes.get("/api/v1/account", ctx -> {
            Principal principal = RequestPrincipal.of(ctx);
            var account = accounts.find(principal.accountId())
                    .orElseThrow(() -> DomainProblem.notFound("account", principal.accountId()));
            ctx.json(Map.of(
                    "id",
                    account.id(),
                    "name",
                    account.name(),
                    "createdAt",
                    account.createdAt(),
                    "caller",
                    Map.of("actor", principal.actor(), "role", principal.role().name())));
        });
        routes.get("/api/v1/users", AccountReads.list("users", users::list));
        routes.get("/api/v1/users/{id}", AccountReads.item(users::user));
        routes.post("/api/v1/users", ctx -> {
            Principal principal = RequestPrincipal.of(ctx).requireAdmin();
            CreateUserBody body = JsonBody.read(ctx, CreateUserBody.class);
            UserView created = users.create(principal, body.username(), body.role(), body.password());
            AccountReads.created(ctx, "/api/v1/users/" + created.id(), created);
        });
        routes.post("/api/v1/users/{id}/password", ctx -> {
            Principal principal = RequestPrincipal.of(ctx).requireAdmin();
            PasswordBody body = JsonBody.read(ctx, PasswordBody.class);
            ctx.json(users.resetPassword(principal, ctx.pathParam("id"), body.password()));
        });
        routes.patch("/api/v1/users/{id}", ctx -> {
            Principal principal = RequestPrincipal.of(ctx).requireAdmin();
            ChangeUserBody body = JsonBody.read(ctx, ChangeUserBody.class);
            ctx.json(users.change(principal, ctx.pathParam("id"), body.role(), body.disabled()));
        });
        routes.delete("/api/v1/users/{id}", ctx -> {
            users.delete(RequestPrincipal.of(ctx).requireAdmin(), ctx.pathParam("id"));
            ctx.status(204);
        });
        routes.get(
                "/api/v1/users/{id}/api-keys",
                ctx -> ctx.json(Map.of("apiKeys", apiKeys.list(RequestPrincipal.of(ctx), ctx.pathParam("id")))));
        routes.post("/api/v1/users/{id}/api-keys", ctx -> {
            Principal principal = RequestPrincipal.of(ctx).requireAdmin();
            CreateApiKeyBody body = JsonBody.read(ctx, CreateApiKeyBody.class);
            ApiKeyView created = apiKeys.create(principal, ctx.pathParam("id"), body.name());
            AccountReads.created(ctx, "/api/v1/users/" + ctx.pathParam("id") + "/api-keys/" + created.id(), created);
        });
        routes.delete(
                "/api/v1/users/{id}/api-keys/{keyId}",
                ctx -> ctx.json(apiKeys.revoke(RequestPrincipal.of(ctx), ctx.pathParam("id"), ctx.pathParam("keyId"))));
    }
}
