package org.opendelegate.manager.web;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.Arrays;
import java.util.List;
import org.opendelegate.manager.delegates.GroupTrust;
import org.opendelegate.manager.http.Routes;
import org.opendelegate.manager.problems.DomainProblem;
import org.opendelegate.manager.users.SignedIn;

/**
 * Setup → Delegates → a group's trusted AWS identities: the ARN patterns whose IAM identity proofs may
 * register delegates into the group (IAM registration). Changes go through {@link GroupTrust}, as the API's do.
 */
public final class TrustedIdentitiesPage implements Routes {
    /** The page: the group, what it trusts, and the text of the editor (one ARN per line). */
    public record TrustModel(Shell shell, GroupTrust.TrustedIdentitiesView trust, String text) {}

    private final GroupTrust groupTrust;
    private final Pages pages;

    TrustedIdentitiesPage(GroupTrust groupTrust, Pages pages) {
        this.groupTrust = groupTrust;
        this.pages = pages;
    }

    @Override
    public void addTo(RoutesConfig routes) {
        routes.get("/setup/delegates/groups/{id}/trusted-identities", ctx -> {
            SignedIn user = ConsoleRequests.signedIn(ctx);
            GroupTrust.TrustedIdentitiesView trust = groupTrust.get(user.accountId(), ctx.pathParam("id"));
            pages.render(
                    ctx,
                    "delegates/trustedIdentities.jte",
                    new TrustModel(
                            pages.shell(ctx, "Trusted identities", ConsoleNav.DELEGATES),
                            trust,
                            String.join("\n", trust.trustedIdentities())));
        });
        routes.post("/setup/delegates/groups/{id}/trusted-identities", this::save);
    }

    private void save(Context ctx) {
        SignedIn user = ConsoleRequests.signedIn(ctx);
        String text = ctx.formParam("trustedIdentities");
        List<String> lines = text == null
                ? List.of()
                : Arrays.stream(text.split("\\R"))
                        .map(String::trim)
                        .filter(l -> !l.isEmpty())
                        .toList();
        GroupTrust.TrustedIdentitiesView saved;
        try {
            saved = groupTrust.set(user.principal(), ctx.pathParam("id"), lines);
        } catch (DomainProblem e) {
            pages.formErrors(ctx, e, "#trust-error");
            return;
        }
        Htmx.events()
                .toast(
                        saved.trustedIdentities().isEmpty()
                                ? "Group " + saved.groupName() + " trusts no AWS identity now."
                                : "Group " + saved.groupName() + " now trusts "
                                        + String.join(", ", saved.trustedIdentities()) + ".")
                .send(ctx);
        pages.render(ctx, "delegates/trustedList.jte", saved);
    }
}
