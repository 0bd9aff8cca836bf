package org.opendelegate.manager.web;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.time.Instant;
import java.util.List;
import org.opendelegate.manager.http.Routes;
import org.opendelegate.manager.problems.DomainProblem;
import org.opendelegate.manager.profiles.DelegateProfiles;
import org.opendelegate.manager.profiles.ProfileInput;
import org.opendelegate.manager.profiles.ProfileRules;
import org.opendelegate.manager.profiles.ProfileVersionView;
import org.opendelegate.manager.profiles.ProfileView;
import org.opendelegate.manager.users.SignedIn;

/**
 * Setup → Delegate Profiles: the list, a profile with its script, version history and the delegates that
 * apply it, and the editor. Every change goes through {@link DelegateProfiles}, as the API's do.
 */
public final class ProfilesPage implements Routes {
    static final String ROOT = "/setup/delegate-profiles";

    /** The list page. */
    public record ListModel(Shell shell, List<ProfileRow> rows, String notice) {}

    /** One profile in the list. */
    public record ProfileRow(
            String id,
            String name,
            int version,
            String description,
            boolean required,
            boolean primary,
            List<String> selectors,
            List<String> groups,
            int delegates,
            long connected,
            long failing,
            String updated,
            String updatedExact,
            String updatedBy) {}

    /** A profile's page. */
    public record DetailModel(
            Shell shell,
            ProfileView profile,
            List<String> scriptLines,
            List<VersionRow> versions,
            List<UserRow> users,
            String updated,
            String notice) {}

    /** One version in the history. */
    public record VersionRow(
            int version,
            String name,
            String description,
            List<String> lines,
            List<String> selectors,
            boolean required,
            int timeoutSeconds,
            String createdBy,
            String created,
            String createdExact) {}

    /** A delegate that applies the profile. */
    public record UserRow(String id, String name, String groupName, boolean connected, ProfileBadge badge) {}

    /** The editor, new (id null) or editing. */
    public record EditorModel(
            Shell shell,
            String id,
            String name,
            String description,
            String script,
            List<String> selectors,
            boolean required,
            int timeoutSeconds,
            Integer baseVersion,
            boolean primary,
            int maxScriptBytes) {}

    private final DelegateProfiles profiles;
    private final Pages pages;

    ProfilesPage(DelegateProfiles profiles, Pages pages) {
        this.profiles = profiles;
        this.pages = pages;
    }

    @Override
    public void addTo(RoutesConfig routes) {
        routes.get(ROOT, this::list);
        routes.get(ROOT + "/new", ctx -> {
            ConsoleRequests.signedIn(ctx).principal().requireAdmin();
            pages.render(
                    ctx,
                    "profiles/editor.jte",
                    new EditorModel(
                            shell(ctx, "New Delegate Profile"),
                            null,
                            "",
                            "",
                            "#!/usr/bin/env bash\nset -euo pipefail\n\n",
                            List.of(),
                            true,
                            ProfileRules.DEFAULT_TIMEOUT_SECONDS,
                            null,
                            false,
                            ProfileRules.MAX_SCRIPT_BYTES));
        });
        routes.post(ROOT, ctx -> save(ctx, null));
        routes.get(ROOT + "/{id}", this::detail);
        routes.get(ROOT + "/{id}/edit", this::edit);
        routes.post(ROOT + "/{id}", ctx -> save(ctx, ctx.pathParam("id")));
        routes.post(ROOT + "/{id}/delete", this::delete);
    }

    private Shell shell(Context ctx, String title) {
        return pages.shell(ctx, title, ConsoleNav.PROFILES);
    }

    private void list(Context ctx) {
        SignedIn user = ConsoleRequests.signedIn(ctx);
        Instant now = pages.now();
        List<ProfileRow> rows = profiles.list(user.accountId()).stream()
                .map(p -> new ProfileRow(
                        p.id(),
                        p.name(),
                        p.version(),
                        p.description(),
                        p.required(),
                        p.primary(),
                        p.selectors(),
                        p.usedBy().groups().stream()
                                .map(ProfileView.GroupRef::name)
                                .toList(),
                        p.usedBy().delegates().size(),
                        p.usedBy().connectedDelegates(),
                        p.usedBy().delegates().stream()
                                .filter(d -> "FAILED".equals(d.profile().status())
                                        || "TIMED_OUT".equals(d.profile().status()))
                                .count(),
                        Ago.of(p.updatedAt(), now),
                        Ago.exact(p.updatedAt()),
                        p.updatedBy()))
                .toList();
        String deleted = ctx.queryParam("deleted");
        pages.render(
                ctx,
                "profiles/list.jte",
                new ListModel(
                        shell(ctx, "Delegate Profiles"),
                        rows,
                        deleted == null ? null : "Deleted profile " + deleted + "."));
    }

    private void detail(Context ctx) {
        SignedIn user = ConsoleRequests.signedIn(ctx);
        Instant now = pages.now();
        ProfileView p = profiles.get(user.accountId(), ctx.pathParam("id"));
        List<VersionRow> versions = profiles.versions(user.accountId(), p.id()).stream()
                .map(v -> version(v, now))
                .toList();
        List<UserRow> users = p.usedBy().delegates().stream()
                .map(d -> new UserRow(
                        d.id(), d.name(), d.groupName(), "CONNECTED".equals(d.status()), ProfileBadge.of(d.profile())))
                .toList();
        String notice = ctx.queryParam("saved") == null
                ? null
                : "Saved version " + p.version() + "."
                        + (users.isEmpty()
                                ? ""
                                : " Its delegates run it again within one heartbeat; watch their status below.");
        pages.render(
                ctx,
                "profiles/detail.jte",
                new DetailModel(
                        shell(ctx, p.name()),
                        p,
                        lines(p.script()),
                        versions,
                        users,
                        Ago.of(p.updatedAt(), now),
                        notice));
    }

    private void edit(Context ctx) {
        SignedIn user = ConsoleRequests.signedIn(ctx);
        user.principal().requireAdmin();
        ProfileView p = profiles.get(user.accountId(), ctx.pathParam("id"));
        pages.render(
                ctx,
                "profiles/editor.jte",
                new EditorModel(
                        shell(ctx, "Edit " + p.name()),
                        p.id(),
                        p.name(),
                        p.description(),
                        p.script(),
                        p.selectors(),
                        p.required(),
                        p.timeoutSeconds(),
                        p.version(),
                        p.primary(),
                        ProfileRules.MAX_SCRIPT_BYTES));
    }

    private void save(Context ctx, String id) {
        SignedIn user = ConsoleRequests.signedIn(ctx);
        ProfileView saved;
        try {
            ProfileInput input = new ProfileInput(
                    ctx.formParam("name"),
                    ctx.formParam("description"),
                    ctx.formParam("script"),
                    ctx.formParams("selector"),
                    ctx.formParam("required") != null,
                    number(ctx, "timeoutSeconds"),
                    id == null ? null : number(ctx, "baseVersion"));
            saved = id == null
                    ? profiles.create(user.principal(), input)
                    : profiles.update(user.principal(), id, input);
        } catch (DomainProblem e) {
            pages.formErrors(ctx, e, "#profile-error");
            return;
        }
        ctx.header("HX-Redirect", ROOT + "/" + saved.id() + "?saved=" + saved.version());
        ctx.status(204);
    }

    private void delete(Context ctx) {
        SignedIn user = ConsoleRequests.signedIn(ctx);
        ProfileView p = profiles.get(user.accountId(), ctx.pathParam("id"));
        profiles.delete(user.principal(), p.id());
        ctx.header(
                "HX-Redirect",
                ROOT + "?deleted=" + java.net.URLEncoder.encode(p.name(), java.nio.charset.StandardCharsets.UTF_8));
        ctx.status(204);
    }

    private static VersionRow version(ProfileVersionView v, Instant now) {
        return new VersionRow(
                v.version(),
                v.name(),
                v.description(),
                lines(v.script()),
                v.selectors(),
                v.required(),
                v.timeoutSeconds(),
                v.createdBy(),
                Ago.of(v.createdAt(), now),
                Ago.exact(v.createdAt()));
    }

    static List<String> lines(String script) {
        if (script == null || script.isEmpty()) {
            return List.of();
        }
        return List.of(
                script.endsWith("\n")
                        ? script.substring(0, script.length() - 1).split("\n", -1)
                        : script.split("\n", -1));
    }

    private static Integer number(Context ctx, String field) {
        String raw = ctx.formParam(field);
        if (raw == null || raw.isBlank()) {
            return null;
        }
        try {
            return Integer.valueOf(raw.trim());
        } catch (NumberFormatException e) {
            throw DomainProblem.invalidField(field, "(`" + raw + "`) is not a whole number.");
        }
    }
}
