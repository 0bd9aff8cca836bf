package org.opendelegate.manager;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.opendelegate.manager.api.AccountResource;
import org.opendelegate.manager.api.CloudProviderResource;
import org.opendelegate.manager.api.DelegateGroupResource;
import org.opendelegate.manager.api.DelegateProfileResource;
import org.opendelegate.manager.api.DelegateResource;
import org.opendelegate.manager.api.DelegateTokenResource;
import org.opendelegate.manager.api.InstallerResource;
import org.opendelegate.manager.api.TaskLogFollower;
import org.opendelegate.manager.api.TaskResource;
import org.opendelegate.manager.api.UserResource;
import org.opendelegate.manager.bootstrap.Bootstrap;
import org.opendelegate.manager.config.ManagerConfig;
import org.opendelegate.manager.delegateapi.DelegateApiResource;
import org.opendelegate.manager.delegates.DelegateCatalog;
import org.opendelegate.manager.delegates.DelegateDirectory;
import org.opendelegate.manager.delegates.DelegateRegistry;
import org.opendelegate.manager.delegates.DelegateSweeper;
import org.opendelegate.manager.delegates.DelegateTokens;
import org.opendelegate.manager.delegates.ProfileBook;
import org.opendelegate.manager.dispatch.DispatchSweeper;
import org.opendelegate.manager.dispatch.Dispatcher;
import org.opendelegate.manager.dispatch.TaskLeases;
import org.opendelegate.manager.dispatch.TaskOutcomes;
import org.opendelegate.manager.dispatch.TaskSecrets;
import org.opendelegate.manager.dispatch.TaskService;
import org.opendelegate.manager.dispatch.TaskWaiters;
import org.opendelegate.manager.http.ApiAuthenticator;
import org.opendelegate.manager.http.HttpServer;
import org.opendelegate.manager.http.Routes;
import org.opendelegate.manager.installers.EcsInstaller;
import org.opendelegate.manager.installers.ShellInstaller;
import org.opendelegate.manager.ops.ManagerMetrics;
import org.opendelegate.manager.providers.CloudProviders;
import org.opendelegate.manager.providers.ProviderUsage;
import org.opendelegate.manager.ops.OperationsResource;
import org.opendelegate.manager.ops.Version;
import org.opendelegate.manager.profiles.DelegateProfiles;
import org.opendelegate.manager.profiles.ProfileRuns;
import org.opendelegate.manager.security.MasterKey;
import org.opendelegate.manager.security.SecretBox;
import org.opendelegate.manager.security.SecretStore;
import org.opendelegate.manager.store.AccountDao;
import org.opendelegate.manager.store.CloudProviderDao;
import org.opendelegate.manager.store.MasterKeyCheckDao;
import org.opendelegate.manager.store.AffinityDao;
import org.opendelegate.manager.store.ApiKeyDao;
import org.opendelegate.manager.store.AuditDao;
import org.opendelegate.manager.store.Database;
import org.opendelegate.manager.store.DelegateDao;
import org.opendelegate.manager.store.DelegateGroupDao;
import org.opendelegate.manager.store.DelegateProfileDao;
import org.opendelegate.manager.store.ProfileRunDao;
import org.opendelegate.manager.store.DelegateTokenDao;
import org.opendelegate.manager.store.TaskDao;
import org.opendelegate.manager.store.TaskLogDao;
import org.opendelegate.manager.store.TaskState;
import org.opendelegate.manager.store.SessionDao;
import org.opendelegate.manager.store.UserDao;
import org.opendelegate.manager.users.PasswordHasher;
import org.opendelegate.manager.users.UserAccounts;
import org.opendelegate.manager.web.Console;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Manager's composition root: builds every part by hand, starts it, and stops it in stages (stop
 * the clocks, answer parked polls, stop serving, close the store).
 */
public final class ManagerServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ManagerServer.class);

    private final ManagerConfig config;
    private final Database database;
    private final HttpServer http;
    private final Dispatcher dispatcher;
    private final DelegateRegistry registry;
    private final ScheduledExecutorService background;
    private final Bootstrap.Result bootstrap;
    private final SecretBox secrets;
    private final int port;

    private ManagerServer(ManagerConfig config, Clock clock) {
        this.config = config;
        String version = Version.current();
        this.database = Database.open(config.store());
        var jdbi = database.jdbi();
        AccountDao accounts = new AccountDao(jdbi);
        ApiKeyDao apiKeys = new ApiKeyDao(jdbi);
        DelegateDao delegates = new DelegateDao(jdbi);
        DelegateGroupDao groups = new DelegateGroupDao(jdbi);
        DelegateTokenDao tokenDao = new DelegateTokenDao(jdbi);
        TaskDao tasks = new TaskDao(jdbi);
        TaskLogDao taskLogs = new TaskLogDao(jdbi);
        AuditDao audit = new AuditDao(jdbi);

        this.secrets = openSecrets(config, jdbi, clock);
        ManagerMetrics metrics = new ManagerMetrics();
        SessionDao sessionDao = new SessionDao(jdbi);
        UserAccounts users = new UserAccounts(new UserDao(jdbi), sessionDao, audit, new PasswordHasher(), clock);
        DelegateTokens tokens = new DelegateTokens(tokenDao, groups, audit, clock);
        DelegateProfileDao profileDao = new DelegateProfileDao(jdbi);
        this.bootstrap = new Bootstrap(accounts, apiKeys, tokenDao, tokens, users, profileDao, clock)
                .run(config.bootstrap());

        ProfileRunDao profileRunDao = new ProfileRunDao(jdbi);
        DelegateDirectory directory = new DelegateDirectory(delegates, groups, new ProfileBook(profileDao, profileRunDao));
        directory.reload();
        this.registry = new DelegateRegistry(delegates, groups, audit, directory, config.timings(),
                metrics, clock);
        DelegateCatalog catalog = new DelegateCatalog(delegates, groups, audit, directory, config.timings(), clock);
        DelegateProfiles profiles = new DelegateProfiles(profileDao, profileRunDao, directory, catalog, audit, clock);
        AffinityDao affinity = new AffinityDao(jdbi);
        TaskWaiters waiters = new TaskWaiters(tasks);
        this.dispatcher = new Dispatcher(tasks, affinity, directory, config.timings(), config.dispatch(),
                new TaskSecrets(secrets), waiters, clock);
        TaskLeases leases = new TaskLeases(tasks, taskLogs, dispatcher, config.timings(), clock);
        TaskOutcomes outcomes = new TaskOutcomes(tasks, affinity, audit, dispatcher, clock);
        TaskService taskService = new TaskService(tasks, taskLogs, audit, dispatcher, waiters, directory,
                config.dispatch(), secrets, clock);

        CloudProviders providers = new CloudProviders(new CloudProviderDao(jdbi), affinity, audit, secrets, taskService,
                ProviderUsage.NONE, config.providers(), clock);

        this.background = Executors.newScheduledThreadPool(2, r -> {
            Thread t = new Thread(r, "manager-background");
            t.setDaemon(true);
            return t;
        });
        metrics.connectedDelegates(registry::connectedCount);
        metrics.tasksByState(cachedCounts(tasks));

        String managerUrl = config.externalUrl().toString().replaceAll("/+$", "");
        EcsInstaller ecsInstaller = new EcsInstaller(groups, tokens, audit, clock, managerUrl, config.delegateImage(),
                version);
        ShellInstaller shellInstaller = new ShellInstaller(groups, tokens, audit, clock, managerUrl, version);
        InstallerResource installers = new InstallerResource(ecsInstaller, shellInstaller);
        Console console = new Console(config, users, sessionDao, catalog, tokens, taskService, ecsInstaller,
                shellInstaller, providers, version, clock, profiles);
        List<Routes> routes = new ArrayList<>(List.of(new OperationsResource(database, metrics, version),
                new AccountResource(accounts),
                new DelegateResource(catalog),
                new DelegateGroupResource(catalog),
                new DelegateTokenResource(tokens),
                new UserResource(users),
                installers,
                new TaskResource(taskService, new TaskLogFollower(taskService, background)),
                new DelegateProfileResource(profiles),
                new CloudProviderResource(providers),
                new DelegateApiResource(tokens, registry, dispatcher, leases, outcomes,
                        new ProfileRuns(profileRunDao, directory, clock), config.timings())));
        routes.addAll(console.routes());
        this.http = new HttpServer(config.bindHost(), config.port(), metrics, new ApiAuthenticator(apiKeys, clock),
                console.errors(), routes);
        this.port = http.start();

        leases.graceAfterStart();
        DispatchSweeper dispatchSweeper = new DispatchSweeper(tasks, dispatcher, leases, waiters, directory,
                config.timings(), config.dispatch(), clock);
        DelegateSweeper delegateSweeper = new DelegateSweeper(delegates, audit, directory, config.timings(), clock);
        schedule("dispatch sweep", dispatchSweeper::tick, config.dispatch().sweepInterval());
        schedule("delegate sweep", delegateSweeper::tick, Duration.ofSeconds(2));
        schedule("console session sweep", console::sweepSessions, Duration.ofMinutes(5));
        LOG.info("OpenDelegate Manager {} listening on {}:{} with {}", version, config.bindHost(), port,
                config.store().describe());
    }

    /** Starts a Manager with the given configuration. */
    public static ManagerServer start(ManagerConfig config, Clock clock) {
        return new ManagerServer(config, clock);
    }

    /** The port the Manager listens on. */
    public int port() {
        return port;
    }

    /** What the first start created (secrets only when generated by this start). */
    public Bootstrap.Result bootstrap() {
        return bootstrap;
    }

    public ManagerConfig config() {
        return config;
    }

    @Override
    public void close() {
        LOG.info("Stopping: background work");
        background.shutdownNow();
        LOG.info("Stopping: answering parked polls");
        dispatcher.close();
        registry.close();
        LOG.info("Stopping: HTTP server");
        http.stop();
        LOG.info("Stopping: store");
        database.close();
        LOG.info("Stopped");
    }

    private SecretBox openSecrets(ManagerConfig config, org.jdbi.v3.core.Jdbi jdbi, Clock clock) {
        try {
            return SecretStore.open(MasterKey.load(config.store().masterKey(), config.store().dataDir()),
                    new MasterKeyCheckDao(jdbi), clock, config.store().masterKeySource());
        } catch (RuntimeException e) {
            database.close();
            throw e;
        }
    }

    private void schedule(String name, Runnable job, Duration every) {
        background.scheduleWithFixedDelay(() -> {
            try {
                job.run();
            } catch (RuntimeException e) {
                // A periodic job must survive one bad run; the next run tries again.
                LOG.error("The {} failed; it runs again in {} ms", name, every.toMillis(), e);
            }
        }, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
    }

    private static java.util.function.Supplier<Map<TaskState, Long>> cachedCounts(TaskDao tasks) {
        AtomicReference<Map<TaskState, Long>> cached = new AtomicReference<>();
        AtomicReference<Long> at = new AtomicReference<>(0L);
        return () -> {
            long now = System.nanoTime();
            if (cached.get() == null || now - at.get() > TimeUnit.SECONDS.toNanos(1)) {
                cached.set(tasks.countByState());
                at.set(now);
            }
            return cached.get();
        };
    }
}
