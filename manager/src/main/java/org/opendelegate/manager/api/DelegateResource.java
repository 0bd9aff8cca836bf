package org.opendelegate.manager.api;

import io.javalin.config.RoutesConfig;
import java.util.Map;
import org.opendelegate.manager.delegates.DelegateAdmin;
import org.opendelegate.manager.http.RequestPrincipal;
import org.opendelegate.manager.http.Routes;

/** Delegates: list, look at one, delete a disconnected one. */
public final class DelegateResource implements Routes {
    private final DelegateAdmin delegateAdmin;

    public DelegateResource(DelegateAdmin delegateAdmin) {
        this.delegateAdmin = delegateAdmin;
    }

    @Override
    public void addTo(RoutesConfig routes) {
        routes.get("/api/v1/delegates", ctx -> ctx.json(Map.of("delegates",
                delegateAdmin.delegates(RequestPrincipal.of(ctx).accountId()))));
        routes.get("/api/v1/delegates/{id}", ctx -> ctx.json(
                delegateAdmin.delegate(RequestPrincipal.of(ctx).accountId(), ctx.pathParam("id"))));
        routes.delete("/api/v1/delegates/{id}", ctx -> {
            delegateAdmin.deleteDelegate(RequestPrincipal.of(ctx), ctx.pathParam("id"));
            ctx.status(204);
        });
    }
}
