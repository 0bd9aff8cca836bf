package org.opendelegate.delegate.profile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opendelegate.protocol.LogLine;
import org.opendelegate.protocol.ProfileAssignment;
import org.opendelegate.protocol.ProfileRunStatus;

/** The runner against real bash scripts: exit codes, output, its working directory, and timeouts. */
class ProfileRunnerTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path work;

    private ProfileRun run(String script, long timeoutMillis) throws Exception {
        ProfileRunner runner = new ProfileRunner(work, Clock.systemUTC(), () -> {});
        ProfileRun run = new ProfileRun(
                new ProfileAssignment("p-1", "Tools", 3, script, timeoutMillis, true),
                Clock.systemUTC().instant());
        CompletableFuture<ProfileRun> done = new CompletableFuture<>();
        runner.start(run, done::complete);
        return done.get(WAIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
    }

    private static List<String> lines(ProfileRun run) {
        List<String> texts = new ArrayList<>();
        for (LogLine line : run.output().peek(Integer.MAX_VALUE).lines()) {
            texts.add(line.text());
        }
        return texts;
    }

    @Test
    void aScriptRunsWithBashInItsOwnDirectoryWithoutTheTokenAndItsOutputIsCollected() throws Exception {
        ProfileRun run = run(
                "set -e\necho \"dir=$(pwd)\"\necho \"token=${DELEGATE_TOKEN:-none}\"\n"
                        + "echo \"profile=$OPENDELEGATE_PROFILE v$OPENDELEGATE_PROFILE_VERSION\"\necho oops >&2\n"
                        + "[[ -f script.sh ]] && echo bash\nprintf 'no newline'",
                10_000);

        Path dir = work.resolve("profiles/p-1/v3");
        assertThat(run.status()).isEqualTo(ProfileRunStatus.SUCCEEDED);
        assertThat(run.exitCode()).isZero();
        assertThat(lines(run))
                .containsExactly(
                        "dir=" + dir.toRealPath(), "token=none", "profile=Tools v3", "oops", "bash", "no newline");
        assertThat(Files.readString(dir.resolve("output.log"))).contains("oops");
        assertThat(run.finishedAt()).isAfterOrEqualTo(run.startedAt());
    }

    @Test
    void aFailingScriptFailsWithItsExitCode() throws Exception {
        ProfileRun run = run("echo installing\nexit 7\n", 10_000);

        assertThat(run.status()).isEqualTo(ProfileRunStatus.FAILED);
        assertThat(run.exitCode()).isEqualTo(7);
        assertThat(lines(run)).containsExactly("installing");
    }

    @Test
    void aScriptPastItsTimeoutIsKilledWithTheChildrenItStartedAndNothingElse() throws Exception {
        // A process outside the script's group, in its own session like the script: the kill must spare it.
        // (procps kill 4.0.2 read "kill -KILL -<gone group>" as every process on the machine.)
        Process bystander = new ProcessBuilder("setsid", "sleep", "60")
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        ProfileRun run;
        try {
            run = run("sleep 300 &\necho $! > child.pid\necho started\nwait\n", 1_000);
            Thread.sleep(ProfileRunner.KILL_GRACE.toMillis());
            assertThat(bystander.isAlive())
                    .as("a process outside the script's group")
                    .isTrue();
        } finally {
            bystander.destroyForcibly();
        }

        assertThat(run.status()).isEqualTo(ProfileRunStatus.TIMED_OUT);
        assertThat(run.exitCode()).isNull();
        assertThat(lines(run)).first().isEqualTo("started");
        assertThat(lines(run)).last().asString().contains("timeout of 1 s", "killed");
        long child = Long.parseLong(
                Files.readString(work.resolve("profiles/p-1/v3/child.pid")).trim());
        await().atMost(WAIT)
                .until(() -> ProcessHandle.of(child).map(p -> !p.isAlive()).orElse(true));
    }

    @Test
    void anEmptyScriptSucceedsAtOnceWithoutAProcess() throws Exception {
        ProfileRun run = run("  \n", 10_000);

        assertThat(run.status()).isEqualTo(ProfileRunStatus.SUCCEEDED);
        assertThat(Files.exists(work.resolve("profiles"))).isFalse();
    }

    @Test
    void aWorkDirectoryThatCannotBeWrittenFailsTheRunWithTheReason() throws Exception {
        Files.writeString(work.resolve("profiles"), "a file where the directory should be");

        ProfileRun run = run("echo hi", 10_000);

        assertThat(run.status()).isEqualTo(ProfileRunStatus.FAILED);
        assertThat(run.exitCode()).isNull();
        assertThat(lines(run)).singleElement().asString().startsWith("[delegate] cannot start the profile script");
    }

    @Test
    void pendingOutputKeepsTheLast64KiBAndNumbersLinesAcrossGaps() {
        ProfileOutput output = new ProfileOutput();
        for (int i = 0; i < 1000; i++) {
            output.add(i + " " + "x".repeat(200), Clock.systemUTC().instant());
        }
        ProfileOutput.Batch batch = output.peek(10);

        assertThat(batch.firstLine()).isGreaterThan(600);
        assertThat(batch.lines().get(0).text()).startsWith(batch.firstLine() + " ");
        output.sent(batch);
        assertThat(output.peek(1).firstLine()).isEqualTo(batch.firstLine() + 10);
        assertThat(ProfileRunner.safe("../etc")).isEqualTo("_.._etc");
    }
}
