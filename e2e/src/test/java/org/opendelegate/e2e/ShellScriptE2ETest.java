package org.opendelegate.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.opendelegate.e2e.support.Api;
import org.opendelegate.e2e.support.DelegateProcess;
import org.opendelegate.e2e.support.ManagerProcess;
import org.opendelegate.e2e.support.MotoServer;

/**
 * The {@code shell.script} task end to end: the built Manager, real delegate processes running real bash, and
 * {@code moto_server} holding the AWS secrets the delegate resolves with its own identity.
 */
class ShellScriptE2ETest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final List<AutoCloseable> RUNNING = new ArrayList<>();
    private static final String DB_PASSWORD = "p@ss w0rd/+\"quoted\"&more";
    private static final String SSM_VALUE = "ssm-parameter-value-42";
    private static Path work;
    private static ManagerProcess manager;
    private static MotoServer moto;
    private static Api api;
    private static String secretArn;

    @BeforeAll
    static void start() {
        work = Path.of(System.getProperty("opendelegate.workDir", "target/e2e-work"))
                .resolve("scripts-" + UUID.randomUUID().toString().substring(0, 8))
                .toAbsolutePath();
        moto = track(MotoServer.start(work));
        secretArn = moto.aws(
                        "secretsmanager",
                        "create-secret",
                        "--name",
                        "app/db",
                        "--secret-string",
                        "{\"username\":\"app\",\"password\":" + json(DB_PASSWORD) + "}")
                .get("ARN")
                .asText();
        moto.aws("secretsmanager", "create-secret", "--name", "plain", "--secret-string", "plain-secret-value");
        moto.aws("ssm", "put-parameter", "--name", "/app/key", "--type", "SecureString", "--value", SSM_VALUE);
        manager = track(ManagerProcess.start(
                "manager",
                work.resolve("data"),
                0,
                Map.of(
                        "OPENDELEGATE_NO_ELIGIBLE_WAIT", "2s",
                        "OPENDELEGATE_LOG_LINES_PER_SECOND_PER_DELEGATE", "1000000")));
        api = manager.api();
        delegate("scripts-1", "scripts", Map.of());
    }

    @AfterAll
    static void stop() throws Exception {
        for (int i = RUNNING.size() - 1; i >= 0; i--) {
            RUNNING.get(i).close();
        }
    }

    private static <T extends AutoCloseable> T track(T closeable) {
        RUNNING.add(closeable);
        return closeable;
    }

    private static String json(String text) {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    private static DelegateProcess delegate(String name, String group, Map<String, String> env) {
        Map<String, String> all = new HashMap<>(moto.environment());
        all.put("DELEGATE_NAME", name);
        all.put("DELEGATE_WORK_DIR", work.resolve(name).toString());
        all.putAll(env);
        DelegateProcess d = track(DelegateProcess.start(name, manager, group, all, work));
        d.awaitConnected();
        return d;
    }

    private static String submit(String group, Map<String, Object> payload, Integer timeoutSeconds) {
        Map<String, Object> request = new HashMap<>();
        request.put("type", "shell.script");
        request.put("payload", payload);
        request.put("selectors", List.of(group));
        if (timeoutSeconds != null) {
            request.put("timeoutSeconds", timeoutSeconds);
        }
        return api.submit(request);
    }

    private static JsonNode awaitEnd(String id) {
        await().atMost(WAIT).until(() -> !List.of("QUEUED", "RUNNING").contains(state(id)));
        return api.task(id);
    }

    private static String state(String id) {
        return api.task(id).get("state").asText();
    }

    /** Every line of the task's log, in order. */
    private static List<String> log(String id) {
        List<String> lines = new ArrayList<>();
        long after = 0;
        while (true) {
            JsonNode page =
                    api.get("/api/v1/tasks/" + id + "/log?after=" + after).json();
            page.get("lines").forEach(l -> lines.add(l.get("text").asText()));
            long next = page.get("next").asLong();
            if (next == after) {
                return lines;
            }
            after = next;
        }
    }

    /** The log once the task ended and its last lines arrived. */
    private static List<String> finalLog(String id, String lastLine) {
        awaitEnd(id);
        await().atMost(WAIT).until(() -> log(id).stream().anyMatch(l -> l.contains(lastLine)));
        return log(id);
    }

    @Test
    void stdoutAndStderrKeepTheirOrderAndOutputsAreReturned() {
        String id = submit(
                "scripts",
                Map.of(
                        "script",
                        "for i in $(seq 1 50); do echo out-$i; echo err-$i >&2; done\n"
                                + "echo \"VERSION=1.2.3\" >> \"$OPENDELEGATE_OUTPUT\"\n"
                                + "{ echo 'NOTES<<EOF'; echo 'line one'; echo 'line two'; echo EOF; } >> \"$OPENDELEGATE_OUTPUT\"\n"
                                + "echo finished"),
                60);
        JsonNode task = awaitEnd(id);
        assertThat(task.get("state").asText()).as(task.toString()).isEqualTo("SUCCEEDED");
        assertThat(task.get("result").get("exitCode").asInt()).isZero();
        assertThat(task.get("result").get("outputs").get("VERSION").asText()).isEqualTo("1.2.3");
        assertThat(task.get("result").get("outputs").get("NOTES").asText()).isEqualTo("line one\nline two");
        List<String> log = finalLog(id, "finished");
        List<String> out = log.stream().filter(l -> l.contains("out-")).toList();
        List<String> err = log.stream().filter(l -> l.contains("err-")).toList();
        assertThat(out).hasSize(50);
        assertThat(err).hasSize(50);
        for (int i = 0; i < 50; i++) {
            assertThat(out.get(i)).endsWith("out-" + (i + 1));
            assertThat(err.get(i)).endsWith("err-" + (i + 1));
        }
    }

    @Test
    void outputsWrittenBeforeAnEarlyExitAreKeptWithTheFailure() {
        String id = submit(
                "scripts",
                Map.of(
                        "script",
                        "echo \"STAGE=built\" >> \"$OPENDELEGATE_OUTPUT\"\necho 'about to fail'\nexit 4\necho never"),
                60);
        JsonNode task = awaitEnd(id);
        assertThat(task.get("state").asText()).isEqualTo("FAILED");
        assertThat(task.get("error").get("message").asText())
                .startsWith("exited with code 4; last lines:")
                .contains("about to fail");
        assertThat(task.get("result").get("exitCode").asInt()).isEqualTo(4);
        assertThat(task.get("result").get("outputs").get("STAGE").asText()).isEqualTo("built");
    }

    @Test
    void outputsOverTheLimitFailTheTaskSayingWhichLine() {
        String id = submit(
                "scripts",
                Map.of(
                        "script",
                        "for i in $(seq 1 600); do printf 'A%d=%01000d\\n' $i 0; done >> \"$OPENDELEGATE_OUTPUT\""),
                60);
        JsonNode task = awaitEnd(id);
        assertThat(task.get("state").asText()).isEqualTo("FAILED");
        assertThat(task.get("error").get("message").asText())
                .contains("over the limit of 512 KiB at line")
                .contains("$OPENDELEGATE_OUTPUT");
    }

    @Test
    void stdinIsAtEndOfFileTheTokenIsAbsentAndBinaryOutputDoesNotBreakAnything() {
        String id = submit(
                "scripts",
                Map.of(
                        "script",
                        "read -r line; echo \"stdin=$? [$line]\"\n"
                                + "echo \"token=[${DELEGATE_TOKEN:-}] leaked=$(env | grep -c odt_e2e)\"\n"
                                + "printf 'bin\\xff\\xfe\\x00\\x01\\x7fend\\n'\nhead -c 4096 /dev/urandom | tr -d '\\033'\necho\necho done"),
                60);
        JsonNode task = awaitEnd(id);
        assertThat(task.get("state").asText()).as(task.toString()).isEqualTo("SUCCEEDED");
        List<String> log = finalLog(id, "done");
        assertThat(log).anyMatch(l -> l.endsWith("stdin=1 []"));
        assertThat(log).anyMatch(l -> l.endsWith("token=[] leaked=0"));
        assertThat(log).anyMatch(l -> l.contains("bin\uFFFD\uFFFD\uFFFD") && l.endsWith("end"));
        assertThat(String.join("\n", log)).doesNotContain(ManagerProcess.DELEGATE_TOKEN);
    }

    @Test
    void aBackgroundChildThatWouldOutliveTheScriptIsKilledWithItsGroup() {
        String id = submit(
                "scripts",
                Map.of(
                        "script",
                        "sleep 300 >/dev/null 2>&1 &\necho \"CHILD=$!\" >> \"$OPENDELEGATE_OUTPUT\"\necho started"),
                60);
        JsonNode task = awaitEnd(id);
        assertThat(task.get("state").asText()).isEqualTo("SUCCEEDED");
        long child = task.get("result").get("outputs").get("CHILD").asLong();
        await().atMost(WAIT)
                .until(() -> ProcessHandle.of(child).map(p -> !p.isAlive()).orElse(true));
    }

    @Test
    void cancelSendsSigtermHonoursTheGracePeriodThenKillsTheGroup() throws Exception {
        Path childFile = work.resolve("cancel-child.pid");
        String id = submit(
                "scripts",
                Map.of(
                        "script",
                        "sleep 300 >/dev/null 2>&1 &\necho $! > " + childFile + "\n"
                                + "trap 'echo got TERM; sleep 60' TERM\necho ready\nwait",
                        "cancelGraceSeconds",
                        3),
                120);
        await().atMost(WAIT).until(() -> log(id).stream().anyMatch(l -> l.endsWith("ready")));
        long cancelledAt = System.nanoTime();
        assertThat(api.post("/api/v1/tasks/" + id + "/cancel", Map.of()).status())
                .isIn(200, 202);

        JsonNode task = awaitEnd(id);
        assertThat(task.get("state").asText()).isEqualTo("CANCELLED");
        assertThat(Duration.ofNanos(System.nanoTime() - cancelledAt))
                .as("the script had its grace period of 3 s")
                .isGreaterThanOrEqualTo(Duration.ofSeconds(3));
        List<String> log = finalLog(id, "SIGKILL");
        assertThat(log)
                .anyMatch(l -> l.contains("cancelled: sent SIGTERM to the script's process group; it has 3 s"))
                .anyMatch(l -> l.contains("got TERM"))
                .anyMatch(l -> l.contains("still running after 3 s: sent SIGKILL to the script's process group"));
        long child = Long.parseLong(Files.readString(childFile).trim());
        await().atMost(WAIT)
                .until(() -> ProcessHandle.of(child).map(p -> !p.isAlive()).orElse(true));
    }

    @Test
    void aTimeoutStopsTheScriptTheSameWay() {
        String id = submit(
                "scripts",
                Map.of("script", "trap 'echo stopping cleanly; exit 0' TERM\necho ready\nsleep 60 & wait"),
                4);
        JsonNode task = awaitEnd(id);
        assertThat(task.get("state").asText()).isEqualTo("TIMED_OUT");
        List<String> log = finalLog(id, "stopping cleanly");
        assertThat(log).anyMatch(l -> l.contains("timed out: sent SIGTERM to the script's process group"));
        assertThat(log).noneMatch(l -> l.contains("SIGKILL to"));
    }

    @Test
    void awsSecretsAreResolvedOnTheDelegateAndMaskedInEveryForm() {
        String script = String.join(
                "\n",
                "printf 'db=%s\\n' \"$DB_PASSWORD\"",
                "printf '%s' \"${SSM_KEY:0:8}\"; sleep 0.3; printf '%s\\n' \"${SSM_KEY:8}\"",
                "echo \"plain=$PLAIN\" >&2",
                "printf 'b64=%s\\n' \"$(printf %s \"$DB_PASSWORD\" | base64 -w0)\"",
                "python3 -c 'import os,urllib.parse;print(\"url=\"+urllib.parse.quote_plus(os.environ[\"DB_PASSWORD\"]))'",
                "python3 -c 'import os,json;print(\"json=\"+json.dumps(os.environ[\"DB_PASSWORD\"]))'",
                "echo \"PASSWORD_OUT=$DB_PASSWORD\" >> \"$OPENDELEGATE_OUTPUT\"",
                "echo done");
        String id = submit(
                "scripts",
                Map.of(
                        "script",
                        script,
                        "secrets",
                        Map.of(
                                "DB_PASSWORD", "aws-secretsmanager:" + secretArn + "#password",
                                "SSM_KEY", "aws-ssm:/app/key",
                                "PLAIN", "aws-secretsmanager:plain")),
                60);
        JsonNode task = awaitEnd(id);
        assertThat(task.get("state").asText()).as(task.toString()).isEqualTo("SUCCEEDED");
        assertThat(task.get("result").get("outputs").get("PASSWORD_OUT").asText())
                .isEqualTo("***");
        List<String> log = finalLog(id, "done");
        String all = String.join("\n", log);
        assertThat(log)
                .anyMatch(l -> l.endsWith("db=***"))
                .anyMatch(l -> l.endsWith("***") && !l.contains("db=") && !l.contains("="))
                .anyMatch(l -> l.endsWith("plain=***"))
                .anyMatch(l -> l.endsWith("b64=***"))
                .anyMatch(l -> l.endsWith("url=***"))
                .anyMatch(l -> l.endsWith("json=\"***\""));
        assertThat(all)
                .doesNotContain(DB_PASSWORD, SSM_VALUE, "plain-secret-value", "ssm-para", "ter-value-42")
                .doesNotContain(Base64.getEncoder().encodeToString(DB_PASSWORD.getBytes(StandardCharsets.UTF_8)))
                .doesNotContain(URLEncoder.encode(DB_PASSWORD, StandardCharsets.UTF_8));
    }

    @Test
    void aReferenceThatDoesNotResolveFailsTheTaskBeforeTheScriptRuns() {
        String id = submit(
                "scripts",
                Map.of("script", "echo the-script-ran", "secrets", Map.of("KEY", "aws-ssm:/does/not/exist")),
                60);
        JsonNode task = awaitEnd(id);
        assertThat(task.get("state").asText()).isEqualTo("FAILED");
        assertThat(task.get("error").get("message").asText())
                .startsWith("secret reference aws-ssm:/does/not/exist did not resolve: ")
                .contains("ParameterNotFound");
        assertThat(log(id)).noneMatch(l -> l.contains("the-script-ran"));
    }

    @Test
    void aDelegateWithScriptsRefusedDoesNotAdvertiseTheType() {
        delegate("lookups-1", "lookups", Map.of("DELEGATE_ALLOW_SCRIPTS", "false"));
        assertThat(api.delegate("lookups-1").toString()).doesNotContain("shell.script");
        String id = submit("lookups", Map.of("script", "echo hi"), 60);
        JsonNode task = awaitEnd(id);
        assertThat(task.get("state").asText()).isEqualTo("NOT_ASSIGNED");
        assertThat(task.toString()).contains("shell.script");
        String echo = api.submit(Map.of("type", "echo", "payload", Map.of(), "selectors", List.of("lookups")));
        assertThat(awaitEnd(echo).get("state").asText()).isEqualTo("SUCCEEDED");
    }

    @Test
    void aStoppingDelegateGivesARunningScriptItsGracePeriod() throws Exception {
        DelegateProcess stopping = delegate("stopping-1", "stopping", Map.of("DELEGATE_DRAIN_SECONDS", "0"));
        Path marker = work.resolve("graceful-stop.txt");
        String id = submit(
                "stopping",
                Map.of(
                        "script",
                        "trap 'sleep 4; echo cleaned-up > " + marker + "; exit 0' TERM\necho ready\nsleep 60 & wait",
                        "cancelGraceSeconds",
                        8),
                120);
        await().atMost(WAIT).until(() -> log(id).stream().anyMatch(l -> l.endsWith("ready")));
        stopping.sigterm();
        stopping.waitForExit(Duration.ofSeconds(40));
        assertThat(marker)
                .as("the script finished its TERM trap, 4 s after SIGTERM")
                .exists();
        assertThat(Files.readString(marker).trim()).isEqualTo("cleaned-up");
    }

    @Test
    void a100MegabyteOutputKeepsTheDelegatesMemoryBounded() throws IOException {
        DelegateProcess small = delegate(
                "bulk-1", "bulk", Map.of("JAVA_TOOL_OPTIONS", "-Xmx96m -XX:+UseSerialGC -XX:+ExitOnOutOfMemoryError"));
        long before = status(small.pid(), "VmRSS");
        // 100,000 numbered lines of about 1,000 bytes, then a last line to look for.
        String id = submit(
                "bulk",
                Map.of(
                        "script",
                        "awk 'BEGIN { s = sprintf(\"%990s\", \"\"); gsub(/ /, \"x\", s);"
                                + " for (i = 1; i <= 100000; i++) printf \"line-%07d %s\\n\", i, s }'\n"
                                + "echo end-of-output"),
                600);
        JsonNode task = awaitEnd(id);
        long peak = status(small.pid(), "VmHWM");
        System.out.println("[footprint] bulk-1 VmRSS before " + before / 1024 + " MiB, peak (VmHWM) after 100 MB of"
                + " output " + peak / 1024 + " MiB");
        assertThat(task.get("state").asText()).as(task.toString()).isEqualTo("SUCCEEDED");
        assertThat(small.isAlive()).isTrue();
        assertThat(peak).as("peak RSS in KiB").isLessThan(300 * 1024);
        List<String> log = finalLog(id, "end-of-output");
        assertThat(log.get(log.size() - 1)).endsWith("end-of-output");
        assertThat(log).as("the head is kept").anyMatch(l -> l.contains("line-0000001 x"));
        assertThat(log).as("the tail is kept").anyMatch(l -> l.contains("line-0100000 x"));
    }

    /** A /proc/<pid>/status figure in KiB. */
    private static long status(long pid, String field) throws IOException {
        return Files.readAllLines(Path.of("/proc/" + pid + "/status")).stream()
                .filter(l -> l.startsWith(field + ":"))
                .map(l -> Long.parseLong(l.replaceAll("[^0-9]", "")))
                .findFirst()
                .orElseThrow();
    }
}
