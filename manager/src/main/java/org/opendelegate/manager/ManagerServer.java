package org.opendelegate.manager;

import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.opendelegate.manager.api.AccountResource;
import org.opendelegate.manager.api.AuditResource;
import org.opendelegate.manager.api.CloudProviderResource;
import org.opendelegate.manager.api.DelegateProfileResource;
import org.opendelegate.manager.api.DelegateResource;
import org.opendelegate.manager.api.DelegateTokenResource;
import org.opendelegate.manager.api.DeploymentResource;
import org.opendelegate.manager.api.InstallerResource;
import org.opendelegate.manager.api.SecretResource;
import org.opendelegate.manager.api.TaskLogFollower;
import org.opendelegate.manager.api.TaskResource;
import org.opendelegate.manager.api.TrustedIdentityResource;
import org.opendelegate.manager.audit.AuditTrail;
import org.opendelegate.manager.bootstrap.Bootstrap;
import org.opendelegate.manager.cluster.ClusterSignals;
import org.opendelegate.manager.cluster.PostgresSignals;
import org.opendelegate.manager.config.ManagerConfig;
import org.opendelegate.manager.config.Version;
import org.opendelegate.manager.conversation.DelegateConversation;
import org.opendelegate.manager.delegateapi.DelegateApiResource;
import org.opendelegate.manager.delegates.DelegateAdmin;
import org.opendelegate.manager.delegates.DelegateSessions;
import org.opendelegate.manager.delegates.DelegateSweeper;
import org.opendelegate.manager.delegates.DelegateTokens;
import org.opendelegate.manager.delegates.GroupTrust;
import org.opendelegate.manager.delegates.IamRegistration;
import org.opendelegate.manager.delegates.KnownDelegates;
import org.opendelegate.manager.delegates.ProfileBook;
import org.opendelegate.manager.delegates.SessionCredentials;
import org.opendelegate.manager.delegates.StsVerifier;
import org.opendelegate.manager.deployments.DeploymentSteps;
import org.opendelegate.manager.deployments.Deployments;
import org.opendelegate.manager.deployments.DeploymentsThroughProvider;
import org.opendelegate.manager.dispatch.DispatchSweeper;
import org.opendelegate.manager.dispatch.Dispatcher;
import org.opendelegate.manager.dispatch.TaskLeases;
import org.opendelegate.manager.dispatch.TaskOutcomes;
import org.opendelegate.manager.dispatch.TaskRetention;
import org.opendelegate.manager.dispatch.TaskSecrets;
import org.opendelegate.manager.dispatch.TaskService;
import org.opendelegate.manager.dispatch.TaskWaiters;
import org.opendelegate.manager.http.ApiAuthenticator;
import org.opendelegate.manager.http.HttpServer;
import org.opendelegate.manager.http.Routes;
import org.opendelegate.manager.http.TaskLogStreams;
import org.opendelegate.manager.http.TlsConnector;
import org.opendelegate.manager.installers.EcsInstaller;
import org.opendelegate.manager.installers.ShellInstaller;
import org.opendelegate.manager.limits.LimitRefusals;
import org.opendelegate.manager.limits.Quotas;
import org.opendelegate.manager.limits.Rates;
import org.opendelegate.manager.metrics.ManagerMetrics;
import org.opendelegate.manager.metrics.TaskCounts;
import org.opendelegate.manager.ops.OperationsResource;
import org.opendelegate.manager.profiles.DelegateProfiles;
import org.opendelegate.manager.profiles.ProfileRuns;
import org.opendelegate.manager.providers.CloudProviders;
import org.opendelegate.manager.secrets.AccountSecrets;
import org.opendelegate.manager.secrets.SecretReferences;
import org.opendelegate.manager.security.MasterKey;
import org.opendelegate.manager.security.Pem;
import org.opendelegate.manager.security.SecretBox;
import org.opendelegate.manager.security.SecretStore;
import org.opendelegate.manager.security.Secrets;
import org.opendelegate.manager.store.AccountCounts;
import org.opendelegate.manager.store.AccountDao;
import org.opendelegate.manager.store.AffinityDao;
import org.opendelegate.manager.store.ApiKeyDao;
import org.opendelegate.manager.store.AuditDao;
import org.opendelegate.manager.store.CloudProviderDao;
import org.opendelegate.manager.store.Database;
import org.opendelegate.manager.store.DelegateDao;
import org.opendelegate.manager.store.DelegateGroupDao;
import org.opendelegate.manager.store.DelegateProfileDao;
import org.opendelegate.manager.store.DelegateTokenDao;
import org.opendelegate.manager.store.DeploymentDao;
import org.opendelegate.manager.store.ManagerIdentityDao;
import org.opendelegate.manager.store.MasterKeyCheckDao;
import org.opendelegate.manager.store.ProfileRunDao;
import org.opendelegate.manager.store.RateBucketDao;
import org.opendelegate.manager.store.SecretDao;
import org.opendelegate.manager.store.SessionCredentialDao;
import org.opendelegate.manager.store.SessionDao;
import org.opendelegate.manager.store.SignInFailureDao;
import org.opendelegate.manager.store.TaskDao;
import org.opendelegate.manager.store.TaskLogDao;
import org.opendelegate.manager.store.TrustedIdentityDao;
import org.opendelegate.manager.store.UserDao;
import org.opendelegate.manager.users.ApiKeys;
import org.opendelegate.manager.users.ConsoleSessions;
import org.opendelegate.manager.users.PasswordHasher;
import org.opendelegate.manager.users.SignInThrottle;
import org.opendelegate.manager.users.UserAccounts;
import org.opendelegate.manager.web.Console;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Manager's composition root. {@link #build} makes every part by hand (it opens the store and runs the
 * first-start bootstrap, but nothing listens or runs in the background yet); {@link #start} starts
 * listening and the periodic work; {@link #close} stops in stages (stop the clocks, answer parked polls,
 * stop serving, close the store). A failed build or start closes what it opened.
 */
public final class ManagerServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ManagerServer.class);

    /** How often the HTTPS certificate and key files are checked for changes. */
    static final Duration TLS_CHECK_INTERVAL = Duration.ofSeconds(5);

    private final ManagerConfig config;
    private final String version;
    private final Database database;
    private final Bootstrap.Result bootstrap;
    private final DelegateSessions delegateSessions;
    private final Dispatcher dispatcher;
    private final TaskOutcomes outcomes;
    private final TaskLeases leases;
    private final PeriodicWork periodicWork;
    private final HttpServer http;
    private final ManagerMetrics metrics;
    private final List<PeriodicWork.Job> jobs;
    private final Deployments deployments;
    private final TlsConnector tls;
    private final ClusterSignals cluster;
    private volatile int port = -1;

    /**
     * Wires the parts on an open store. Everything that reads or writes the store at build time (the
     * master key check, the bootstrap, the first load of the delegates) comes before the parts that own
     * threads, so a failure here leaves only the store to close.
     */
    private ManagerServer(ManagerConfig config, Clock clock, Database database) {
        this.config = config;
        this.version = Version.current();
        this.database = database;
        this.tls = config.tls().map(TlsConnector::new).orElse(null);
        var jdbi = database.jdbi();
        AccountDao accounts = new AccountDao(jdbi);
        ApiKeyDao apiKeys = new ApiKeyDao(jdbi);
        DelegateDao delegates = new DelegateDao(jdbi);
        DelegateGroupDao groups = new DelegateGroupDao(jdbi);
        DelegateTokenDao tokenDao = new DelegateTokenDao(jdbi);
        TaskDao tasks = new TaskDao(jdbi);
        TaskLogDao taskLogs = new TaskLogDao(jdbi);
        AuditDao audit = new AuditDao(jdbi);
        DelegateProfileDao profileDao = new DelegateProfileDao(jdbi);
        ProfileRunDao profileRunDao = new ProfileRunDao(jdbi);
        AffinityDao affinity = new AffinityDao(jdbi);
        SessionDao sessionDao = new SessionDao(jdbi);

        SecretBox secrets = SecretStore.open(
                MasterKey.load(config.store().masterKey(), config.store().dataDir()),
                new MasterKeyCheckDao(jdbi),
                clock,
                config.store().masterKeySource());
        this.metrics = new ManagerMetrics();
        LimitRefusals limitRefusals = new LimitRefusals(audit, metrics, clock);
        Quotas quotas = new Quotas(new AccountCounts(jdbi), config.limits(), limitRefusals);
        Rates rates = new Rates(config.limits(), limitRefusals, new RateBucketDao(jdbi), clock);
        UserDao userDao = new UserDao(jdbi);
        UserAccounts users = new UserAccounts(userDao, sessionDao, audit, new PasswordHasher(), clock);
        DelegateTokens tokens = new DelegateTokens(tokenDao, groups, audit, config.timings(), clock, quotas);
        // Replicas starting at once on an empty store bootstrap one after the other: the first creates the
        // account, the others find it. The master key check above needs no lock: it inserts or reads the first.
        Bootstrap firstStart = new Bootstrap(accounts, apiKeys, tokenDao, tokens, users, profileDao, clock);
        this.bootstrap = database.underStartUpLock(() -> firstStart.run(config.bootstrap()));
        KnownDelegates knownDelegates =
                new KnownDelegates(delegates, groups, new ProfileBook(profileDao, profileRunDao));
        knownDelegates.reload();

        this.delegateSessions = new DelegateSessions(
                delegates, groups, tokens, audit, knownDelegates, config.timings(), metrics, clock, quotas, rates);
        DelegateAdmin delegateAdmin =
                new DelegateAdmin(delegates, groups, audit, knownDelegates, tokens, config.timings(), clock, quotas);
        DelegateProfiles profiles =
                new DelegateProfiles(profileDao, profileRunDao, knownDelegates, delegateAdmin, audit, clock, quotas);
        TaskWaiters waiters = new TaskWaiters(tasks);
        DeploymentDao deploymentDao = new DeploymentDao(jdbi);
        this.dispatcher = new Dispatcher(
                tasks,
                affinity,
                knownDelegates,
                config.timings(),
                config.dispatch(),
                new TaskSecrets(secrets),
                waiters,
                metrics,
                clock);
        // Replicas on one PostgreSQL wake each other; a single Manager on H2 has nobody to tell.
        this.cluster = database.isPostgres() ? new PostgresSignals(database, Secrets.newId()) : ClusterSignals.local();
        knownDelegates.joinCluster(cluster);
        tokens.joinCluster(cluster);
        dispatcher.joinCluster(cluster);
        this.leases = new TaskLeases(
                tasks,
                taskLogs,
                dispatcher,
                config.timings(),
                clock,
                rates,
                config.limits().taskLogMaxBytes(),
                new DeploymentSteps(deploymentDao));
        this.outcomes = new TaskOutcomes(tasks, affinity, audit, dispatcher, clock);
        AccountSecrets accountSecrets = new AccountSecrets(new SecretDao(jdbi), audit, secrets, quotas, clock);
        SecretReferences secretReferences = new SecretReferences(accountSecrets);
        TaskService taskService = new TaskService(
                tasks,
                taskLogs,
                audit,
                dispatcher,
                waiters,
                knownDelegates,
                config.dispatch(),
                secrets,
                secretReferences,
                clock);
        CloudProviders providers = new CloudProviders(
                new CloudProviderDao(jdbi),
                affinity,
                audit,
                secrets,
                taskService,
                new DeploymentsThroughProvider(deploymentDao),
                config.providers(),
                clock,
                quotas);
        this.deployments =
                new Deployments(deploymentDao, taskService, taskLogs, providers, secretReferences, audit, clock);
        providers.joinCluster(cluster);
        String managerId = new ManagerIdentityDao(jdbi).getOrCreate(Secrets.generate("odm_"), clock.instant());
        TrustedIdentityDao trustedIdentities = new TrustedIdentityDao(jdbi);
        GroupTrust groupTrust = new GroupTrust(groups, trustedIdentities, audit, clock);
        IamRegistration iamRegistration = new IamRegistration(
                groups,
                trustedIdentities,
                new StsVerifier(
                        config.stsEndpoint(), Set.of(managerId, StsVerifier.origin(config.externalUrl())), clock),
                audit,
                clock);
        DelegateConversation conversation = new DelegateConversation(
                tokens,
                new SessionCredentials(new SessionCredentialDao(jdbi), knownDelegates::currentSession, clock),
                audit,
                clock,
                delegateSessions,
                dispatcher,
                leases,
                outcomes,
                new ProfileRuns(profileRunDao, knownDelegates, clock),
                config.timings());
        ConsoleSessions consoleSessions =
                new ConsoleSessions(sessionDao, users, config.console(), clock, bootstrap.accountId());
        ApiKeys apiKeyService = new ApiKeys(apiKeys, userDao, audit, clock);
        AuditTrail auditTrail = new AuditTrail(audit);
        metrics.connectedDelegates(delegateSessions::connectedCount);
        TaskCounts taskCounts = new TaskCounts(tasks, clock);
        metrics.tasksByState(taskCounts);

        this.periodicWork = new PeriodicWork(2);
        String managerUrl = config.externalUrl().toString().replaceAll("/+$", "");
        EcsInstaller ecsInstaller = new EcsInstaller(
                groups,
                tokens,
                audit,
                clock,
                managerUrl,
                config.delegateImage(),
                version,
                groupTrust,
                managerId,
                this::servedCertificate,
                quotas);
        ShellInstaller shellInstaller =
                new ShellInstaller(groups, tokens, audit, clock, managerUrl, version, this::servedCertificate, quotas);
        SignInThrottle signInThrottle = new SignInThrottle(new SignInFailureDao(jdbi), clock);
        Console console = new Console(
                config,
                users,
                consoleSessions,
                delegateAdmin,
                tokens,
                taskService,
                ecsInstaller,
                shellInstaller,
                providers,
                version,
                clock,
                profiles,
                groupTrust,
                auditTrail,
                quotas,
                accountSecrets,
                accountSecrets::names,
                deployments,
                signInThrottle);
        // Javalin tries a request's routes in the order they were added, with a regular expression for each
        // route whose path is not the request's own, so the delegate protocol, which every delegate calls several
        // times a minute, comes first.
        List<Routes> routes = new ArrayList<>(List.of(
                new DelegateApiResource(conversation, iamRegistration),
                new OperationsResource(() -> cluster.connected() && database.isReachable(), metrics, version),
                new AccountResource(accounts, users, apiKeyService),
                new AuditResource(auditTrail),
                new DelegateResource(delegateAdmin),
                new DelegateTokenResource(tokens),
                new InstallerResource(ecsInstaller, shellInstaller),
                new TaskResource(
                        taskService,
                        new TaskLogFollower(taskService, periodicWork.background()),
                        new TaskLogStreams(taskService, clock)),
                new DelegateProfileResource(profiles),
                new CloudProviderResource(providers),
                new DeploymentResource(deployments),
                new TrustedIdentityResource(groupTrust),
                new SecretResource(accountSecrets)));
        routes.addAll(console.routes());
        this.http = new HttpServer(
                config.bindHost(),
                config.port(),
                config.transport(),
                tls,
                metrics,
                new ApiAuthenticator(apiKeyService),
                console.errors(),
                routes);
        List<PeriodicWork.Job> jobs = new ArrayList<>(List.of(
                new PeriodicWork.Job(
                        "dispatch sweep",
                        new DispatchSweeper(
                                tasks,
                                dispatcher,
                                leases,
                                waiters,
                                knownDelegates,
                                config.timings(),
                                config.dispatch(),
                                clock)::tick,
                        config.dispatch().sweepInterval()),
                new PeriodicWork.Job(
                        "liveness flush",
                        delegateSessions::flushLiveness,
                        config.timings().livenessFlush()),
                new PeriodicWork.Job(
                        "delegate sweep",
                        new DelegateSweeper(delegates, audit, knownDelegates, config.timings(), clock)::tick,
                        Duration.ofSeconds(2)),
                new PeriodicWork.Job(
                        "task retention",
                        new TaskRetention(config.store().taskRetention(), accounts, tasks, audit, clock)::tick,
                        Duration.ofSeconds(2),
                        true),
                new PeriodicWork.Job("count of the tasks in flight", taskCounts::countActive, TaskCounts.EVERY),
                new PeriodicWork.Job("count of every task", taskCounts::countAll, TaskCounts.EVERY, true),
                new PeriodicWork.Job("console session sweep", consoleSessions::sweep, Duration.ofMinutes(5)),
                new PeriodicWork.Job("sign-in failure sweep", signInThrottle::sweep, Duration.ofMinutes(5))));
        if (tls != null) {
            jobs.add(new PeriodicWork.Job("HTTPS certificate check", tls::reloadIfChanged, TLS_CHECK_INTERVAL));
        }
        this.jobs = List.copyOf(jobs);
    }

    /**
     * Builds a Manager: opens the store and wires every part; nothing listens yet.
     *
     * @throws org.opendelegate.manager.security.StartupException when the store cannot be used (a wrong
     *     master key, say); the store is closed again
     */
    public static ManagerServer build(ManagerConfig config, Clock clock) {
        Database database = Database.open(config.store());
        try {
            return new ManagerServer(config, clock, database);
        } catch (RuntimeException e) {
            database.close();
            throw e;
        }
    }

    /**
     * Starts listening, gives running leases their grace period, and schedules the periodic work. When
     * anything fails (the port is taken, say), everything is closed again and the failure is thrown.
     */
    public ManagerServer start() {
        try {
            cluster.start();
            this.port = http.start();
            leases.graceAfterStart();
            deployments.followUnended();
            jobs.forEach(periodicWork::schedule);
        } catch (RuntimeException e) {
            LOG.error("The Manager failed to start; closing what it opened");
            close();
            throw e;
        }
        LOG.info(
                "OpenDelegate Manager {} listening on {}:{} with {}",
                version,
                config.bindHost(),
                port,
                config.store().describe());
        CollectorCheck.ofThisJvm().ifPresent(LOG::warn);
        FileLimitCheck.ofThisProcess().ifPresent(LOG::warn);
        if (tls != null) {
            LOG.info(
                    "Serving HTTPS only on port {}: certificate {} (SHA-256 {}), valid until {}; the files are checked"
                            + " for changes every {} s",
                    port,
                    tls.certificate().getSubjectX500Principal().getName(),
                    Pem.sha256(tls.certificate()),
                    tls.certificate().getNotAfter().toInstant(),
                    TLS_CHECK_INTERVAL.toSeconds());
        }
        return this;
    }

    /** Builds and starts a Manager with the given configuration. */
    public static ManagerServer start(ManagerConfig config, Clock clock) {
        return build(config, clock).start();
    }

    /** The port the Manager listens on; -1 before {@link #start}. */
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

    /** The certificate the Manager serves HTTPS with now (it changes on reload); empty for plain HTTP. */
    public Optional<X509Certificate> servedCertificate() {
        return tls == null ? Optional.empty() : Optional.of(tls.certificate());
    }

    @Override
    public void close() {
        LOG.info("Stopping: background work");
        periodicWork.close();
        LOG.info("Stopping: answering parked polls");
        dispatcher.close();
        cluster.close();
        LOG.info("Stopping: HTTP server");
        http.stop();
        LOG.info("Stopping: writing the last heartbeats heard");
        delegateSessions.close();
        LOG.info("Stopping: store");
        database.close();
        metrics.close();
        LOG.info("Stopped");
    }
}
