package org.opendelegate.delegate;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import java.util.stream.Collectors;
import org.opendelegate.delegate.client.ManagerClient;
import org.opendelegate.delegate.config.DelegateConfig;
import org.opendelegate.delegate.ecs.DelegateIdentity;
import org.opendelegate.delegate.health.HealthServer;
import org.opendelegate.delegate.health.HealthState;
import org.opendelegate.delegate.loop.HeartbeatLoop;
import org.opendelegate.delegate.loop.LoopContext;
import org.opendelegate.delegate.loop.PollLoop;
import org.opendelegate.delegate.loop.ReportingLoop;
import org.opendelegate.delegate.profile.ProfileKeeper;
import org.opendelegate.delegate.profile.ProfileReporter;
import org.opendelegate.delegate.profile.ProfileRunner;
import org.opendelegate.delegate.run.Outbox;
import org.opendelegate.delegate.run.TaskRunner;
import org.opendelegate.delegate.session.Session;
import org.opendelegate.delegate.session.SessionKeeper;
import org.opendelegate.delegate.stop.DelegateStopping;
import org.opendelegate.delegate.stop.ExitCode;
import org.opendelegate.delegate.stop.StopSignal;
import org.opendelegate.delegate.time.Sleeper;
import org.opendelegate.protocol.RegisterRequest;
import org.opendelegate.protocol.SignedStsRequest;
import org.opendelegate.spi.TaskHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The delegate's lifecycle: register, apply the delegate profile, run the heartbeat, poll and reporting
 * loops until told to stop, then shut down in named stages (see {@link StagedShutdown}).
 */
public final class Delegate {
    private static final Logger LOG = LoggerFactory.getLogger(Delegate.class);
    static final Duration STALE_LOOP = Duration.ofMinutes(2);

    private final DelegateConfig config;
    private final DelegateIdentity identity;
    private final Clock clock;
    private final Instant processStart;
    private final StopSignal stopSignal = new StopSignal();
    private final HealthState health;
    private final Outbox outbox;
    private final TaskRunner runner;
    private final SessionKeeper sessions;
    private final HeartbeatLoop heartbeat;
    private final PollLoop poll;
    private final ReportingLoop reporting;
    private final ProfileKeeper profiles;
    private final StagedShutdown shutdown;
    private final CountDownLatch terminated = new CountDownLatch(1);
    private volatile Thread runThread;
    private volatile boolean connected;
    private volatile ExitCode exitCode;

    /**
     * Wires the delegate's parts. Nothing starts until {@link #run()}.
     *
     * @param handlers the task handlers, one per type
     * @param version the delegate version sent at registration
     * @param processStart when the process started, for the time-to-connected figure
     * @param awsIdentityProof signs a fresh AWS identity proof, for IAM registration ({@code
     *     DELEGATE_AUTHENTICATION=IAM}); not called otherwise
     */
    public Delegate(
            DelegateConfig config,
            DelegateIdentity identity,
            ManagerClient client,
            List<TaskHandler> handlers,
            Supplier<SignedStsRequest> awsIdentityProof,
            String version,
            Clock clock,
            Sleeper sleeper,
            RandomGenerator random,
            Instant processStart) {
        this.config = config;
        this.identity = identity;
        this.clock = clock;
        this.processStart = processStart;
        this.health = new HealthState(clock, STALE_LOOP);
        Map<String, TaskHandler> byType = handlers.stream().collect(Collectors.toMap(TaskHandler::type, h -> h));
        ReportingLoop[] reporter = new ReportingLoop[1];
        PollLoop[] poller = new PollLoop[1];
        this.outbox = new Outbox(() -> reporter[0].wake());
        this.runner = new TaskRunner(
                byType,
                config.capacity(),
                outbox,
                clock,
                this::delegateId,
                () -> reporter[0].wake(),
                () -> poller[0].slotFreed(),
                config.workDir().resolve("task-logs"));
        this.sessions = new SessionKeeper(client, registration(version, awsIdentityProof), stopSignal, health, sleeper);
        this.profiles = new ProfileKeeper(new ProfileRunner(config.workDir(), clock, () -> reporter[0].wake()), clock);
        LoopContext loops = new LoopContext(client, sessions, runner, health, stopSignal, sleeper, clock);
        this.heartbeat = new HeartbeatLoop(loops, random, profiles);
        this.poll = new PollLoop(loops, profiles);
        poller[0] = poll;
        this.reporting = new ReportingLoop(loops, outbox, new ProfileReporter(profiles, client, clock));
        reporter[0] = reporting;
        this.shutdown = new StagedShutdown(config.drainTimeout(), loops, outbox);
        health.runningTasks(runner::runningCount);
    }

    /** Runs until a stop is requested and the shutdown finished; returns how the process should exit. */
    public ExitCode run() {
        runThread = Thread.currentThread();
        HealthServer healthServer = null;
        try {
            healthServer = startHealthServer();
            Session session = sessions.register();
            // Registering beat for this thread; from now on it only waits, and must not look stuck.
            health.forget();
            connected = true;
            LOG.info(
                    "Connected to {} as {} in group {} (delegate {}) after {} ms",
                    config.managerUrl(),
                    session.name(),
                    config.groupName(),
                    session.delegateId(),
                    Duration.between(processStart, clock.instant()).toMillis());
            profiles.assign(session.profile());
            IdleHeap.settle();
            heartbeat.start();
            poll.start();
            reporting.start();
            ExitCode code = awaitStop();
            Thread.interrupted(); // a late interrupt from requestStop() must not cut the shutdown's waits short
            shutdown.run(code, stopSignal.reason(), poll, heartbeat, reporting);
            return finish(code, healthServer);
        } catch (DelegateStopping e) {
            return finish(e.exitCode(), healthServer);
        } catch (InterruptedException e) {
            // Only requestStop() interrupts this thread, and only before registration finished.
            return finish(stopSignal.isRequested() ? stopSignal.exitCode() : ExitCode.OK, healthServer);
        } catch (IOException e) {
            LOG.error(
                    "Cannot serve the health endpoint on port {} ({}); set DELEGATE_HEALTH_PORT to a free port, or"
                            + " 0 to disable it",
                    config.healthPort(),
                    e.getMessage());
            return finish(ExitCode.CONFIG, healthServer);
        } catch (RuntimeException | Error e) {
            LOG.error("The delegate failed unexpectedly; this is a bug", e);
            return finish(ExitCode.INTERNAL_ERROR, healthServer);
        } finally {
            health.forget();
        }
    }

    /** Asks the delegate to stop gracefully (SIGTERM); {@link #run()} then drains and returns. */
    public void requestStop(String why) {
        if (stopSignal.request(ExitCode.OK, why)) {
            Thread thread = runThread;
            if (!connected && thread != null) {
                thread.interrupt();
            }
        }
    }

    /** Waits until {@link #run()} returned; true when it did. */
    public boolean awaitTermination(Duration timeout) throws InterruptedException {
        return terminated.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** How the delegate ended, or null while it runs. */
    public ExitCode exitCode() {
        return exitCode;
    }

    /** The longest grace period a running task's handler may take to stop (a script's SIGTERM to SIGKILL). */
    public Duration longestStopGrace() {
        return runner.longestStopGrace();
    }

    /** What the health endpoint reports. */
    public HealthState health() {
        return health;
    }

    private ExitCode awaitStop() {
        while (true) {
            try {
                return stopSignal.await();
            } catch (InterruptedException e) {
                // A late interrupt from requestStop() racing with registration; the signal is set.
                if (stopSignal.isRequested()) {
                    return stopSignal.exitCode();
                }
            }
        }
    }

    private ExitCode finish(ExitCode code, HealthServer healthServer) {
        if (healthServer != null) {
            healthServer.stop();
        }
        stopProfileRun();
        exitCode = code;
        LOG.info("Stopped (exit code {})", code.code());
        terminated.countDown();
        return code;
    }

    // A profile script runs in a process group of its own, which the JVM's exit would leave behind.
    private void stopProfileRun() {
        try {
            profiles.stop();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private HealthServer startHealthServer() throws IOException {
        if (config.healthPort() == 0) {
            return null;
        }
        return HealthServer.start(new InetSocketAddress("0.0.0.0", config.healthPort()), health);
    }

    private Supplier<RegisterRequest> registration(String version, Supplier<SignedStsRequest> awsIdentityProof) {
        Supplier<RegisterRequest> plain = plainRegistration(version);
        if (config.iamManagerName() == null) {
            return plain;
        }
        // IAM registration: every registration carries a fresh proof (the Manager accepts one for 15 minutes).
        return () -> plain.get().withAwsIdentity(awsIdentityProof.get());
    }

    private Supplier<RegisterRequest> plainRegistration(String version) {
        String instanceId = UUID.randomUUID().toString();
        return () -> new RegisterRequest(
                instanceId,
                identity.name(),
                config.groupName(),
                config.profileName(),
                config.selectors(),
                config.type(),
                identity.launchType(),
                identity.identityKind(),
                identity.hostname(),
                identity.ip(),
                version,
                config.capacity(),
                runner.taskTypes(),
                identity.ecs(),
                runner.heldTaskIds());
    }

    private String delegateId() {
        Session session = sessions.current();
        return session == null ? "" : session.delegateId();
    }
}
