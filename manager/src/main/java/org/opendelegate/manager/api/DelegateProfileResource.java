package org.opendelegate.manager.api;

import io.javalin.config.RoutesConfig;
import java.util.Map;
import org.opendelegate.manager.http.JsonBody;
import org.opendelegate.manager.http.RequestPrincipal;
import org.opendelegate.manager.http.Routes;
import org.opendelegate.manager.problems.DomainProblem;
import org.opendelegate.manager.profiles.DelegateProfiles;
import org.opendelegate.manager.profiles.ProfileInput;
import org.opendelegate.manager.profiles.ProfileView;
import org.opendelegate.manager.security.Principal;

/** Delegate profiles, their versions, a group's profile, and a delegate's last profile output. */
public final class DelegateProfileResource implements Routes {
    /** The body of {@code PUT /api/v1/delegate-groups/{id}/profile}; a null id clears the group's profile. */
    record GroupProfileBody(String profileId) {}

    private final DelegateProfiles profiles;

    public DelegateProfileResource(DelegateProfiles profiles) {
        this.profiles = profiles;
    }

    @Override
    public void addTo(RoutesConfig routes) {
        routes.get("/api/v1/delegate-profiles", AccountReads.list("profiles", profiles::list));
        routes.post("/api/v1/delegate-profiles", ctx -> {
            Principal principal = RequestPrincipal.of(ctx).requireAdmin();
            ProfileInput body = JsonBody.read(ctx, ProfileInput.class);
            if (body.baseVersion() != null) {
                throw DomainProblem.invalidField("baseVersion", "is for edits (PUT) only; leave it out when creating.");
            }
            ProfileView created = profiles.create(principal, body);
            AccountReads.created(ctx, "/api/v1/delegate-profiles/" + created.id(), created);
        });
        routes.get("/api/v1/delegate-profiles/{id}", AccountReads.item(profiles::get));
        routes.put("/api/v1/delegate-profiles/{id}", ctx -> {
            Principal principal = RequestPrincipal.of(ctx).requireAdmin();
            ctx.json(profiles.update(principal, ctx.pathParam("id"), JsonBody.read(ctx, ProfileInput.class)));
        });
        routes.delete("/api/v1/delegate-profiles/{id}", ctx -> {
            profiles.delete(RequestPrincipal.of(ctx).requireAdmin(), ctx.pathParam("id"));
            ctx.status(204);
        });
        routes.get(
                "/api/v1/delegate-profiles/{id}/versions",
                ctx -> ctx.json(Map.of(
                        "versions", profiles.versions(RequestPrincipal.of(ctx).accountId(), ctx.pathParam("id")))));
        routes.get("/api/v1/delegate-groups/{id}/profile", AccountReads.item(profiles::groupProfile));
        routes.put("/api/v1/delegate-groups/{id}/profile", ctx -> {
            Principal principal = RequestPrincipal.of(ctx).requireAdmin();
            GroupProfileBody body = JsonBody.read(ctx, GroupProfileBody.class);
            ctx.json(profiles.setGroupProfile(principal, ctx.pathParam("id"), body.profileId()));
        });
        routes.get("/api/v1/delegates/{id}/profile-output", AccountReads.item(profiles::output));
    }
}
