package org.opendelegate.manager.api;

import io.javalin.config.RoutesConfig;
import org.opendelegate.manager.http.JsonBody;
import org.opendelegate.manager.http.RequestPrincipal;
import org.opendelegate.manager.http.Routes;
import org.opendelegate.manager.secrets.AccountSecrets;
import org.opendelegate.manager.secrets.SecretRequest;
import org.opendelegate.manager.secrets.SecretView;
import org.opendelegate.manager.security.Principal;

/**
 * The secret store: list and read metadata (anyone in the account), create, change (a new value is a new
 * version) and delete (admins). No answer ever carries a value.
 */
public final class SecretResource implements Routes {
    private static final String BASE = "/api/v1/secrets";

    private final AccountSecrets secrets;

    public SecretResource(AccountSecrets secrets) {
        this.secrets = secrets;
    }

    @Override
    public void addTo(RoutesConfig routes) {
        routes.get(BASE, AccountReads.list("secrets", secrets::list));
        routes.get(
                BASE + "/{name}",
                ctx -> ctx.json(secrets.get(RequestPrincipal.of(ctx).accountId(), ctx.pathParam("name"))));
        routes.post(BASE, ctx -> {
            // The role is checked before the body is read: a viewer's value is never even parsed.
            Principal principal = RequestPrincipal.of(ctx).requireAdmin();
            SecretView created = secrets.create(principal, JsonBody.read(ctx, SecretRequest.class));
            AccountReads.created(ctx, BASE + "/" + created.name(), created);
        });
        routes.put(BASE + "/{name}", ctx -> {
            Principal principal = RequestPrincipal.of(ctx).requireAdmin();
            ctx.json(secrets.update(principal, ctx.pathParam("name"), JsonBody.read(ctx, SecretRequest.class)));
        });
        routes.delete(BASE + "/{name}", ctx -> {
            secrets.delete(RequestPrincipal.of(ctx).requireAdmin(), ctx.pathParam("name"));
            ctx.status(204);
        });
    }
}
