package org.opendelegate.manager.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.opendelegate.manager.security.Role;
import org.opendelegate.manager.testing.TestManager;
import org.opendelegate.testkit.FakeDelegate;
import org.opendelegate.testkit.TestHttp;

/**
 * {@code POST /api/v1/tasks/batch}: many async tasks in one request and one commit, each wrong item named by its
 * index, nothing stored when any item is wrong, idempotent repeats, roles.
 */
class TaskBatchHttpTest {
    private static TestManager manager;

    @BeforeAll
    static void start() {
        manager =
                TestManager.start(Map.of("OPENDELEGATE_DISCONNECT_AFTER", "60s", "OPENDELEGATE_LEASE_DURATION", "60s"));
        manager.seedAccount(TestManager.ACCOUNT_ID, "odk_batch-viewer-key-0123456789", Role.VIEWER, null);
    }

    @AfterAll
    static void stop() {
        manager.close();
    }

    @Test
    void aBatchIsStoredInOrderAndReachesTheDelegates() {
        FakeDelegate runner = manager.delegate("batch-runner", "batch-runners").with("capacity", 256);
        runner.register();
        List<Map<String, Object>> items = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            items.add(Map.of("type", "echo", "payload", Map.of("i", i), "selectors", List.of("batch-runners")));
        }

        TestHttp.Response answer = manager.api().post("/api/v1/tasks/batch", Map.of("tasks", items));

        assertThat(answer.status()).as(answer.toString()).isEqualTo(201);
        assertThat(answer.json().get("created").asInt()).isEqualTo(300);
        JsonNode tasks = answer.json().get("tasks");
        assertThat(tasks).hasSize(300);
        Map<String, Integer> indexOf = new HashMap<>();
        for (int i = 0; i < 300; i++) {
            assertThat(tasks.get(i).get("state").asText()).isEqualTo("QUEUED");
            assertThat(tasks.get(i).get("existing").asBoolean()).isFalse();
            indexOf.put(tasks.get(i).get("id").asText(), i);
        }
        // Each task is stored with its own payload, in the order given.
        JsonNode seventh = manager.api()
                .get("/api/v1/tasks/" + tasks.get(7).get("id").asText())
                .json();
        assertThat(seventh.get("payload").get("i").asInt()).isEqualTo(7);
        Set<String> taken = new HashSet<>();
        for (int round = 0; round < 10 && taken.size() < 256; round++) {
            runner.poll(256)
                    .json()
                    .get("assignments")
                    .forEach(a -> taken.add(a.get("taskId").asText()));
        }
        // A delegate takes what its free slots allow, only tasks of this batch.
        assertThat(taken.size()).isGreaterThanOrEqualTo(256);
        assertThat(taken).isSubsetOf(indexOf.keySet());
    }

    @Test
    void everyWrongItemIsNamedByItsIndexAndNothingIsStored() {
        int before = countOf("batch-bad");
        List<Map<String, Object>> items = List.of(
                Map.of("type", "batch-bad"),
                Map.of("type", "batch-bad", "idempotencyKey", "same-key"),
                Map.of("type", "Not A Type"),
                Map.of("type", "batch-bad", "sync", true),
                Map.of("type", "batch-bad", "idempotencyKey", "same-key"),
                Map.of("type", "batch-bad", "timeoutSeconds", 0));

        TestHttp.Response refused = manager.api().post("/api/v1/tasks/batch", Map.of("tasks", items));

        assertThat(refused.status()).as(refused.toString()).isEqualTo(400);
        List<String> fields = new ArrayList<>();
        refused.json().get("errors").forEach(e -> fields.add(e.get("field").asText()));
        assertThat(fields)
                .containsExactly(
                        "tasks[2].type", "tasks[3].sync", "tasks[4].idempotencyKey", "tasks[5].timeoutSeconds");
        assertThat(refused.json().get("detail").asText()).contains("repeats the key of tasks[1]");
        assertThat(countOf("batch-bad")).isEqualTo(before);
    }

    @Test
    void theSizeOfTheBatchAndOfEachPayloadIsBounded() {
        List<Map<String, Object>> tooMany = new ArrayList<>();
        for (int i = 0; i < 1001; i++) {
            tooMany.add(Map.of("type", "batch-many"));
        }
        TestHttp.Response many = manager.api().post("/api/v1/tasks/batch", Map.of("tasks", tooMany));
        TestHttp.Response empty = manager.api().post("/api/v1/tasks/batch", Map.of("tasks", List.of()));
        TestHttp.Response missing = manager.api().post("/api/v1/tasks/batch", Map.of());
        TestHttp.Response large = manager.api()
                .post(
                        "/api/v1/tasks/batch",
                        Map.of(
                                "tasks",
                                List.of(
                                        Map.of("type", "batch-many"),
                                        Map.of(
                                                "type",
                                                "batch-many",
                                                "payload",
                                                Map.of("blob", "x".repeat(1_000_001))))));
        TestHttp.Response notJson = manager.api().postRaw("/api/v1/tasks/batch", "text/plain", "tasks");

        assertThat(many.status()).isEqualTo(400);
        assertThat(many.json().get("errors").get(0).get("field").asText()).isEqualTo("tasks");
        assertThat(many.json().get("detail").asText()).contains("holds 1001 tasks; send 1 to 1000");
        assertThat(empty.status()).isEqualTo(400);
        assertThat(missing.status()).isEqualTo(400);
        assertThat(large.status()).isEqualTo(413);
        assertThat(large.json().get("detail").asText()).startsWith("`tasks[1]`: `payload` takes 1000012 characters");
        assertThat(notJson.status()).isEqualTo(415);
        assertThat(countOf("batch-many")).isZero();
    }

    @Test
    void aRepeatedBatchAnswersTheFirstTasksAndADifferentRequestUnderAKeyIsAConflict() {
        List<Map<String, Object>> items = List.of(
                Map.of("type", "batch-idem", "idempotencyKey", "batch-k1", "payload", Map.of("n", 1)),
                Map.of("type", "batch-idem", "idempotencyKey", "batch-k2", "payload", Map.of("n", 2)));
        TestHttp.Response first = manager.api().post("/api/v1/tasks/batch", Map.of("tasks", items));
        TestHttp.Response repeat = manager.api().post("/api/v1/tasks/batch", Map.of("tasks", items));
        TestHttp.Response changed = manager.api()
                .post(
                        "/api/v1/tasks/batch",
                        Map.of(
                                "tasks",
                                List.of(
                                        Map.of("type", "batch-idem"),
                                        Map.of(
                                                "type",
                                                "batch-idem",
                                                "idempotencyKey",
                                                "batch-k2",
                                                "payload",
                                                Map.of("n", 3)))));

        assertThat(first.status()).isEqualTo(201);
        assertThat(repeat.status()).isEqualTo(200);
        assertThat(repeat.json().get("created").asInt()).isZero();
        for (int i = 0; i < 2; i++) {
            assertThat(repeat.json().get("tasks").get(i).get("id").asText())
                    .isEqualTo(first.json().get("tasks").get(i).get("id").asText());
            assertThat(repeat.json().get("tasks").get(i).get("existing").asBoolean())
                    .isTrue();
        }
        assertThat(changed.status()).isEqualTo(409);
        assertThat(changed.json().get("detail").asText())
                .startsWith("`tasks[1]`")
                .contains("batch-k2");
        assertThat(countOf("batch-idem")).isEqualTo(2);
    }

    @Test
    void aViewerMayNotSubmitABatch() {
        TestHttp.Response refused = manager.api("odk_batch-viewer-key-0123456789")
                .post("/api/v1/tasks/batch", Map.of("tasks", List.of(Map.of("type", "batch-viewer"))));

        assertThat(refused.status()).isEqualTo(403);
        assertThat(countOf("batch-viewer")).isZero();
    }

    private static int countOf(String type) {
        return manager.api()
                .get("/api/v1/tasks?limit=1000&type=" + type)
                .json()
                .get("tasks")
                .size();
    }
}
