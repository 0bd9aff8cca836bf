package org.opendelegate.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.opendelegate.e2e.support.Api;
import org.opendelegate.e2e.support.CliProcess;
import org.opendelegate.e2e.support.DelegateProcess;
import org.opendelegate.e2e.support.ManagerProcess;
import org.opendelegate.testkit.FreePorts;

/**
 * The {@code opendelegate} CLI as a CI job uses it, against the built Manager and a real delegate process:
 * a script's exit code, output streams and outputs reach the pipeline; Ctrl-C cancels the task; every way a
 * task can end without an exit code has its own exit code; the task and delegate commands read the API.
 */
class CliE2ETest {
    private static final Duration RUN_LIMIT = Duration.ofSeconds(60);
    private static final Pattern SUBMITTED = Pattern.compile("task (\\S+) submitted");
    private static final List<AutoCloseable> RUNNING = new ArrayList<>();
    private static Path work;
    private static ManagerProcess manager;
    private static Api api;

    @BeforeAll
    static void start() {
        work = Path.of(System.getProperty("opendelegate.workDir", "target/e2e-work"))
                .resolve("cli-" + UUID.randomUUID().toString().substring(0, 8));
        manager = track(ManagerProcess.start(
                "manager", work.resolve("data"), 0, Map.of("OPENDELEGATE_NO_ELIGIBLE_WAIT", "2s")));
        api = manager.api();
        track(DelegateProcess.start("delegate", manager, "cli-group", Map.of("DELEGATE_NAME", "cli-1"), work))
                .awaitConnected();
    }

    @AfterAll
    static void stop() throws Exception {
        for (int i = RUNNING.size() - 1; i >= 0; i--) {
            RUNNING.get(i).close();
        }
    }

    @Test
    void theScriptsExitCodeStreamsAndOutputsReachThePipeline() {
        CliProcess cli = cli(
                "run", "-c", "echo to-stdout; echo to-stderr >&2; echo ANSWER=42 >> \"$OPENDELEGATE_OUTPUT\"; exit 3");
        assertThat(cli.waitFor(RUN_LIMIT)).as(cli.stderr()).isEqualTo(3);
        assertThat(cli.stdout()).contains("to-stdout");
        assertThat(cli.stdout() + cli.stderr()).contains("to-stderr");
        assertThat(cli.stderr()).contains("FAILED on cli-1, exit code 3").contains("ANSWER=42");
    }

    @Test
    void jsonOutputIsOneDocumentWithTheOutputs() throws Exception {
        CliProcess cli = cli(
                "run",
                "--output",
                "json",
                "-c",
                "echo chatter; printf 'NOTE<<EOF\\nline one\\nline two\\nEOF\\n' >> \"$OPENDELEGATE_OUTPUT\"");
        assertThat(cli.waitFor(RUN_LIMIT)).as(cli.stderr()).isZero();
        JsonNode doc = new ObjectMapper().readTree(cli.stdout());
        assertThat(doc.get("state").asText()).isEqualTo("SUCCEEDED");
        assertThat(doc.get("exitCode").asInt()).isZero();
        assertThat(doc.get("outputs").get("NOTE").asText()).isEqualTo("line one\nline two");
        assertThat(cli.stderr()).contains("chatter");
    }

    @Test
    void stoppingTheCliCancelsTheTaskAndExits130() {
        CliProcess cli = cli("run", "--cancel-grace", "2s", "-c", "echo started; sleep 120");
        await().atMost(Duration.ofSeconds(30)).until(() -> cli.stdout().contains("started"));
        String taskId = taskId(cli);
        cli.terminate();
        assertThat(cli.waitFor(RUN_LIMIT)).as(cli.stderr()).isEqualTo(130);
        assertThat(cli.stderr()).contains("cancelling task " + taskId);
        assertThat(api.task(taskId).get("state").asText()).isEqualTo("CANCELLED");
    }

    @Test
    void aTaskThatRunsOutOfTimeExits124() {
        CliProcess cli = cli("run", "--timeout", "3s", "--cancel-grace", "1s", "-c", "sleep 60");
        assertThat(cli.waitFor(RUN_LIMIT)).as(cli.stderr()).isEqualTo(124);
        assertThat(cli.stderr()).contains("TIMED_OUT");
    }

    @Test
    void aTaskNoDelegateCanTakeExits69() {
        CliProcess cli = cli("run", "--selector", "nowhere", "-c", "true");
        assertThat(cli.waitFor(RUN_LIMIT)).as(cli.stderr()).isEqualTo(69);
        assertThat(cli.stderr()).contains("NOT_ASSIGNED");
    }

    @Test
    void aWrongKeyExits77AndAnUnreachableManagerExits75() {
        CliProcess wrongKey = CliProcess.start(
                work,
                Map.of("OPENDELEGATE_URL", manager.url(), "OPENDELEGATE_API_KEY", "odk_not-a-key-0000000000"),
                "run",
                "-c",
                "true");
        assertThat(wrongKey.waitFor(RUN_LIMIT)).isEqualTo(77);
        assertThat(wrongKey.stderr()).contains("401");
        CliProcess nobody = CliProcess.start(
                work,
                Map.of(
                        "OPENDELEGATE_URL",
                        "http://127.0.0.1:" + FreePorts.next(),
                        "OPENDELEGATE_API_KEY",
                        ManagerProcess.API_KEY),
                "delegates",
                "list");
        assertThat(nobody.waitFor(RUN_LIMIT)).isEqualTo(75);
        assertThat(nobody.stderr()).contains("cannot reach the Manager");
    }

    @Test
    void usageMistakesExit2WithAMessage() {
        CliProcess noScript = cli("run");
        assertThat(noScript.waitFor(RUN_LIMIT)).isEqualTo(2);
        assertThat(noScript.stderr()).contains("Missing required");
        CliProcess noKey = CliProcess.start(work, Map.of("OPENDELEGATE_URL", manager.url()), "tasks", "list");
        assertThat(noKey.waitFor(RUN_LIMIT)).isEqualTo(2);
        assertThat(noKey.stderr()).contains("OPENDELEGATE_API_KEY");
        CliProcess badTimeout = cli("run", "--timeout", "soon", "-c", "true");
        assertThat(badTimeout.waitFor(RUN_LIMIT)).isEqualTo(2);
        assertThat(badTimeout.stderr()).contains("90s, 10m, 1h");
    }

    @Test
    void tasksAndDelegatesCommandsReadTheApi() throws Exception {
        CliProcess detached = cli("run", "--detach", "-c", "echo one; echo two");
        assertThat(detached.waitFor(RUN_LIMIT)).as(detached.stderr()).isZero();
        String taskId = detached.stdout().trim();
        CliProcess follow = cli("tasks", "log", "-f", taskId);
        assertThat(follow.waitFor(RUN_LIMIT)).as(follow.stderr()).isZero();
        assertThat(follow.stdout()).contains("one" + System.lineSeparator() + "two");

        CliProcess list = cli("tasks", "list", "--type", "shell.script");
        assertThat(list.waitFor(RUN_LIMIT)).isZero();
        assertThat(list.stdout()).startsWith("ID").contains(taskId);
        CliProcess get = cli("tasks", "get", "--output", "json", taskId);
        assertThat(get.waitFor(RUN_LIMIT)).isZero();
        assertThat(new ObjectMapper().readTree(get.stdout()).get("state").asText())
                .isEqualTo("SUCCEEDED");

        String sleeping = api.submit(Map.of("type", "sleep", "payload", Map.of("seconds", 60)));
        CliProcess cancel = cli("tasks", "cancel", sleeping);
        assertThat(cancel.waitFor(RUN_LIMIT)).as(cancel.stderr()).isZero();
        await().atMost(Duration.ofSeconds(30))
                .until(() -> api.task(sleeping).get("state").asText().equals("CANCELLED"));

        CliProcess delegates = cli("delegates", "list");
        assertThat(delegates.waitFor(RUN_LIMIT)).isZero();
        assertThat(delegates.stdout()).contains("cli-1").contains("CONNECTED").contains("cli-group");
    }

    private static CliProcess cli(String... args) {
        return CliProcess.start(
                work, Map.of("OPENDELEGATE_URL", manager.url(), "OPENDELEGATE_API_KEY", ManagerProcess.API_KEY), args);
    }

    private static String taskId(CliProcess cli) {
        Matcher m = SUBMITTED.matcher(cli.stderr());
        assertThat(m.find()).as(cli.stderr()).isTrue();
        return m.group(1);
    }

    private static <T extends AutoCloseable> T track(T thing) {
        RUNNING.add(thing);
        return thing;
    }
}
