package org.opendelegate.delegate.script;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opendelegate.protocol.ErrorKind;
import org.opendelegate.spi.TaskFailure;

/** The handler with real bash processes. */
class ShellScriptHandlerTest {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    @TempDir
    Path work;

    private final Map<String, String> resolved = new HashMap<>();

    private ShellScriptHandler handler() {
        Map<String, String> env = new HashMap<>(System.getenv());
        env.put("DELEGATE_TOKEN", "od_delegate_token_value");
        env.put("OPENDELEGATE_MASTER_KEY", "master-key-value");
        env.put("DELEGATE_GROUP_NAME", "unit");
        return new ShellScriptHandler(
                work,
                (reference, deadline) -> {
                    String value = resolved.get(reference);
                    if (value == null) {
                        throw TaskFailure.task("secret reference " + reference + " did not resolve: not found");
                    }
                    return value;
                },
                env,
                Clock.systemUTC());
    }

    private static ObjectNode script(String text) {
        return JSON.objectNode().put("script", text);
    }

    private JsonNode run(RecordingContext context) throws Exception {
        return handler().run(context);
    }

    @Test
    void stdoutAndStderrArriveOnTheirStreamsInOrderAndExitZeroSucceeds() throws Exception {
        RecordingContext context =
                new RecordingContext(script("for i in 1 2 3; do echo out$i; echo err$i >&2; done\necho done"));
        JsonNode result = run(context);

        assertThat(context.of("out")).containsExactly("out1", "out2", "out3", "done");
        assertThat(context.of("err")).containsExactly("err1", "err2", "err3");
        assertThat(result.get("exitCode").asInt()).isZero();
        assertThat(result.get("outputs").size()).isZero();
        assertThat(result.get("durationMillis").asLong()).isNotNegative();
    }

    @Test
    void aNonZeroExitFailsWithTheLastLinesAndStillReportsItsOutputs() {
        RecordingContext context = new RecordingContext(script(
                "echo \"VERSION=1.2\" >> \"$OPENDELEGATE_OUTPUT\"\nfor i in $(seq 1 30); do echo line$i; done\nexit 3\n"
                        + "echo never"));
        assertThatThrownBy(() -> run(context)).isInstanceOfSatisfying(TaskFailure.class, failure -> {
            assertThat(failure.kind()).isEqualTo(ErrorKind.TASK);
            assertThat(failure.getMessage())
                    .startsWith("exited with code 3; last lines:\nline11\n")
                    .endsWith("\nline30")
                    .doesNotContain("line10\n");
            assertThat(failure.result().get("exitCode").asInt()).isEqualTo(3);
            assertThat(failure.result().get("outputs").get("VERSION").asText()).isEqualTo("1.2");
        });
        assertThat(context.of("out")).doesNotContain("never");
    }

    @Test
    void aScriptReadingStdinGetsEndOfFileAtOnce() throws Exception {
        RecordingContext context =
                new RecordingContext(script("read -r line; echo \"read=$? [$line]\"; cat; echo end"));
        run(context);
        assertThat(context.of("out")).containsExactly("read=1 []", "end");
    }

    @Test
    void theScriptSeesItsOwnVariablesButNotTheDelegatesCredentials() throws Exception {
        ObjectNode payload = script("echo \"token=[${DELEGATE_TOKEN:-}] master=[${OPENDELEGATE_MASTER_KEY:-}]\""
                + "\necho \"task=$OPENDELEGATE_TASK_ID group=$DELEGATE_GROUP_NAME greet=$GREETING\"\npwd");
        payload.putObject("env").put("GREETING", "hello");
        payload.put("workingDirectory", "sub/dir");
        RecordingContext context = new RecordingContext(payload);
        run(context);
        assertThat(context.of("out").get(0)).isEqualTo("token=[] master=[]");
        assertThat(context.of("out").get(1)).isEqualTo("task=task-1 group=unit greet=hello");
        assertThat(context.of("out").get(2))
                .startsWith(work.resolve("tasks").toString())
                .endsWith("/work/sub/dir");
        try (var left = Files.list(work.resolve("tasks"))) {
            assertThat(left).as("the task's directory is removed").isEmpty();
        }
    }

    @Test
    void secretsFromTheManagerAndAwsAreMaskedEvenWhenSplitAcrossWrites() throws Exception {
        ObjectNode payload = script("printf 'sec'; sleep 0.2; printf 'ret-manager\\n'\n"
                + "echo \"aws: $FROM_AWS\" >&2\necho \"b64: $(printf %s \"$FROM_AWS\" | base64)\"\n"
                + "echo \"OUT=$FROM_MANAGER\" >> \"$OPENDELEGATE_OUTPUT\"\nexit 1");
        payload.putObject("secrets")
                .put("FROM_MANAGER", "secret:db")
                .put("FROM_AWS", "aws-ssm:/app/key")
                .put("PIN", "secret:pin");
        resolved.put("aws-ssm:/app/key", "aws-value-1234");
        ObjectNode sealed =
                JSON.objectNode().put("FROM_MANAGER", "secret-manager").put("PIN", "42");
        RecordingContext context = new RecordingContext(payload, sealed, Instant.MAX);

        assertThatThrownBy(() -> run(context)).isInstanceOfSatisfying(TaskFailure.class, failure -> {
            assertThat(failure.getMessage()).contains("***").doesNotContain("secret-manager", "aws-value");
            assertThat(failure.result().get("outputs").get("OUT").asText()).isEqualTo("***");
        });
        assertThat(context.snapshot())
                .contains("out: ***", "err: aws: ***", "out: b64: ***")
                .contains("delegate: [delegate] not masked in this log: PIN (values shorter than 4 characters)");
        assertThat(String.join("\n", context.snapshot())).doesNotContain("secret-manager", "aws-value");
    }

    @Test
    void aSecretThatDoesNotResolveFailsTheTaskBeforeTheScriptRuns() {
        ObjectNode payload = script("touch ran");
        payload.putObject("secrets").put("KEY", "aws-secretsmanager:missing");
        assertThatThrownBy(() -> run(new RecordingContext(payload)))
                .isInstanceOf(TaskFailure.class)
                .hasMessage("secret reference aws-secretsmanager:missing did not resolve: not found");
        assertThat(work.resolve("tasks")).doesNotExist();

        ObjectNode fromManager = script("touch ran");
        fromManager.putObject("secrets").put("KEY", "secret:gone");
        assertThatThrownBy(() -> run(new RecordingContext(fromManager)))
                .hasMessageContaining("secret:gone (for KEY) did not resolve");
    }

    @Test
    void invalidUtf8BinaryAndHugeLinesAreLoggedWithoutBreakingAnything() throws Exception {
        RecordingContext context = new RecordingContext(
                script(
                        "printf 'a\\xff\\xfeb\\000c\\001\\177\\033[1m\\tz\\n'\nhead -c 200000 /dev/zero | tr '\\0' 'x'; echo\necho after"));
        run(context);
        var out = context.of("out");
        assertThat(out.get(0)).isEqualTo("a\uFFFD\uFFFDb\uFFFDc\uFFFD\uFFFD\u001b[1m\tz");
        assertThat(out.subList(1, 5)).extracting(String::length).containsExactly(65536, 65536, 65536, 3392);
        assertThat(out.get(5)).isEqualTo("after");
    }

    @Test
    void aBackgroundChildIsKilledWhenTheScriptEnds() throws Exception {
        RecordingContext context = new RecordingContext(
                script(
                        "sleep 300 >/dev/null 2>&1 &\necho $! > \"$OPENDELEGATE_OUTPUT.pid\"\necho \"PID=$!\" >> \"$OPENDELEGATE_OUTPUT\""));
        long pid = run(context).get("outputs").get("PID").asLong();
        await().atMost(Duration.ofSeconds(10))
                .until(() -> ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true));
    }

    @Test
    void aStoppedScriptGetsSigtermThenItsGracePeriodThenSigkill() throws Exception {
        ObjectNode payload = script("sleep 300 >/dev/null 2>&1 &\necho \"CHILD=$!\"\n"
                + "trap 'echo got TERM; sleep 30' TERM\necho ready\nwait\nsleep 60");
        payload.put("cancelGraceSeconds", 1);
        RecordingContext context = new RecordingContext(payload);
        AtomicReference<Throwable> ended = new AtomicReference<>();
        Thread thread = new Thread(() -> {
            try {
                run(context);
            } catch (Throwable e) {
                ended.set(e);
            }
        });
        thread.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> context.of("out").contains("ready"));
        long stoppedAt = System.nanoTime();
        thread.interrupt();
        thread.join(Duration.ofSeconds(20).toMillis());

        assertThat(thread.isAlive()).isFalse();
        assertThat(ended.get()).isInstanceOf(InterruptedException.class);
        assertThat(Duration.ofNanos(System.nanoTime() - stoppedAt))
                .as("the grace period was given")
                .isGreaterThanOrEqualTo(Duration.ofSeconds(1));
        assertThat(context.snapshot())
                .contains(
                        "delegate: [delegate] cancelled: sent SIGTERM to the script's process group; it has 1 s to"
                                + " stop before SIGKILL",
                        "out: got TERM",
                        "delegate: [delegate] still running after 1 s: sent SIGKILL to the script's process group");
        long child = Long.parseLong(context.of("out").get(0).substring("CHILD=".length()));
        await().atMost(Duration.ofSeconds(10))
                .until(() -> ProcessHandle.of(child).map(p -> !p.isAlive()).orElse(true));
    }

    @Test
    void aScriptThatStopsWithinItsGracePeriodIsNotKilled() throws Exception {
        ObjectNode payload = script("trap 'echo cleaning up; exit 143' TERM\necho ready\nsleep 60 & wait");
        payload.put("cancelGraceSeconds", 20);
        RecordingContext context =
                new RecordingContext(payload, JSON.objectNode(), Instant.now().minusSeconds(1));
        assertThat(stopOnceReady(context))
                .as("ended well before its 20 s grace period")
                .isTrue();
        assertThat(context.snapshot())
                .contains(
                        "delegate: [delegate] timed out: sent SIGTERM to the script's process group; it has 20 s to"
                                + " stop before SIGKILL",
                        "out: cleaning up")
                .noneMatch(line -> line.contains("SIGKILL to"));
    }

    /** Three times: a second TERM lands inside the trap in most runs, not in all. */
    @RepeatedTest(3)
    void aStoppedScriptGetsOneSigtermSoItsTrapRunsOnce() throws Exception {
        // A second TERM while the trap runs would make bash run the trap again after it: twice the cleanup time.
        ObjectNode payload =
                script("trap 'echo trap started; sleep 1; echo trap done; exit 0' TERM\necho ready\nsleep 60 & wait");
        payload.put("cancelGraceSeconds", 20);
        RecordingContext context = new RecordingContext(payload);
        assertThat(stopOnceReady(context)).isTrue();
        assertThat(context.of("out")).containsExactly("ready", "trap started", "trap done");
    }

    @Test
    void aChildThatLeftTheScriptsProcessGroupStillGetsSigterm() throws Exception {
        Path marker = work.resolve("child-got-term");
        ObjectNode payload =
                script("setsid bash -c 'trap \"echo TERM > " + marker + "; exit 0\" TERM; sleep 300 & wait'"
                        + " >/dev/null 2>&1 &\ntrap 'sleep 1; exit 0' TERM\nsleep 0.5\necho ready\nsleep 60 & wait");
        payload.put("cancelGraceSeconds", 20);
        RecordingContext context = new RecordingContext(payload);
        assertThat(stopOnceReady(context)).isTrue();
        assertThat(marker)
                .as("the child in a group of its own got SIGTERM, not only SIGKILL")
                .exists();
    }

    /**
     * Runs the script on a thread of its own, stops the task (an interrupt, as a cancel does) once the script printed
     * "ready", and says whether the run ended within 15 s.
     */
    private boolean stopOnceReady(RecordingContext context) throws InterruptedException {
        Thread thread = new Thread(() -> {
            try {
                run(context);
            } catch (Exception e) {
                // expected: interrupted
            }
        });
        thread.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> context.of("out").contains("ready"));
        thread.interrupt();
        thread.join(Duration.ofSeconds(15).toMillis());
        return !thread.isAlive();
    }

    @Test
    void outputsOverTheLimitFailTheTaskNamingTheLine() {
        RecordingContext context = new RecordingContext(script(
                "head -c 600000 /dev/zero | tr '\\0' 'x' | fold -w 1000 | sed 's/^/A=/' >> \"$OPENDELEGATE_OUTPUT\""));
        assertThatThrownBy(() -> run(context))
                .isInstanceOfSatisfying(
                        TaskFailure.class,
                        failure -> assertThat(failure.result().get("exitCode").asInt())
                                .isZero())
                .hasMessageContaining("over the limit of 512 KiB at line 5");
    }

    @Test
    void nonsenseInThePayloadIsRefusedNamingTheField() {
        assertThatThrownBy(() -> run(new RecordingContext(JSON.objectNode())))
                .hasMessageStartingWith("payload.script is required");
        assertThatThrownBy(() -> run(new RecordingContext(script("true").put("shell", "zsh"))))
                .hasMessageStartingWith("payload.shell must be");
        assertThatThrownBy(() -> run(new RecordingContext(script("true").put("workingDirectory", "a/../../etc"))))
                .hasMessageContaining("payload.workingDirectory")
                .hasMessageContaining("'..'");
        assertThatThrownBy(() -> run(new RecordingContext(script("true").put("workingDirectory", "/etc"))))
                .hasMessageContaining("is not a relative path");
        assertThatThrownBy(() -> run(new RecordingContext(script("true").put("cancelGraceSeconds", -1))))
                .hasMessageStartingWith("payload.cancelGraceSeconds");
        ObjectNode badEnv = script("true");
        badEnv.putObject("env").put("1X", "v");
        assertThatThrownBy(() -> run(new RecordingContext(badEnv))).hasMessageStartingWith("payload.env name '1X'");
        ObjectNode badRef = script("true");
        badRef.putObject("secrets").put("X", "vault:thing");
        assertThatThrownBy(() -> run(new RecordingContext(badRef)))
                .hasMessageStartingWith("payload.secrets.X must be a reference");
    }

    @Test
    void theStopGraceCoversTheScriptsGracePeriod() {
        assertThat(handler().stopGrace(script("true").put("cancelGraceSeconds", 30)))
                .isEqualTo(Duration.ofSeconds(30).plus(ShellScriptHandler.STOP_OVERHEAD));
        assertThat(handler().stopGrace(script("true")))
                .isEqualTo(Duration.ofSeconds(10).plus(ShellScriptHandler.STOP_OVERHEAD));
    }
}
