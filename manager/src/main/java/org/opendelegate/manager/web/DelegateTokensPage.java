package org.opendelegate.manager.web;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.opendelegate.manager.delegates.DelegateAdmin;
import org.opendelegate.manager.delegates.DelegateTokens;
import org.opendelegate.manager.delegates.GroupView;
import org.opendelegate.manager.delegates.TokenView;
import org.opendelegate.manager.http.Routes;
import org.opendelegate.manager.problems.DomainProblem;
import org.opendelegate.manager.users.SignedIn;

/** Setup → Delegate Tokens: list, create (the secret is shown once), revoke. */
public final class DelegateTokensPage implements Routes {
    /** The whole page. */
    public record TokensModel(Shell shell, TokenTable table, List<GroupView> groups) {}

    /** The part that changes after create and revoke; {@code created} only right after a create. */
    public record TokenTable(List<TokenRow> tokens, boolean canChange, TokenView created) {}

    /** One token as a row. */
    public record TokenRow(
            String id,
            String name,
            String group,
            boolean active,
            String createdBy,
            String created,
            String createdExact,
            String lastUsed,
            String lastUsedExact,
            String revoked) {}

    private final DelegateTokens tokens;
    private final DelegateAdmin delegateAdmin;
    private final Pages pages;

    DelegateTokensPage(DelegateTokens tokens, DelegateAdmin delegateAdmin, Pages pages) {
        this.tokens = tokens;
        this.delegateAdmin = delegateAdmin;
        this.pages = pages;
    }

    @Override
    public void addTo(RoutesConfig routes) {
        routes.get("/setup/delegate-tokens", ctx -> {
            SignedIn user = ConsoleRequests.signedIn(ctx);
            pages.render(
                    ctx,
                    "tokens/page.jte",
                    new TokensModel(
                            pages.shell(ctx, "Delegate Tokens", ConsoleNav.TOKENS),
                            table(user, null),
                            delegateAdmin.groups(user.accountId())));
        });
        routes.post("/setup/delegate-tokens", this::create);
        routes.post("/setup/delegate-tokens/revoke", this::revoke);
    }

    private void create(Context ctx) {
        SignedIn user = ConsoleRequests.signedIn(ctx);
        String groupId = ctx.formParam("groupId");
        TokenView created;
        try {
            created = tokens.create(
                    user.principal(), ctx.formParam("name"), groupId == null || groupId.isBlank() ? null : groupId);
        } catch (DomainProblem e) {
            pages.formErrors(ctx, e, "#token-error");
            return;
        }
        Htmx.events().close("token-dialog").send(ctx);
        pages.render(ctx, "tokens/table.jte", table(user, created));
    }

    private void revoke(Context ctx) {
        SignedIn user = ConsoleRequests.signedIn(ctx);
        TokenView revoked = tokens.revoke(user.principal(), DelegatesPage.required(ctx, "tokenId"));
        Htmx.events()
                .toast("Revoked delegate token " + revoked.name() + ". Delegates using it are refused within seconds.")
                .send(ctx);
        pages.render(ctx, "tokens/table.jte", table(user, null));
    }

    private TokenTable table(SignedIn user, TokenView created) {
        Instant now = pages.now();
        Map<String, String> groupNames = new HashMap<>();
        delegateAdmin.groups(user.accountId()).forEach(g -> groupNames.put(g.id(), g.name()));
        List<TokenRow> rows = tokens.list(user.accountId()).stream()
                .sorted((a, b) -> b.createdAt().compareTo(a.createdAt()))
                .map(t -> new TokenRow(
                        t.id(),
                        t.name(),
                        t.groupId() == null ? null : groupNames.get(t.groupId()),
                        "ACTIVE".equals(t.status()),
                        t.createdBy(),
                        Ago.of(t.createdAt(), now),
                        Ago.exact(t.createdAt()),
                        Ago.of(t.lastUsedAt(), now),
                        Ago.exact(t.lastUsedAt()),
                        t.revokedAt() == null ? null : Ago.of(t.revokedAt(), now)))
                .toList();
        return new TokenTable(rows, user.canChange(), created);
    }
}
