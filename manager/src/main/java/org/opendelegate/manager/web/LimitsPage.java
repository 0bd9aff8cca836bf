package org.opendelegate.manager.web;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.List;
import org.opendelegate.manager.http.Routes;
import org.opendelegate.manager.limits.QuotaUsage;
import org.opendelegate.manager.limits.Quotas;
import org.opendelegate.manager.users.SignedIn;

/**
 * Administration → Limits: how much of each per-account quota the account uses ("12 of 10,000
 * delegates"), so an admin sees a limit coming before a registration or a new token is refused. Every
 * signed-in person may look: the counts are no secret, and a viewer asking "why was my delegate refused"
 * finds the answer here.
 */
public final class LimitsPage implements Routes {
    /** The page: one row per quota. */
    public record LimitsModel(Shell shell, List<LimitRow> rows) {}

    /**
     * One quota as a row.
     *
     * @param id a stable id for the row (the quota's name in lower case)
     * @param percent how full it is, 0 to 100, for the bar
     */
    public record LimitRow(String id, String what, String text, String setting, int percent, boolean full) {}

    private final Quotas quotas;
    private final Pages pages;

    LimitsPage(Quotas quotas, Pages pages) {
        this.quotas = quotas;
        this.pages = pages;
    }

    @Override
    public void addTo(RoutesConfig routes) {
        routes.get("/setup/limits", this::show);
    }

    private void show(Context ctx) {
        SignedIn user = ConsoleRequests.signedIn(ctx);
        List<LimitRow> rows =
                quotas.usage(user.accountId()).stream().map(LimitsPage::row).toList();
        pages.render(ctx, "limits/page.jte", new LimitsModel(pages.shell(ctx, "Limits", ConsoleNav.LIMITS), rows));
    }

    static LimitRow row(QuotaUsage usage) {
        String what = usage.quota().many();
        int percent = usage.max() <= 0 ? 100 : (int) Math.min(100, usage.used() * 100 / usage.max());
        return new LimitRow(
                usage.quota().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'),
                Character.toUpperCase(what.charAt(0)) + what.substring(1),
                usage.text(),
                usage.quota().setting(),
                percent,
                usage.full());
    }
}
