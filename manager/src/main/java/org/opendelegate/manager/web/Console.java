package org.opendelegate.manager.web;

import java.time.Clock;
import java.util.List;
import org.opendelegate.manager.audit.AuditTrail;
import org.opendelegate.manager.config.ManagerConfig;
import org.opendelegate.manager.delegates.DelegateAdmin;
import org.opendelegate.manager.delegates.DelegateTokens;
import org.opendelegate.manager.delegates.GroupTrust;
import org.opendelegate.manager.deployments.Deployments;
import org.opendelegate.manager.dispatch.TaskService;
import org.opendelegate.manager.http.ProblemPage;
import org.opendelegate.manager.http.Routes;
import org.opendelegate.manager.http.TaskLogStreams;
import org.opendelegate.manager.installers.EcsInstaller;
import org.opendelegate.manager.installers.ShellInstaller;
import org.opendelegate.manager.limits.Quotas;
import org.opendelegate.manager.profiles.DelegateProfiles;
import org.opendelegate.manager.providers.CloudProviders;
import org.opendelegate.manager.secrets.AccountSecrets;
import org.opendelegate.manager.users.ConsoleSessions;
import org.opendelegate.manager.users.SignInThrottle;
import org.opendelegate.manager.users.UserAccounts;

/**
 * The web console's parts, wired by hand: sessions, sign-in, the pages and their assets. The pages call
 * the same services as the REST API; nothing here decides a business rule.
 */
public final class Console {
    private final ConsoleErrors errors;
    private final List<Routes> routes;

    public Console(
            ManagerConfig config,
            UserAccounts users,
            ConsoleSessions sessions,
            DelegateAdmin delegateAdmin,
            DelegateTokens tokens,
            TaskService tasks,
            EcsInstaller ecs,
            ShellInstaller shell,
            CloudProviders providers,
            String version,
            Clock clock,
            DelegateProfiles profiles,
            GroupTrust groupTrust,
            AuditTrail auditTrail,
            Quotas quotas,
            AccountSecrets secrets,
            SecretNames secretNames,
            Deployments deployments,
            SignInThrottle signInThrottle) {
        Templates templates = new Templates();
        this.errors = new ConsoleErrors(templates, sessions, version);
        Pages pages = new Pages(templates, version, clock);
        DownloadDelegateDialog download =
                new DownloadDelegateDialog(ecs, shell, delegateAdmin, tokens, pages, config.delegateImage());
        DeploymentsPage deploymentPages = new DeploymentsPage(deployments, tasks, pages);
        DelegateBoard board = new DelegateBoard(
                delegateAdmin, profiles, tasks, config.timings().ephemeralRetention(), clock);
        this.routes = List.of(
                new ConsoleAssets(),
                new SessionAuthenticator(sessions),
                new LoginPage(sessions, signInThrottle, new SameOrigin(config.externalUrl()), pages),
                new DelegatesPage(delegateAdmin, board, pages, download, profiles, tasks, clock),
                download,
                // Before the task pages: /tasks/run must not be read as the page of a task with the id "run".
                new RunScriptPage(tasks, delegateAdmin, secretNames, pages),
                // Before the deployment pages: /deployments/new is the form, not the deployment "new".
                new DeployPage(deployments, providers, deploymentPages, pages),
                deploymentPages,
                new TasksPage(
                        tasks,
                        new TaskList(tasks, delegateAdmin, clock),
                        pages,
                        new TaskLogStreams(tasks, clock),
                        config.store().taskRetention()),
                new DelegateTokensPage(tokens, delegateAdmin, pages),
                new CloudProvidersPage(providers, pages),
                new ProviderBrowser(providers, pages),
                new UsersPage(users, pages),
                new SecretsPage(secrets, pages),
                new ProfilesPage(profiles, pages),
                new TrustedIdentitiesPage(groupTrust, pages),
                new AuditPage(auditTrail, users, delegateAdmin, tokens, pages),
                new LimitsPage(quotas, pages));
    }

    public List<Routes> routes() {
        return routes;
    }

    public ProblemPage errors() {
        return errors;
    }
}
