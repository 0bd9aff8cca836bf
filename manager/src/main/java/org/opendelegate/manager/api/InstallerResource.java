package org.opendelegate.manager.api;

import io.javalin.config.RoutesConfig;
import org.opendelegate.manager.http.DownloadAnswer;
import org.opendelegate.manager.http.JsonBody;
import org.opendelegate.manager.http.RequestPrincipal;
import org.opendelegate.manager.http.Routes;
import org.opendelegate.manager.installers.EcsInstaller;
import org.opendelegate.manager.installers.EcsInstallerRequest;
import org.opendelegate.manager.installers.ShellInstaller;
import org.opendelegate.manager.installers.ShellInstallerRequest;
import org.opendelegate.manager.security.Principal;

/**
 * Download Delegate: the ECS task spec bundle and the shell-script delegate, as {@code .tar.gz} files.
 * Each download makes a new delegate token (unless an existing one is picked); its id comes back in
 * {@code X-OpenDelegate-Token-Id}.
 */
public final class InstallerResource implements Routes {
    private final EcsInstaller ecs;
    private final ShellInstaller shell;

    public InstallerResource(EcsInstaller ecs, ShellInstaller shell) {
        this.ecs = ecs;
        this.shell = shell;
    }

    @Override
    public void addTo(RoutesConfig routes) {
        routes.post("/api/v1/installers/ecs", ctx -> {
            Principal principal = RequestPrincipal.of(ctx).requireAdmin();
            DownloadAnswer.send(ctx, ecs.download(principal, JsonBody.read(ctx, EcsInstallerRequest.class)));
        });
        routes.post("/api/v1/installers/shell", ctx -> {
            Principal principal = RequestPrincipal.of(ctx).requireAdmin();
            DownloadAnswer.send(ctx, shell.download(principal, JsonBody.read(ctx, ShellInstallerRequest.class)));
        });
    }
}
