package org.opendelegate.delegate.profile;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.opendelegate.delegate.process.ProcessGroup;
import org.opendelegate.protocol.ProfileAssignment;
import org.opendelegate.protocol.ProfileRunStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Runs a profile's script: writes it to a working directory of its own
 * ({@code <work dir>/profiles/<profile id>/v<version>/script.sh}), runs {@code bash script.sh} there in
 * its own process group with its output going to {@code output.log} next to it, follows that output,
 * and kills the group when the timeout passes. One thread per run, gone when the run ends; an empty
 * script succeeds at once without a process.
 */
public final class ProfileRunner {
    private static final Logger LOG = LoggerFactory.getLogger(ProfileRunner.class);
    static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(10);
    private static final Duration TICK = Duration.ofMillis(200);
    /** How long a profile script has between TERM and KILL. */
    static final Duration KILL_GRACE = Duration.ofSeconds(2);

    private final Path workDir;
    private final Clock clock;
    private final Runnable onOutput;

    /**
     * @param workDir the delegate's work directory ({@code DELEGATE_WORK_DIR})
     * @param onOutput called when new output or an outcome is waiting, to wake the loop that reports it
     */
    public ProfileRunner(Path workDir, Clock clock, Runnable onOutput) {
        this.workDir = workDir;
        this.clock = clock;
        this.onOutput = onOutput;
    }

    /** The directory a profile version runs in. */
    public Path directoryOf(ProfileAssignment a) {
        return workDir.resolve("profiles").resolve(safe(a.profileId())).resolve("v" + a.version());
    }

    /** Starts a run; {@code finished} is called once it ended, whatever the outcome. */
    void start(ProfileRun run, Consumer<ProfileRun> finished) {
        if (run.assignment().script() == null || run.assignment().script().isBlank()) {
            run.finish(ProfileRunStatus.SUCCEEDED, 0, clock.instant());
            run.ended();
            finished.accept(run);
            return;
        }
        String delegateId = MDC.get("delegateId");
        Thread thread = new Thread(
                () -> {
                    if (delegateId != null) {
                        MDC.put("delegateId", delegateId);
                    }
                    try {
                        execute(run);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        run.finish(ProfileRunStatus.FAILED, null, clock.instant());
                    } finally {
                        run.ended();
                        finished.accept(run);
                        onOutput.run();
                    }
                },
                "profile-" + run.assignment().version());
        thread.setDaemon(true);
        thread.start();
    }

    private void execute(ProfileRun run) throws InterruptedException {
        ProfileAssignment a = run.assignment();
        Path dir = directoryOf(a);
        Path log = dir.resolve("output.log");
        Process process;
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("script.sh"), a.script(), StandardCharsets.UTF_8);
            Files.deleteIfExists(log);
            Files.createFile(log);
            ProcessBuilder builder = new ProcessBuilder(ProcessGroup.command(List.of("bash", "script.sh")))
                    .directory(dir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            environment(builder.environment(), a);
            process = builder.start();
        } catch (IOException e) {
            run.output()
                    .add(
                            "[delegate] cannot start the profile script in " + dir + ": " + e.getMessage(),
                            clock.instant());
            LOG.error("Cannot start profile {} v{} in {}: {}", a.name(), a.version(), dir, e.getMessage());
            run.finish(ProfileRunStatus.FAILED, null, clock.instant());
            return;
        }
        follow(run, process, log);
    }

    private void follow(ProfileRun run, Process process, Path log) throws InterruptedException {
        ProfileAssignment a = run.assignment();
        long timeout = a.timeoutMillis() > 0 ? a.timeoutMillis() : DEFAULT_TIMEOUT.toMillis();
        Instant deadline = run.startedAt().plusMillis(timeout);
        try (OutputTail tail = new OutputTail(log, run.output(), clock)) {
            while (!process.waitFor(TICK.toMillis(), TimeUnit.MILLISECONDS)) {
                tail.poll();
                onOutput.run();
                if (run.isAbandoned()) {
                    ProcessGroup.kill(process, KILL_GRACE);
                    LOG.info("Stopped the run of profile {} v{}: it is no longer assigned", a.name(), a.version());
                    run.finish(ProfileRunStatus.FAILED, null, clock.instant());
                    return;
                }
                if (!clock.instant().isBefore(deadline)) {
                    ProcessGroup.kill(process, KILL_GRACE);
                    tail.finish();
                    run.output()
                            .add(
                                    "[delegate] the script ran past its timeout of " + timeout / 1000
                                            + " s and was killed with its process group",
                                    clock.instant());
                    run.finish(ProfileRunStatus.TIMED_OUT, null, clock.instant());
                    return;
                }
            }
            tail.finish();
        } catch (IOException e) {
            run.output().add("[delegate] cannot read the script's output: " + e.getMessage(), clock.instant());
        }
        int code = process.exitValue();
        run.finish(code == 0 ? ProfileRunStatus.SUCCEEDED : ProfileRunStatus.FAILED, code, clock.instant());
    }

    /** The script sees the delegate's environment without its token, plus what it applies. */
    private void environment(Map<String, String> env, ProfileAssignment a) {
        env.remove("DELEGATE_TOKEN");
        env.put("OPENDELEGATE_PROFILE", a.name());
        env.put("OPENDELEGATE_PROFILE_VERSION", Integer.toString(a.version()));
        env.put("DELEGATE_WORK_DIR", workDir.toString());
    }

    /** A profile id as a directory name: ids are generated, but they come from the network. */
    static String safe(String id) {
        String cleaned = id.replaceAll("[^A-Za-z0-9._-]", "_");
        return cleaned.isEmpty() || cleaned.startsWith(".") ? "_" + cleaned : cleaned;
    }
}
