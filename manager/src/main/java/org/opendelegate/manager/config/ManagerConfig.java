package org.opendelegate.manager.config;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Everything the Manager is configured with, read once at start from the environment and validated.
 *
 * @param bindHost the address to listen on
 * @param port the port to listen on; 0 picks a free one
 * @param externalUrl the URL delegates and browsers reach the Manager at (goes into installers)
 * @param store where data lives
 * @param bootstrap what the first start creates
 * @param timings the pace of the delegate conversation
 * @param dispatch how tasks are handed out
 * @param console how console sessions behave
 * @param logFormat how logs are written
 * @param maxRequestBytes the largest request body accepted
 * @param delegateImage the delegate container image generated ECS installers use by default
 * @param providers how cloud providers behave
 * @param stsEndpoint {@code OPENDELEGATE_STS_ENDPOINT}: the one STS endpoint IAM registration proofs are sent
 *     to (a VPC endpoint or a test emulator); empty for the regional {@code sts.<region>.amazonaws.com}
 * @param transport how the HTTP server protects itself from slow and abusive clients
 * @param tls the certificate and key to serve HTTPS with; empty serves plain HTTP
 * @param limits quotas per account, rates per token and delegate, and the size of task logs
 */
public record ManagerConfig(
        String bindHost,
        int port,
        URI externalUrl,
        StoreConfig store,
        BootstrapConfig bootstrap,
        DelegateTimings timings,
        DispatchConfig dispatch,
        ConsoleConfig console,
        LogFormat logFormat,
        long maxRequestBytes,
        String delegateImage,
        ProvidersConfig providers,
        Optional<URI> stsEndpoint,
        TransportConfig transport,
        Optional<TlsConfig> tls,
        LimitsConfig limits) {
    /** How often a replica writes the heartbeats it heard, unless the disconnect window asks for less. */
    private static final Duration DEFAULT_LIVENESS_FLUSH = Duration.ofSeconds(2);

    public static final int DEFAULT_PORT = 8080;

    /**
     * Reads and validates the configuration.
     *
     * @throws ConfigException listing every problem found
     */
    public static ManagerConfig fromEnvironment(Map<String, String> env) {
        Settings s = new Settings(env);
        String bindHost = s.string("OPENDELEGATE_BIND_HOST", "0.0.0.0");
        int port = s.port("OPENDELEGATE_PORT", DEFAULT_PORT);
        Optional<TlsConfig> tls = TlsConfig.read(s);
        URI externalUrl = s.httpUrl("OPENDELEGATE_EXTERNAL_URL")
                .orElse(URI.create(
                        (tls.isPresent() ? "https" : "http") + "://localhost:" + (port == 0 ? DEFAULT_PORT : port)));
        if (tls.isPresent() && "http".equals(externalUrl.getScheme())) {
            s.problem(
                    "OPENDELEGATE_EXTERNAL_URL",
                    externalUrl.toString(),
                    "is http://, but the Manager serves HTTPS (OPENDELEGATE_TLS_CERT is set); installers would send "
                            + "delegates to a plain-HTTP address. Write https://");
        }
        StoreConfig store = new StoreConfig(
                s.path("OPENDELEGATE_DATA_DIR", "./data"),
                s.optional("OPENDELEGATE_DB_URL"),
                s.string("OPENDELEGATE_DB_USER", ""),
                s.string("OPENDELEGATE_DB_PASSWORD", ""),
                s.optional("OPENDELEGATE_MASTER_KEY"),
                taskRetention(s));
        store.masterKey().ifPresent(key -> {
            try {
                org.opendelegate.manager.security.MasterKey.decode(key);
            } catch (IllegalArgumentException e) {
                s.problem("OPENDELEGATE_MASTER_KEY " + e.getMessage() + ".");
            }
        });
        store.dbUrl()
                .filter(url -> !url.startsWith("jdbc:postgresql:") && !url.startsWith("jdbc:h2:"))
                .ifPresent(url -> s.problem(
                        "OPENDELEGATE_DB_URL",
                        url,
                        "is not a PostgreSQL JDBC URL; write e.g. jdbc:postgresql://db.internal:5432/opendelegate"));
        BootstrapConfig bootstrap = new BootstrapConfig(
                s.optional("OPENDELEGATE_ACCOUNT_ID"),
                s.string("OPENDELEGATE_ACCOUNT_NAME", "Default"),
                s.optional("OPENDELEGATE_ADMIN_API_KEY"),
                s.optional("OPENDELEGATE_DELEGATE_TOKEN"),
                s.optional("OPENDELEGATE_ADMIN_PASSWORD"));
        checkBootstrap(s, bootstrap);
        DelegateTimings timings = timings(s);
        DispatchConfig dispatch = new DispatchConfig(
                s.duration("OPENDELEGATE_NO_ELIGIBLE_WAIT", Duration.ofSeconds(10), Duration.ZERO, Duration.ofHours(1)),
                s.duration(
                        "OPENDELEGATE_TASK_TIMEOUT", Duration.ofMinutes(10), Duration.ofSeconds(1), Duration.ofDays(1)),
                Duration.ofDays(1),
                3,
                Duration.ofMillis(250),
                s.duration(
                        "OPENDELEGATE_CAPABILITY_FAILURE_AVOID",
                        Duration.ofMinutes(5),
                        Duration.ZERO,
                        Duration.ofDays(1)));
        ConsoleConfig console = new ConsoleConfig(
                s.duration(
                        "OPENDELEGATE_SESSION_IDLE_TIMEOUT",
                        Duration.ofMinutes(30),
                        Duration.ofMinutes(1),
                        Duration.ofHours(12)),
                ConsoleConfig.MAX_SESSION_AGE);
        LogFormat logFormat = s.choice("OPENDELEGATE_LOG_FORMAT", LogFormat.class, LogFormat.TEXT);
        String delegateImage =
                s.string("OPENDELEGATE_DELEGATE_IMAGE", ImageReference.defaultDelegateImage(Version.current()));
        if (!ImageReference.isValid(delegateImage)) {
            s.problem("OPENDELEGATE_DELEGATE_IMAGE", delegateImage, "is not " + ImageReference.RULE);
        }
        ProvidersConfig providers = new ProvidersConfig(s.duration(
                "OPENDELEGATE_LOOKUP_CACHE_TTL", Duration.ofSeconds(60), Duration.ZERO, Duration.ofHours(1)));
        Optional<URI> stsEndpoint = s.httpUrl("OPENDELEGATE_STS_ENDPOINT");
        TransportConfig transport = TransportConfig.read(s);
        LimitsConfig limits = LimitsConfig.read(s);
        s.throwIfInvalid();
        return new ManagerConfig(
                bindHost,
                port,
                externalUrl,
                store,
                bootstrap,
                timings,
                dispatch,
                console,
                logFormat,
                1024 * 1024,
                delegateImage,
                providers,
                stsEndpoint,
                transport,
                tls,
                limits);
    }

    private static void checkBootstrap(Settings s, BootstrapConfig b) {
        b.accountId()
                .filter(id -> !id.matches("[A-Za-z0-9_-]{1,64}"))
                .ifPresent(id -> s.problem(
                        "OPENDELEGATE_ACCOUNT_ID",
                        id,
                        "is not a valid account id; use 1 to 64 letters, digits, '-' or '_'"));
        b.adminApiKey()
                .filter(key -> key.length() < 16)
                .ifPresent(key -> s.problem("OPENDELEGATE_ADMIN_API_KEY is too short (" + key.length()
                        + " characters); use at least 16 random characters, e.g. from `openssl rand -hex 24`."));
        b.delegateToken()
                .filter(token -> token.length() < 16)
                .ifPresent(token -> s.problem("OPENDELEGATE_DELEGATE_TOKEN is too short (" + token.length()
                        + " characters); use at least 16 random characters, e.g. from `openssl rand -hex 24`."));
        b.adminPassword()
                .filter(password -> password.length() < 12)
                .ifPresent(password -> s.problem("OPENDELEGATE_ADMIN_PASSWORD is too short (" + password.length()
                        + " characters); use at least 12, e.g. from `openssl rand -base64 18`."));
    }

    /**
     * How long an ended task is kept ({@code off} keeps every task): at least an hour, so that a pipeline that reads
     * a task's outcome and logs after it ended finds them.
     */
    private static Optional<Duration> taskRetention(Settings s) {
        return s.durationOrOff(
                "OPENDELEGATE_TASK_RETENTION",
                StoreConfig.DEFAULT_TASK_RETENTION,
                Duration.ofHours(1),
                Duration.ofDays(3650));
    }

    private static DelegateTimings timings(Settings s) {
        Duration heartbeat = s.duration(
                "OPENDELEGATE_HEARTBEAT_INTERVAL",
                Duration.ofSeconds(10),
                Duration.ofMillis(200),
                Duration.ofMinutes(5));
        Duration disconnect = s.duration(
                "OPENDELEGATE_DISCONNECT_AFTER", Duration.ofSeconds(30), Duration.ofSeconds(1), Duration.ofHours(1));
        Duration pollWait = s.duration(
                "OPENDELEGATE_POLL_WAIT", Duration.ofSeconds(25), Duration.ofMillis(100), Duration.ofSeconds(29));
        Duration lease = s.duration(
                "OPENDELEGATE_LEASE_DURATION", Duration.ofSeconds(30), Duration.ofSeconds(1), Duration.ofHours(1));
        Duration retention = s.duration(
                "OPENDELEGATE_EPHEMERAL_RETENTION", Duration.ofMinutes(30), Duration.ofSeconds(1), Duration.ofDays(30));
        Duration stableRetention = s.duration(
                "OPENDELEGATE_STABLE_RETENTION", Duration.ofDays(7), Duration.ofSeconds(1), Duration.ofDays(365));
        if (disconnect.compareTo(heartbeat.multipliedBy(2)) < 0) {
            s.problem("OPENDELEGATE_DISCONNECT_AFTER (" + Settings.format(disconnect)
                    + ") must be at least twice OPENDELEGATE_HEARTBEAT_INTERVAL (" + Settings.format(heartbeat)
                    + "), or one late heartbeat would show a healthy delegate as disconnected.");
        }
        if (lease.compareTo(heartbeat.multipliedBy(2)) < 0) {
            s.problem("OPENDELEGATE_LEASE_DURATION (" + Settings.format(lease)
                    + ") must be at least twice OPENDELEGATE_HEARTBEAT_INTERVAL (" + Settings.format(heartbeat)
                    + "), since heartbeats renew leases.");
        }
        // The store's last heartbeat of a live delegate is up to a heartbeat interval plus a flush old: the
        // flush must leave the disconnect window room for a late heartbeat too.
        Duration flushRoom = disconnect.minus(heartbeat).dividedBy(2);
        Duration minFlush = Duration.ofMillis(50);
        Duration flush = s.duration(
                "OPENDELEGATE_LIVENESS_FLUSH",
                flushRoom.compareTo(DEFAULT_LIVENESS_FLUSH) >= 0
                        ? DEFAULT_LIVENESS_FLUSH
                        : flushRoom.compareTo(minFlush) > 0 ? flushRoom : minFlush,
                minFlush,
                Duration.ofMinutes(5));
        if (flushRoom.compareTo(minFlush) >= 0 && flush.compareTo(flushRoom) > 0) {
            s.problem("OPENDELEGATE_LIVENESS_FLUSH (" + Settings.format(flush)
                    + ") must be at most half of OPENDELEGATE_DISCONNECT_AFTER minus OPENDELEGATE_HEARTBEAT_INTERVAL ("
                    + Settings.format(flushRoom) + "): heartbeats reach the store up to one flush late, and other"
                    + " replicas would show a healthy delegate as disconnected.");
        }
        return new DelegateTimings(heartbeat, disconnect, pollWait, lease, retention, stableRetention, flush);
    }
}
