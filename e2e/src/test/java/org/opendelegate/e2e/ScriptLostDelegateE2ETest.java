package org.opendelegate.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.opendelegate.e2e.support.Api;
import org.opendelegate.e2e.support.DelegateProcess;
import org.opendelegate.e2e.support.ManagerProcess;

/**
 * A script is not known to be safe to run twice: when the delegate running it dies ({@code kill -9}), the task
 * fails as "may have partly run" instead of running again elsewhere — unless the caller allowed more attempts,
 * and then another delegate runs it.
 */
class ScriptLostDelegateE2ETest {
    private static Path work;
    private static ManagerProcess manager;
    private static Api api;

    @BeforeAll
    static void start() {
        work = Path.of(System.getProperty("opendelegate.workDir", "target/e2e-work"))
                .resolve("script-lost-" + UUID.randomUUID().toString().substring(0, 8));
        manager = ManagerProcess.start("manager", work.resolve("data"), 0, Map.of("OPENDELEGATE_LEASE_DURATION", "3s"));
        api = manager.api();
    }

    @AfterAll
    static void stop() {
        manager.close();
    }

    @Test
    void aScriptWhoseDelegateDiesFailsAsMayHavePartlyRunAndIsNotRunAgain() {
        try (DelegateProcess only =
                DelegateProcess.start("only", manager, "g1", Map.of("DELEGATE_NAME", "only"), work)) {
            only.awaitConnected();
            grant("only", "lost-one");
            String id = api.submit(Map.of(
                    "type",
                    "shell.script",
                    "selectors",
                    List.of("lost-one"),
                    "payload",
                    Map.of("script", "echo started; sleep 60")));
            awaitLogLine(id, "started");
            only.kill9();
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> !api.task(id).get("state").asText().equals("RUNNING"));
            JsonNode task = api.task(id);
            assertThat(task.get("state").asText()).isEqualTo("FAILED");
            assertThat(task.get("maxAttempts").asInt()).isEqualTo(1);
            assertThat(task.get("attemptCount").asInt()).isEqualTo(1);
            assertThat(task.get("error").get("message").asText()).contains("may have partly run");
        }
    }

    @Test
    void withMoreAttemptsAllowedAnotherDelegateRunsIt() {
        try (DelegateProcess a = DelegateProcess.start("a", manager, "g2", Map.of("DELEGATE_NAME", "run-a"), work);
                DelegateProcess b = DelegateProcess.start("b", manager, "g2", Map.of("DELEGATE_NAME", "run-b"), work)) {
            a.awaitConnected();
            b.awaitConnected();
            grant("run-a", "lost-two");
            String id = api.submit(Map.of(
                    "type",
                    "shell.script",
                    "selectors",
                    List.of("lost-two"),
                    "maxAttempts",
                    2,
                    "payload",
                    Map.of("script", "echo started; sleep 3; echo finished")));
            awaitLogLine(id, "started");
            String first = api.task(id).get("delegateName").asText();
            (first.equals("run-a") ? a : b).kill9();
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> api.task(id).get("state").asText().equals("SUCCEEDED"));
            JsonNode task = api.task(id);
            assertThat(task.get("attemptCount").asInt()).isEqualTo(2);
            assertThat(task.get("delegateName").asText()).isNotEqualTo(first);
        }
    }

    /** Scripts go only by selectors a group was granted: each test's group gets its own, so tests never share. */
    private static void grant(String delegateName, String selector) {
        String group = api.delegate(delegateName).get("groupId").asText();
        assertThat(api.put("/api/v1/delegate-groups/" + group + "/selectors", Map.of("selectors", List.of(selector)))
                        .status())
                .isEqualTo(200);
    }

    private static void awaitLogLine(String taskId, String text) {
        await().atMost(Duration.ofSeconds(30))
                .until(() -> api.get("/api/v1/tasks/" + taskId + "/log")
                        .json()
                        .toString()
                        .contains(text));
    }
}
