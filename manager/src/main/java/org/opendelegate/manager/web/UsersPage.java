package org.opendelegate.manager.web;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.time.Instant;
import java.util.List;
import org.opendelegate.manager.http.Routes;
import org.opendelegate.manager.problems.DomainProblem;
import org.opendelegate.manager.users.SignedIn;
import org.opendelegate.manager.users.UserAccounts;
import org.opendelegate.manager.users.UserView;

/** Administration → Users: who can sign in; an admin adds users and resets passwords. */
public final class UsersPage implements Routes {
    /** The whole page. */
    public record UsersModel(Shell shell, UserTable table) {}

    /** The list of users. */
    public record UserTable(List<UserRow> users, boolean canChange, String me) {}

    /** One user as a row. */
    public record UserRow(
            String id,
            String username,
            boolean admin,
            String created,
            String createdBy,
            String lastSignIn,
            String lastSignInExact) {}

    private final UserAccounts users;
    private final Pages pages;

    UsersPage(UserAccounts users, Pages pages) {
        this.users = users;
        this.pages = pages;
    }

    @Override
    public void addTo(RoutesConfig routes) {
        routes.get(
                "/setup/users",
                ctx -> pages.render(
                        ctx,
                        "users/page.jte",
                        new UsersModel(
                                pages.shell(ctx, "Users", ConsoleNav.USERS), table(ConsoleRequests.signedIn(ctx)))));
        routes.post("/setup/users", this::create);
        routes.post("/setup/users/password", this::resetPassword);
    }

    private void create(Context ctx) {
        SignedIn user = ConsoleRequests.signedIn(ctx);
        UserView created;
        try {
            created = users.create(
                    user.principal(), ctx.formParam("username"), ctx.formParam("role"), ctx.formParam("password"));
        } catch (DomainProblem e) {
            pages.formErrors(ctx, e, "#user-error");
            return;
        }
        Htmx.events()
                .toast("Added " + created.username() + " as " + created.role().toLowerCase(java.util.Locale.ROOT)
                        + ". Hand them the password in a safe way.")
                .close("user-dialog")
                .send(ctx);
        pages.render(ctx, "users/table.jte", table(user));
    }

    private void resetPassword(Context ctx) {
        SignedIn user = ConsoleRequests.signedIn(ctx);
        UserView changed;
        try {
            changed = users.resetPassword(
                    user.principal(), DelegatesPage.required(ctx, "userId"), ctx.formParam("password"));
        } catch (DomainProblem e) {
            pages.formErrors(ctx, e, "#password-error");
            return;
        }
        Htmx.events()
                .toast("New password set for " + changed.username() + "; their sessions have ended.")
                .close("password-dialog")
                .send(ctx);
        pages.render(ctx, "users/table.jte", table(user));
    }

    private UserTable table(SignedIn user) {
        Instant now = pages.now();
        List<UserRow> rows = users.list(user.accountId()).stream()
                .map(u -> new UserRow(
                        u.id(),
                        u.username(),
                        u.isAdmin(),
                        Ago.of(u.createdAt(), now),
                        u.createdBy(),
                        Ago.of(u.lastSignInAt(), now),
                        Ago.exact(u.lastSignInAt())))
                .toList();
        return new UserTable(rows, user.canChange(), user.username());
    }
}
