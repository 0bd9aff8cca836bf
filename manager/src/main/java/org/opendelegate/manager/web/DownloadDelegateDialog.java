package org.opendelegate.manager.web;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.opendelegate.manager.delegates.DelegateAdmin;
import org.opendelegate.manager.delegates.DelegateTokens;
import org.opendelegate.manager.delegates.GroupView;
import org.opendelegate.manager.http.DownloadAnswer;
import org.opendelegate.manager.http.Routes;
import org.opendelegate.manager.installers.Download;
import org.opendelegate.manager.installers.EcsInstaller;
import org.opendelegate.manager.installers.ShellInstaller;
import org.opendelegate.manager.installers.ShellInstallerRequest;
import org.opendelegate.manager.problems.DomainProblem;
import org.opendelegate.manager.users.SignedIn;
import org.opendelegate.protocol.Problem;

/**
 * Setup → Delegates → Download Delegate: the ECS task spec and the shell delegate, made by the same
 * installers as {@code POST /api/v1/installers/*}. The dialog sends its form with htmx and gets the
 * archive inside the answer, with the steps that follow and the name of the token it made; console.js
 * saves the archive. A plain form POST (no htmx) gets the archive itself, as the API does.
 */
public final class DownloadDelegateDialog implements Routes {
    /** The model of the answer to a successful download from the dialog. */
    public record Downloaded(
            String kind,
            String fileName,
            String archiveBase64,
            String tokenName,
            boolean tokenCreated,
            String groupName,
            List<Download.Step> steps,
            List<String> notices) {}

    private final EcsInstaller ecs;
    private final ShellInstaller shell;
    private final DelegateAdmin delegateAdmin;
    private final DelegateTokens tokens;
    private final Pages pages;
    private final String defaultImage;

    DownloadDelegateDialog(
            EcsInstaller ecs,
            ShellInstaller shell,
            DelegateAdmin delegateAdmin,
            DelegateTokens tokens,
            Pages pages,
            String defaultImage) {
        this.ecs = ecs;
        this.shell = shell;
        this.delegateAdmin = delegateAdmin;
        this.tokens = tokens;
        this.pages = pages;
        this.defaultImage = defaultImage;
    }

    @Override
    public void addTo(RoutesConfig routes) {
        routes.post("/setup/delegates/download/ecs", this::downloadEcs);
        routes.post("/setup/delegates/download/shell", this::downloadShell);
    }

    /** The dialog as a page first shows it; null for viewers, who cannot download. */
    InstallDialog dialog(SignedIn user) {
        if (!user.canAdminister()) {
            return null;
        }
        List<String> groups = delegateAdmin.groups(user.accountId()).stream()
                .map(GroupView::name)
                .sorted(String.CASE_INSENSITIVE_ORDER)
                .toList();
        Map<String, String> groupNames = new LinkedHashMap<>();
        delegateAdmin.groups(user.accountId()).forEach(g -> groupNames.put(g.id(), g.name()));
        List<InstallDialog.TokenOption> active = tokens.list(user.accountId()).stream()
                .filter(t -> "ACTIVE".equals(t.status()))
                .map(t -> new InstallDialog.TokenOption(
                        t.id(),
                        t.name()
                                + (t.groupId() == null
                                        ? " (any group)"
                                        : " (group " + groupNames.getOrDefault(t.groupId(), "?") + ")")))
                .toList();
        List<InstallDialog.FargateCpu> sizes = EcsInstaller.fargateSizes().entrySet().stream()
                .map(e -> new InstallDialog.FargateCpu(e.getKey(), e.getValue()))
                .toList();
        return new InstallDialog(
                user.csrfToken(),
                groups,
                active,
                defaultImage,
                sizes,
                InstallForm.blank(InstallDialog.ECS_DEFAULTS),
                InstallForm.blank(InstallDialog.SHELL_DEFAULTS));
    }

    private void downloadEcs(Context ctx) {
        SignedIn user = ConsoleRequests.signedIn(ctx);
        EcsForm form = EcsForm.read(ctx);
        Download download;
        try {
            if (!form.problems().isEmpty()) {
                // A number did not parse: nothing is made, and the form says so with whatever else is wrong.
                ecs.check(form.request());
                refuse(ctx, user, null, form.problems(), "ecs");
                return;
            }
            download = ecs.download(user.principal(), form.request());
        } catch (DomainProblem e) {
            refuse(ctx, user, e, form.problems(), "ecs");
            return;
        }
        answer(ctx, download, "ecs", form.request().delegateGroupName());
    }

    private void downloadShell(Context ctx) {
        SignedIn user = ConsoleRequests.signedIn(ctx);
        Map<String, String> sent = InstallForm.sent(ctx);
        ShellInstallerRequest request = new ShellInstallerRequest(
                sent.get("delegateGroupName"),
                sent.get("profile"),
                sent.get("delegateName"),
                sent.get("tokenName"),
                sent.get("managerCaCert"),
                sent.get("managerCertSha256"));
        Download download;
        try {
            download = shell.download(user.principal(), request);
        } catch (DomainProblem e) {
            refuse(ctx, user, e, Map.of(), "shell");
            return;
        }
        answer(ctx, download, "shell", request.delegateGroupName());
    }

    /**
     * Invalid input: the dialog's form again, as sent, with every problem next to its field (422, which
     * htmx swaps in). Other refusals (not an admin, ...) and plain posts go to the usual error handling.
     */
    private void refuse(Context ctx, SignedIn user, DomainProblem e, Map<String, String> formProblems, String kind) {
        if (e != null && !e.isAboutInput()) {
            throw e;
        }
        if (!ConsoleRequests.isHtmx(ctx)) {
            throw e != null
                    ? e
                    : DomainProblem.invalid(formProblems.entrySet().stream()
                            .map(p -> new Problem.FieldError(p.getKey(), p.getValue()))
                            .toList());
        }
        InstallForm refused = InstallForm.refused(InstallForm.sent(ctx), formProblems, e);
        InstallDialog dialog = dialog(user);
        ctx.status(422);
        if (kind.equals("ecs")) {
            pages.render(ctx, "delegates/ecsForm.jte", dialog.withEcs(refused));
        } else {
            pages.render(ctx, "delegates/shellForm.jte", dialog.withShell(refused));
        }
    }

    private void answer(Context ctx, Download download, String kind, String groupName) {
        if (!ConsoleRequests.isHtmx(ctx)) {
            DownloadAnswer.send(ctx, download);
            return;
        }
        Htmx.retarget(ctx, "#install-result");
        pages.render(
                ctx,
                "delegates/downloaded.jte",
                new Downloaded(
                        kind,
                        download.fileName(),
                        Base64.getEncoder().encodeToString(download.archive()),
                        download.tokenName(),
                        download.tokenCreated(),
                        groupName.trim(),
                        download.steps(),
                        download.notices()));
    }
}
