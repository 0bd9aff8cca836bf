package org.opendelegate.manager.api;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.HashMap;
import java.util.Map;
import org.opendelegate.manager.dispatch.TaskSource;
import org.opendelegate.manager.http.JsonBody;
import org.opendelegate.manager.http.RequestPrincipal;
import org.opendelegate.manager.http.Routes;
import org.opendelegate.manager.providers.CloudProviderRequest;
import org.opendelegate.manager.providers.CloudProviders;
import org.opendelegate.manager.providers.Lookup;
import org.opendelegate.manager.security.Principal;

/** Cloud providers: create, look, edit, delete, Test, and the lookups a delegate answers for them. */
public final class CloudProviderResource implements Routes {
    private static final String BASE = "/api/v1/cloud-providers";

    private final CloudProviders providers;

    public CloudProviderResource(CloudProviders providers) {
        this.providers = providers;
    }

    @Override
    public void addTo(RoutesConfig routes) {
        routes.get(BASE, AccountReads.list("cloudProviders", providers::list));
        routes.post(BASE, ctx -> {
            Principal principal = RequestPrincipal.of(ctx).requireAdmin();
            var created = providers.create(principal, JsonBody.read(ctx, CloudProviderRequest.class));
            AccountReads.created(ctx, BASE + "/" + created.id(), created);
        });
        routes.get(BASE + "/{id}", AccountReads.item(providers::get));
        routes.put(BASE + "/{id}", ctx -> {
            Principal principal = RequestPrincipal.of(ctx).requireAdmin();
            ctx.json(providers.update(principal, ctx.pathParam("id"), JsonBody.read(ctx, CloudProviderRequest.class)));
        });
        routes.delete(BASE + "/{id}", ctx -> {
            providers.delete(RequestPrincipal.of(ctx), ctx.pathParam("id"));
            ctx.status(204);
        });
        routes.post(BASE + "/{id}/test", ctx -> {
            Principal principal = RequestPrincipal.of(ctx).requireAdmin();
            ctx.future(() -> providers
                    .test(principal, ctx.pathParam("id"), TaskSource.LOOKUP)
                    .thenAccept(ctx::json));
        });
        for (Lookup lookup : Lookup.values()) {
            routes.get(BASE + "/{id}/" + lookup.path(), ctx -> lookup(ctx, lookup));
        }
    }

    private void lookup(Context ctx, Lookup lookup) {
        Principal principal = RequestPrincipal.of(ctx);
        Map<String, String> params = new HashMap<>();
        ctx.queryParamMap().forEach((k, v) -> params.put(k, v.isEmpty() ? null : v.get(0)));
        boolean refresh = "true".equalsIgnoreCase(ctx.queryParam("refresh"));
        ctx.future(() -> providers
                .lookups()
                .lookup(
                        principal,
                        ctx.pathParam("id"),
                        lookup,
                        ctx.queryParam("region"),
                        params,
                        refresh,
                        TaskSource.LOOKUP)
                .thenAccept(ctx::json));
    }
}
