package org.opendelegate.manager.web;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.opendelegate.manager.delegates.DelegateAdmin;
import org.opendelegate.manager.delegates.DelegateView;
import org.opendelegate.manager.delegates.GroupView;
import org.opendelegate.manager.dispatch.TaskService;
import org.opendelegate.manager.http.Routes;
import org.opendelegate.manager.problems.DomainProblem;
import org.opendelegate.manager.profiles.DelegateProfiles;
import org.opendelegate.manager.profiles.ProfileOutputView;
import org.opendelegate.manager.users.SignedIn;

/**
 * Setup → Delegates: the delegates by group, a page at a time and filtered by name, selector or status,
 * the page shown refreshed in place every few seconds (and only that page); group selectors;
 * locking a group (with a new bound token) and unlocking it; deleting a disconnected delegate. Every change goes through {@link DelegateAdmin}, as the API's do.
 */
public final class DelegatesPage implements Routes {
    /**
     * The model of the whole page; {@code board} is the part that refreshes itself, {@code install} the
     * Download Delegate dialog (null for viewers).
     */
    public record DelegatesModel(
            Shell shell, Board board, BoardQuery query, InstallDialog install, List<ProfileOption> profiles) {}

    /** A delegate's last profile output, for the dialog. */
    public record OutputModel(ProfileOutputView view, ProfileBadge badge) {}

    /** A profile an admin can set on a group. */
    public record ProfileOption(String id, String name, int version) {}

    /**
     * A delegate's own page: everything its row on the Delegates page leaves out.
     *
     * @param row what the row shows, with each selector's source
     */
    public record DelegateModel(
            Shell shell, DelegateView d, DelegateRow row, String connectedSince, String firstRegistered) {}

    private final DelegateAdmin delegateAdmin;
    private final DelegateBoard board;
    private final Pages pages;
    private final DownloadDelegateDialog download;
    private final DelegateProfiles profiles;
    private final TaskService tasks;
    private final Clock clock;

    DelegatesPage(
            DelegateAdmin delegateAdmin,
            DelegateBoard board,
            Pages pages,
            DownloadDelegateDialog download,
            DelegateProfiles profiles,
            TaskService tasks,
            Clock clock) {
        this.profiles = profiles;
        this.tasks = tasks;
        this.clock = clock;
        this.delegateAdmin = delegateAdmin;
        this.board = board;
        this.pages = pages;
        this.download = download;
    }

    @Override
    public void addTo(RoutesConfig routes) {
        routes.get("/setup", ctx -> ctx.redirect("/setup/delegates"));
        routes.get("/setup/delegates", ctx -> {
            SignedIn user = ConsoleRequests.signedIn(ctx);
            BoardQuery query = BoardQuery.of(ctx);
            if ("board".equals(ctx.header("HX-Target"))) {
                // The filter box and the pager ask for the board alone; the address bar keeps the page's.
                pages.render(ctx, "delegates/board.jte", board.build(user, query));
                return;
            }
            pages.render(
                    ctx,
                    "delegates/page.jte",
                    new DelegatesModel(
                            pages.shell(ctx, "Delegates", ConsoleNav.DELEGATES),
                            board.build(user, query),
                            query,
                            download.dialog(user),
                            user.canAdminister()
                                    ? profiles.list(user.accountId()).stream()
                                            .map(p -> new ProfileOption(p.id(), p.name(), p.version()))
                                            .toList()
                                    : List.of()));
        });
        routes.get("/setup/delegates/profile-output", this::profileOutput);
        routes.post("/setup/delegates/group-profile", this::saveGroupProfile);
        routes.get("/setup/delegates/board", this::renderBoard);
        routes.post("/setup/delegates/group-selectors", this::saveSelectors);
        routes.post("/setup/delegates/delete", this::delete);
        routes.post("/setup/delegates/group-lock", this::lock);
        routes.post("/setup/delegates/group-unlock", this::unlock);
        // Last: the fixed paths above are not delegate ids.
        routes.get("/setup/delegates/{id}", this::delegatePage);
    }

    private void delegatePage(Context ctx) {
        SignedIn user = ConsoleRequests.signedIn(ctx);
        DelegateView d = delegateAdmin.delegate(user.accountId(), ctx.pathParam("id"));
        Instant now = clock.instant();
        int running = tasks.runningCounts(user.accountId(), List.of(d.id())).getOrDefault(d.id(), 0);
        pages.render(
                ctx,
                "delegates/delegate.jte",
                new DelegateModel(
                        pages.shell(ctx, d.name(), ConsoleNav.DELEGATES),
                        d,
                        DelegateRow.of(d, now, running),
                        d.connectedSince() == null ? "—" : Ago.exact(d.connectedSince()),
                        d.firstRegisteredAt() == null ? "—" : Ago.exact(d.firstRegisteredAt())));
    }

    /** Locks a group and issues it a bound token; the answer shows the secret once, above the board. */
    private void lock(Context ctx) {
        SignedIn user = ConsoleRequests.signedIn(ctx);
        DelegateAdmin.LockedGroup locked =
                delegateAdmin.lockAndIssueToken(user.principal(), required(ctx, "groupId"), null);
        Htmx.events()
                .toast("Locked group " + locked.group().name() + " and issued token "
                        + locked.token().name() + ".")
                .send(ctx);
        pages.render(ctx, "delegates/locked.jte", locked);
    }

    private void unlock(Context ctx) {
        SignedIn user = ConsoleRequests.signedIn(ctx);
        GroupView unlocked = delegateAdmin.unlock(user.principal(), required(ctx, "groupId"));
        Htmx.events()
                .toast("Unlocked group " + unlocked.name() + ": any delegate token of the account may register "
                        + "into it.")
                .send(ctx);
        renderBoard(ctx);
    }

    private void renderBoard(Context ctx) {
        pages.render(ctx, "delegates/board.jte", board.build(ConsoleRequests.signedIn(ctx), BoardQuery.of(ctx)));
    }

    private void saveSelectors(Context ctx) {
        SignedIn user = ConsoleRequests.signedIn(ctx);
        List<String> selectors = ctx.formParams("selector");
        GroupView saved;
        try {
            saved = delegateAdmin.setGroupSelectors(user.principal(), required(ctx, "groupId"), selectors);
        } catch (DomainProblem e) {
            pages.formErrors(ctx, e, "#selectors-error");
            return;
        }
        String members = saved.delegateCount() == 1 ? "its delegate" : "its " + saved.delegateCount() + " delegates";
        String message = saved.selectors().isEmpty()
                ? "Removed the selectors of group " + saved.name() + "."
                : "Group " + saved.name() + " and " + members + " now answer to " + String.join(", ", saved.selectors())
                        + ".";
        Htmx.events().toast(message).close("selectors-dialog").send(ctx);
        renderBoard(ctx);
    }

    private void profileOutput(Context ctx) {
        SignedIn user = ConsoleRequests.signedIn(ctx);
        String delegateId = ctx.queryParam("delegateId");
        if (delegateId == null || delegateId.isBlank()) {
            throw DomainProblem.invalidField("delegateId", "is required.");
        }
        ProfileOutputView view = profiles.output(user.accountId(), delegateId);
        pages.render(ctx, "profiles/output.jte", new OutputModel(view, ProfileBadge.of(view.profile())));
    }

    private void saveGroupProfile(Context ctx) {
        SignedIn user = ConsoleRequests.signedIn(ctx);
        String profileId = ctx.formParam("profileId");
        DelegateProfiles.GroupProfileView saved;
        try {
            saved = profiles.setGroupProfile(
                    user.principal(),
                    required(ctx, "groupId"),
                    profileId == null || profileId.isBlank() ? null : profileId);
        } catch (DomainProblem e) {
            pages.formErrors(ctx, e, "#group-profile-error");
            return;
        }
        String members = saved.delegateCount() == 1 ? "its delegate" : "its " + saved.delegateCount() + " delegates";
        Htmx.events()
                .toast(
                        saved.profileName() == null
                                ? "Group " + saved.groupName() + ": each delegate applies the "
                                        + "profile it was installed with."
                                : "Group " + saved.groupName() + " now applies profile " + saved.profileName() + "; "
                                        + members + " run it within one heartbeat.")
                .close("group-profile-dialog")
                .send(ctx);
        renderBoard(ctx);
    }

    private void delete(Context ctx) {
        SignedIn user = ConsoleRequests.signedIn(ctx);
        DelegateView delegate = delegateAdmin.delegate(user.accountId(), required(ctx, "delegateId"));
        delegateAdmin.deleteDelegate(user.principal(), delegate.id());
        Htmx.events().toast("Deleted delegate " + delegate.name() + ".").send(ctx);
        renderBoard(ctx);
    }

    static String required(Context ctx, String field) {
        String value = ctx.formParam(field);
        if (value == null || value.isBlank()) {
            throw DomainProblem.invalidField(field, "is required.");
        }
        return value;
    }
}
