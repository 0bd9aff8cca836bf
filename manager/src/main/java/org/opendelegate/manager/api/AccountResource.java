package org.opendelegate.manager.api;

import io.javalin.config.RoutesConfig;
import java.util.Map;
import org.opendelegate.manager.problems.DomainProblem;
import org.opendelegate.manager.http.RequestPrincipal;
import org.opendelegate.manager.security.Principal;
import org.opendelegate.manager.http.Routes;
import org.opendelegate.manager.store.AccountDao;

/** {@code GET /api/v1/account}: the caller's account. */
public final class AccountResource implements Routes {
    private final AccountDao accounts;

    public AccountResource(AccountDao accounts) {
        this.accounts = accounts;
    }

    @Override
    public void addTo(RoutesConfig routes) {
        routes.get("/api/v1/account", ctx -> {
            Principal principal = RequestPrincipal.of(ctx);
            var account = accounts.find(principal.accountId())
                    .orElseThrow(() -> DomainProblem.notFound("account", principal.accountId()));
            ctx.json(Map.of("id", account.id(), "name", account.name(), "createdAt", account.createdAt(),
                    "caller", Map.of("actor", principal.actor(), "role", principal.role().name())));
        });
    }
}
