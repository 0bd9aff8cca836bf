package org.opendelegate.manager.api;

import io.javalin.config.RoutesConfig;
import java.util.Map;
import org.opendelegate.manager.http.JsonBody;
import org.opendelegate.manager.http.RequestPrincipal;
import org.opendelegate.manager.security.Principal;
import org.opendelegate.manager.http.Routes;
import org.opendelegate.manager.users.UserAccounts;
import org.opendelegate.manager.users.UserView;

/** Console users: list, add (admin), reset a password (admin). Passwords are never returned. */
public final class UserResource implements Routes {
    /** The body of {@code POST /api/v1/users}. */
    record CreateBody(String username, String role, String password) {
    }

    /** The body of {@code POST /api/v1/users/{id}/password}. */
    record PasswordBody(String password) {
    }

    private final UserAccounts users;

    public UserResource(UserAccounts users) {
        this.users = users;
    }

    @Override
    public void addTo(RoutesConfig routes) {
        routes.get("/api/v1/users", ctx -> ctx.json(Map.of("users", users.list(RequestPrincipal.of(ctx).accountId()))));
        routes.get("/api/v1/users/{id}", ctx -> ctx.json(users.user(RequestPrincipal.of(ctx).accountId(),
                ctx.pathParam("id"))));
        routes.post("/api/v1/users", ctx -> {
            Principal principal = RequestPrincipal.of(ctx).requireAdmin();
            CreateBody body = JsonBody.read(ctx, CreateBody.class);
            UserView created = users.create(principal, body.username(), body.role(), body.password());
            ctx.status(201).header("Location", "/api/v1/users/" + created.id()).json(created);
        });
        routes.post("/api/v1/users/{id}/password", ctx -> {
            Principal principal = RequestPrincipal.of(ctx).requireAdmin();
            PasswordBody body = JsonBody.read(ctx, PasswordBody.class);
            ctx.json(users.resetPassword(principal, ctx.pathParam("id"), body.password()));
        });
    }
}
