package org.opendelegate.manager.web;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.time.Instant;
import java.util.List;
import org.opendelegate.manager.http.Routes;
import org.opendelegate.manager.problems.DomainProblem;
import org.opendelegate.manager.secrets.AccountSecrets;
import org.opendelegate.manager.secrets.SecretDetail;
import org.opendelegate.manager.secrets.SecretRequest;
import org.opendelegate.manager.secrets.SecretView;
import org.opendelegate.manager.users.SignedIn;

/**
 * Setup → Secrets: the account's secret store. Admins add secrets, set new values (a new version), edit
 * descriptions and delete; everyone else reads the list. A value goes in through a password field and is never
 * shown or filled in again. Each secret's versions and the tasks that used it are one click away.
 */
public final class SecretsPage implements Routes {
    /** The whole page. */
    public record SecretsModel(Shell shell, SecretTable table) {}

    /** The list of secrets. */
    public record SecretTable(List<SecretRow> secrets, boolean canChange) {}

    /** One secret as a row. */
    public record SecretRow(
            String name,
            String description,
            int version,
            long usedByTasks,
            long activeTasks,
            String updated,
            String updatedBy) {}

    /** One secret's page: its versions and where it is used. */
    public record SecretDetailModel(Shell shell, SecretDetail detail, Instant now) {
        public String ago(Instant at) {
            return Ago.of(at, now);
        }
    }

    private final AccountSecrets secrets;
    private final Pages pages;

    SecretsPage(AccountSecrets secrets, Pages pages) {
        this.secrets = secrets;
        this.pages = pages;
    }

    @Override
    public void addTo(RoutesConfig routes) {
        routes.get(
                "/setup/secrets",
                ctx -> pages.render(
                        ctx,
                        "secrets/page.jte",
                        new SecretsModel(
                                pages.shell(ctx, "Secrets", ConsoleNav.SECRETS),
                                table(ConsoleRequests.signedIn(ctx)))));
        routes.get("/setup/secrets/{name}", ctx -> {
            SignedIn user = ConsoleRequests.signedIn(ctx);
            SecretDetail detail = secrets.get(user.accountId(), ctx.pathParam("name"));
            pages.render(
                    ctx,
                    "secrets/detail.jte",
                    new SecretDetailModel(
                            pages.shell(ctx, "Secret " + detail.secret().name(), ConsoleNav.SECRETS),
                            detail,
                            pages.now()));
        });
        routes.post("/setup/secrets", this::create);
        routes.post("/setup/secrets/update", this::update);
        routes.post("/setup/secrets/delete", this::delete);
    }

    private void create(Context ctx) {
        SignedIn user = ConsoleRequests.signedIn(ctx);
        SecretView created;
        try {
            created = secrets.create(
                    user.principal(),
                    new SecretRequest(ctx.formParam("name"), ctx.formParam("description"), ctx.formParam("value")));
        } catch (DomainProblem e) {
            pages.formErrors(ctx, e, "#secret-error");
            return;
        }
        Htmx.events()
                .toast("Added secret " + created.name() + "; tasks reference it as secret:" + created.name() + ".")
                .close("secret-dialog")
                .send(ctx);
        pages.render(ctx, "secrets/table.jte", table(user));
    }

    private void update(Context ctx) {
        SignedIn user = ConsoleRequests.signedIn(ctx);
        String value = ctx.formParam("value");
        SecretView changed;
        try {
            changed = secrets.update(
                    user.principal(),
                    DelegatesPage.required(ctx, "name"),
                    new SecretRequest(
                            null, ctx.formParam("description"), value == null || value.isEmpty() ? null : value));
        } catch (DomainProblem e) {
            pages.formErrors(ctx, e, "#update-error");
            return;
        }
        Htmx.events()
                .toast("Saved " + changed.name()
                        + (value == null || value.isEmpty() ? "." : "; it is now version " + changed.version() + "."))
                .send(ctx);
        pages.render(
                ctx,
                "secrets/summary.jte",
                new SecretDetailModel(
                        pages.shell(ctx, "Secret " + changed.name(), ConsoleNav.SECRETS),
                        secrets.get(user.accountId(), changed.name()),
                        pages.now()));
    }

    private void delete(Context ctx) {
        SignedIn user = ConsoleRequests.signedIn(ctx);
        String name = DelegatesPage.required(ctx, "name");
        try {
            secrets.delete(user.principal(), name);
        } catch (DomainProblem e) {
            pages.formErrors(ctx, e, "#secret-action-error");
            return;
        }
        Htmx.events().toast("Deleted secret " + name + ".").send(ctx);
        pages.render(ctx, "secrets/table.jte", table(user));
    }

    private SecretTable table(SignedIn user) {
        Instant now = pages.now();
        List<SecretRow> rows = secrets.list(user.accountId()).stream()
                .map(s -> new SecretRow(
                        s.name(),
                        s.description(),
                        s.version(),
                        s.usedByTasks(),
                        s.activeTasks(),
                        Ago.of(s.updatedAt(), now),
                        s.updatedBy()))
                .toList();
        return new SecretTable(rows, user.canAdminister());
    }
}
