package org.opendelegate.manager.api;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import org.opendelegate.manager.audit.AuditQuery;
import org.opendelegate.manager.audit.AuditTrail;
import org.opendelegate.manager.http.RequestPrincipal;
import org.opendelegate.manager.http.Routes;

/** {@code GET /api/v1/audit}: the account's audit trail, filtered and paged newest first (admins only). */
public final class AuditResource implements Routes {
    private final AuditTrail trail;

    public AuditResource(AuditTrail trail) {
        this.trail = trail;
    }

    @Override
    public void addTo(RoutesConfig routes) {
        routes.get("/api/v1/audit", ctx -> ctx.json(trail.search(RequestPrincipal.of(ctx), query(ctx))));
    }

    static AuditQuery query(Context ctx) {
        return new AuditQuery(
                ctx.queryParam("actor"),
                ctx.queryParam("action"),
                ctx.queryParam("targetType"),
                ctx.queryParam("targetId"),
                ctx.queryParam("from"),
                ctx.queryParam("to"),
                ctx.queryParam("before"),
                ctx.queryParam("limit"));
    }
}
