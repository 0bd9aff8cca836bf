package org.opendelegate.manager.api;

import io.javalin.config.RoutesConfig;
import java.util.List;
import org.opendelegate.manager.delegates.GroupTrust;
import org.opendelegate.manager.http.JsonBody;
import org.opendelegate.manager.http.RequestPrincipal;
import org.opendelegate.manager.http.Routes;
import org.opendelegate.manager.security.Principal;

/** The AWS identities a delegate group trusts for IAM registration: read and replace them. */
public final class TrustedIdentityResource implements Routes {
    /** The body of {@code PUT /api/v1/delegate-groups/{id}/trusted-identities}. */
    record TrustedIdentitiesBody(List<String> trustedIdentities) {}

    private final GroupTrust groupTrust;

    public TrustedIdentityResource(GroupTrust groupTrust) {
        this.groupTrust = groupTrust;
    }

    @Override
    public void addTo(RoutesConfig routes) {
        routes.get("/api/v1/delegate-groups/{id}/trusted-identities", AccountReads.item(groupTrust::get));
        routes.put("/api/v1/delegate-groups/{id}/trusted-identities", ctx -> {
            Principal principal = RequestPrincipal.of(ctx).requireAdmin();
            TrustedIdentitiesBody body = JsonBody.read(ctx, TrustedIdentitiesBody.class);
            ctx.json(groupTrust.set(principal, ctx.pathParam("id"), body.trustedIdentities()));
        });
    }
}
