package org.opendelegate.manager.web;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.opendelegate.manager.http.Routes;
import org.opendelegate.manager.problems.DomainProblem;
import org.opendelegate.manager.security.Role;
import org.opendelegate.manager.users.SignedIn;
import org.opendelegate.manager.users.UserAccounts;
import org.opendelegate.manager.users.UserView;

/**
 * Administration → Users: who can sign in; an admin adds users, resets passwords, changes roles, disables,
 * enables and deletes users. The service refuses what would leave the account without an active admin.
 */
public final class UsersPage implements Routes {
    /** The whole page. */
    public record UsersModel(Shell shell, UserTable table) {}

    /** The list of users. */
    public record UserTable(List<UserRow> users, boolean canChange, String me, List<String> roles) {}

    /** One user as a row. */
    public record UserRow(
            String id,
            String username,
            boolean admin,
            String created,
            String createdBy,
            String lastSignIn,
            String lastSignInExact,
            String role,
            String roleLabel,
            boolean disabled,
            String disabledSince) {}

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
        routes.post("/setup/users/role", ctx -> change(ctx, ctx.formParam("role"), null));
        routes.post("/setup/users/disable", ctx -> change(ctx, null, true));
        routes.post("/setup/users/enable", ctx -> change(ctx, null, false));
        routes.post("/setup/users/delete", this::delete);
    }

    private void change(Context ctx, String role, Boolean disabled) {
        SignedIn user = ConsoleRequests.signedIn(ctx);
        UserView changed;
        try {
            changed = users.change(user.principal(), DelegatesPage.required(ctx, "userId"), role, disabled);
        } catch (DomainProblem e) {
            pages.formErrors(ctx, e, "#user-action-error");
            return;
        }
        String what = disabled == null
                ? "is now " + Role.valueOf(changed.role()).label().toLowerCase(Locale.ROOT)
                : disabled ? "is disabled; their sessions and API keys stopped" : "is enabled";
        Htmx.events().toast(changed.username() + " " + what + ".").send(ctx);
        pages.render(ctx, "users/table.jte", table(user));
    }

    private void delete(Context ctx) {
        SignedIn user = ConsoleRequests.signedIn(ctx);
        String id = DelegatesPage.required(ctx, "userId");
        String name;
        try {
            name = users.user(user.accountId(), id).username();
            users.delete(user.principal(), id);
        } catch (DomainProblem e) {
            pages.formErrors(ctx, e, "#user-action-error");
            return;
        }
        Htmx.events().toast("Deleted " + name + ".").send(ctx);
        pages.render(ctx, "users/table.jte", table(user));
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
                        Ago.exact(u.lastSignInAt()),
                        u.role(),
                        Role.valueOf(u.role()).label(),
                        u.disabled(),
                        u.disabled() ? Ago.of(u.disabledAt(), now) : ""))
                .toList();
        return new UserTable(
                rows,
                user.canAdminister(),
                user.username(),
                Arrays.stream(Role.values()).map(Role::name).toList());
    }
}
