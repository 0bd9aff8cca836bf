package org.opendelegate.manager;

import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.opendelegate.manager.config.ConfigException;
import org.opendelegate.manager.config.ManagerConfig;
import org.opendelegate.manager.config.Settings;
import org.opendelegate.manager.security.StartupException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The Manager's command line. {@code serve} (the default) runs the Manager; {@code check-config}
 * validates the configuration and prints it. Flags mirror the environment variables and win over them.
 */
@Command(
        name = "opendelegate-manager",
        mixinStandardHelpOptions = true,
        versionProvider = ManagerMain.VersionProvider.class,
        description = "The OpenDelegate Manager: REST API, web console, task dispatch.",
        subcommands = {ManagerMain.CheckConfig.class})
public final class ManagerMain implements Callable<Integer> {

    @Option(names = "--port", description = "Port to listen on (OPENDELEGATE_PORT, default 8080).")
    String port;

    @Option(names = "--data-dir", description = "Data directory (OPENDELEGATE_DATA_DIR, default ./data).")
    String dataDir;

    @Option(names = "--db-url", description = "PostgreSQL JDBC URL instead of embedded H2 (OPENDELEGATE_DB_URL).")
    String dbUrl;

    @Option(names = "--db-user", description = "Database user (OPENDELEGATE_DB_USER).")
    String dbUser;

    @Option(names = "--db-password", description = "Database password (OPENDELEGATE_DB_PASSWORD).")
    String dbPassword;

    @Option(names = "--external-url", description = "URL delegates reach the Manager at (OPENDELEGATE_EXTERNAL_URL).")
    String externalUrl;

    @Option(names = "--log-format", description = "text or json (OPENDELEGATE_LOG_FORMAT).")
    String logFormat;

    public static void main(String[] args) {
        System.exit(new CommandLine(new ManagerMain()).execute(args));
    }

    @Override
    public Integer call() throws InterruptedException {
        ManagerConfig config;
        try {
            config = ManagerConfig.fromEnvironment(environment());
        } catch (ConfigException e) {
            printProblems(e);
            return 2;
        }
        LogSetup.apply(config.logFormat());
        ManagerServer server;
        try {
            server = ManagerServer.start(config, Clock.systemUTC());
        } catch (StartupException e) {
            System.err.println("The Manager cannot start: " + e.getMessage());
            return 2;
        }
        FirstStartBanner.print(server);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            server.close();
                            stopped.countDown();
                            // A SIGTERM-started shutdown would end with status 143 even though the stop was clean; the
                            // Manager stops only this way, so a completed staged stop ends with 0 (as the delegate
                            // does).
                            Runtime.getRuntime().halt(0);
                        },
                        "shutdown"));
        stopped.await();
        return 0;
    }

    Map<String, String> environment() {
        Map<String, String> env = new HashMap<>(System.getenv());
        put(env, "OPENDELEGATE_PORT", port);
        put(env, "OPENDELEGATE_DATA_DIR", dataDir);
        put(env, "OPENDELEGATE_DB_URL", dbUrl);
        put(env, "OPENDELEGATE_DB_USER", dbUser);
        put(env, "OPENDELEGATE_DB_PASSWORD", dbPassword);
        put(env, "OPENDELEGATE_EXTERNAL_URL", externalUrl);
        put(env, "OPENDELEGATE_LOG_FORMAT", logFormat);
        return env;
    }

    private static void put(Map<String, String> env, String key, String value) {
        if (value != null) {
            env.put(key, value);
        }
    }

    static void printProblems(ConfigException e) {
        System.err.println("The Manager cannot start; fix its configuration:");
        e.problems().forEach(p -> System.err.println("  - " + p));
    }

    /** {@code check-config}: validate and print the effective configuration. */
    @Command(name = "check-config", description = "Validate the configuration, print it, and exit.")
    static final class CheckConfig implements Callable<Integer> {
        @CommandLine.ParentCommand
        ManagerMain parent;

        @Override
        public Integer call() {
            try {
                ManagerConfig c = ManagerConfig.fromEnvironment(parent.environment());
                System.out.println("Configuration is valid:");
                System.out.println("  listen          " + c.bindHost() + ":" + c.port());
                System.out.println("  external URL    " + c.externalUrl());
                System.out.println("  store           " + c.store().describe());
                System.out.println("  heartbeat       every "
                        + c.timings().heartbeatInterval().toSeconds() + " s; disconnected after "
                        + c.timings().disconnectAfter().toSeconds() + " s");
                System.out.println("  poll wait       " + c.timings().pollWait().toMillis() + " ms; lease "
                        + c.timings().lease().toSeconds() + " s");
                System.out.println(
                        "  ephemeral kept  " + c.timings().ephemeralRetention().toMinutes() + " min");
                System.out.println("  tasks kept      "
                        + c.store()
                                .taskRetention()
                                .map(d -> Settings.format(d) + " after they end")
                                .orElse("for ever (OPENDELEGATE_TASK_RETENTION=off)"));
                System.out.println("  console session idle "
                        + c.console().sessionIdleTimeout().toMinutes() + " min; at most "
                        + c.console().sessionMaxAge().toHours() + " h");
                System.out.println("  log format      " + c.logFormat().name().toLowerCase(java.util.Locale.ROOT));
                System.out.println("  delegate image  " + c.delegateImage());
                System.out.println(
                        "  lookup cache    " + c.providers().lookupCacheTtl().toSeconds() + " s");
                var l = c.limits();
                System.out.println("  quotas          " + l.maxDelegates() + " delegates, " + l.maxGroups()
                        + " groups, "
                        + l.maxProfiles() + " profiles, " + l.maxDelegateTokens() + " delegate tokens, "
                        + l.maxCloudProviders() + " cloud providers, " + l.maxSecrets() + " secrets per account");
                System.out.println("  rates           " + l.tokenRegistrationsPerMinute()
                        + " registrations/min per token; " + l.logLinesPerSecondPerDelegate()
                        + " log lines/s per delegate; " + l.taskLogMaxBytes() + " log bytes kept per task");
                return 0;
            } catch (ConfigException e) {
                printProblems(e);
                return 2;
            }
        }
    }

    /** Reports the build's version. */
    static final class VersionProvider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"OpenDelegate Manager " + org.opendelegate.manager.config.Version.current()};
        }
    }
}
