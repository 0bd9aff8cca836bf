package org.opendelegate.manager.api;

import io.javalin.config.RoutesConfig;
import java.util.Map;
import org.opendelegate.manager.http.JsonBody;
import org.opendelegate.manager.http.RequestPrincipal;
import org.opendelegate.manager.http.Routes;
import org.opendelegate.manager.problems.DomainProblem;
import org.opendelegate.manager.security.Principal;
import org.opendelegate.manager.store.AccountDao;
import org.opendelegate.manager.users.UserAccounts;
import org.opendelegate.manager.users.UserView;

/**
 * The caller's account ({@code GET /api/v1/account}) and its console users: list, add (admin), reset a
 * password (admin). Passwords are never returned.
 */
public final class AccountResource implements Routes {
    /** The body of {@code POST /api/v1/users}. */
    record CreateUserBody(String username, String role, String password) {}

    /** The body of {@code POST /api/v1/users/{id}/password}. */
    record PasswordBody(String password) {}

    private final AccountDao accounts;
    private final UserAccounts users;

    public AccountResource(AccountDao accounts, UserAccounts users) {
        this.accounts = accounts;
        this.users = users;
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
    }
}
