package org.opendelegate.delegate;

import java.io.PrintStream;
import java.net.Proxy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;
import org.opendelegate.delegate.aws.AwsRuntime;
import org.opendelegate.delegate.client.HttpTransport;
import org.opendelegate.delegate.client.ManagerClient;
import org.opendelegate.delegate.client.ProxyAuthentication;
import org.opendelegate.delegate.client.StartupWarmup;
import org.opendelegate.delegate.config.ConfigParser;
import org.opendelegate.delegate.config.DelegateConfig;
import org.opendelegate.delegate.config.InvalidConfigException;
import org.opendelegate.delegate.config.ManagerTls;
import org.opendelegate.delegate.config.ProxyEndpoint;
import org.opendelegate.delegate.ecs.DelegateIdentity;
import org.opendelegate.delegate.ecs.EcsMetadataClient;
import org.opendelegate.delegate.ecs.HostInfo;
import org.opendelegate.delegate.ecs.IdentityResolver;
import org.opendelegate.delegate.script.ShellScriptHandler;
import org.opendelegate.delegate.stop.ExitCode;
import org.opendelegate.delegate.tasks.EchoHandler;
import org.opendelegate.delegate.tasks.SleepHandler;
import org.opendelegate.delegate.time.Sleeper;
import org.opendelegate.spi.TaskHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The delegate's entry point and composition root: reads the environment, wires every part by hand,
 * runs the {@link Delegate}, and maps how it ended to the process exit code (0 stopped gracefully,
 * 1 bug, 2 invalid settings, 3 token refused, 4 replaced by another process).
 */
public final class DelegateMain {
    static final String USAGE = "usage: java -jar opendelegate-delegate.jar [--check-config | --version]";
    static final Duration ECS_METADATA_TIMEOUT = Duration.ofSeconds(1);

    private DelegateMain() {}

    /** Starts the delegate with the process environment; exits with the code {@link #run} returns. */
    public static void main(String[] args) {
        System.exit(run(args, System.getenv(), System.out, System.err));
    }

    /** Runs the delegate (or one of the commands in {@link #USAGE}) and returns the exit code. */
    static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        String command = args.length == 0 ? "" : args[0];
        if (args.length > 1 || !List.of("", "--check-config", "--version").contains(command)) {
            err.println("Unknown argument '" + String.join(" ", args) + "'; " + USAGE);
            return ExitCode.CONFIG.code();
        }
        if (command.equals("--version")) {
            out.println("opendelegate-delegate " + version());
            return ExitCode.OK.code();
        }
        DelegateConfig config;
        try {
            config = ConfigParser.parse(env);
        } catch (InvalidConfigException e) {
            e.problems().forEach(problem -> err.println("Invalid setting: " + problem));
            err.println("The delegate did not start; fix the setting(s) above. (exit code 2)");
            return ExitCode.CONFIG.code();
        }
        if (command.equals("--check-config")) {
            out.println("The configuration is valid. Effective settings:");
            config.describe().forEach(line -> out.println("  " + line));
            return ExitCode.OK.code();
        }
        return runDelegate(assemble(config, env), config);
    }

    /** Wires the delegate for {@code config}. The task handlers it runs are listed here, explicitly. */
    static Delegate assemble(DelegateConfig config, Map<String, String> env) {
        String version = version();
        HttpTransport.keepConnectionsAlive();
        ProxyEndpoint proxy = config.proxies().endpointFor(config.managerUrl());
        if (proxy != null && proxy.hasCredentials()) {
            ProxyAuthentication.install(proxy);
        }
        Proxy route = proxy == null ? Proxy.NO_PROXY : proxy.toProxy();
        // Before the first logger: Logback's start-up then overlaps with the TLS and JSON warm-up.
        StartupWarmup.start(config.managerUrl());
        Logger log = LoggerFactory.getLogger(DelegateMain.class);
        DelegateIdentity identity =
                new IdentityResolver(HostInfo.detect(env), new EcsMetadataClient(ECS_METADATA_TIMEOUT)).resolve(config);
        log.info(
                "OpenDelegate delegate {} starting: name {} ({}), group {}, type {}, capacity {}, Manager {}{}",
                version,
                identity.name(),
                identity.identityKind(),
                config.groupName(),
                config.type(),
                config.capacity(),
                config.managerUrl(),
                proxy == null ? "" : " via proxy " + proxy);
        if (ManagerTls.insecureRemote(config.managerUrl())) {
            log.warn(
                    "INSECURE: MANAGER_ALLOW_INSECURE=true, so this delegate talks plain HTTP to {}, another machine: its"
                            + " token, session credentials and task payloads cross the network unencrypted. Use the"
                            + " Manager's https:// address.",
                    config.managerUrl());
        }
        HttpTransport transport = new HttpTransport(
                config.managerUrl(), route, config.token(), config.accountId(), version, config.tls());
        // The AWS handlers only name their task types here; the AWS SDK loads, in a class loader of its own,
        // when an AWS task or an AWS secret reference first needs it, and unloads once the delegate is idle.
        AwsRuntime aws = new AwsRuntime(config.ecsPollInterval(), config.workDir());
        List<TaskHandler> handlers = new ArrayList<>(List.of(new EchoHandler(), new SleepHandler(Sleeper.SYSTEM)));
        handlers.addAll(aws.handlers());
        if (config.allowScripts()) {
            handlers.add(new ShellScriptHandler(config.workDir(), aws::resolveSecret, env, Clock.systemUTC()));
        } else {
            log.info("DELEGATE_ALLOW_SCRIPTS=false: this delegate does not run shell.script tasks");
        }
        return new Delegate(
                config,
                identity,
                new ManagerClient(transport),
                new IdleAfterWork(aws).watch(handlers),
                () -> aws.signIdentityProof(config.iamManagerName(), env),
                version,
                Clock.systemUTC(),
                Sleeper.SYSTEM,
                RandomGenerator.getDefault(),
                processStart());
    }

    /**
     * Runs the delegate with a SIGTERM hook. On SIGTERM the JVM is already shutting down, so the hook does
     * the graceful stop and then halts with the delegate's own exit code; otherwise a graceful SIGTERM
     * stop would surface in ECS as exit code 143.
     */
    private static int runDelegate(Delegate delegate, DelegateConfig config) {
        Duration hookWait =
                config.drainTimeout().plus(StagedShutdown.REPORT_TIMEOUT).plus(Duration.ofSeconds(10));
        Thread hook = new Thread(
                () -> {
                    delegate.requestStop("SIGTERM");
                    try {
                        // Running scripts get their grace period after the drain; the wait must cover it.
                        if (delegate.awaitTermination(hookWait.plus(delegate.longestStopGrace()))) {
                            Runtime.getRuntime().halt(delegate.exitCode().code());
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                },
                "sigterm");
        Runtime.getRuntime().addShutdownHook(hook);
        ExitCode code = delegate.run();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // The JVM is already shutting down (SIGTERM); the hook halts with the code.
        }
        return code.code();
    }

    /** The version from the jar manifest, or "dev" when running from classes. */
    static String version() {
        String version = DelegateMain.class.getPackage().getImplementationVersion();
        return version == null ? "dev" : version;
    }

    private static Instant processStart() {
        return ProcessHandle.current().info().startInstant().orElseGet(Instant::now);
    }
}
