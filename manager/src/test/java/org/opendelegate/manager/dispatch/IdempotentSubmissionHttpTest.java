package org.opendelegate.manager.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.opendelegate.manager.testing.TestManager;
import org.opendelegate.testkit.FakeDelegate;
import org.opendelegate.testkit.PostgresSchemas;
import org.opendelegate.testkit.TestHttp;

/**
 * Identical submissions that arrive at the same moment: the store lets one of them in, and every other one
 * must answer with that task instead of the store's unique-key violation. One pair of requests rarely
 * collides, so each test fires rounds of eight requests released together by a barrier; with the
 * Manager's fallback for the losers removed, the first few rounds already answer 500.
 */
class IdempotentSubmissionHttpTest {
    private static final int CALLERS = 8;
    private static final int ROUNDS = 15;

    private final ExecutorService callers = Executors.newFixedThreadPool(CALLERS);
    private TestManager manager;
    private String schema;
    private TestHttp api;

    @AfterEach
    void stop() {
        callers.shutdownNow();
        if (manager != null) {
            manager.close();
        }
        if (schema != null) {
            PostgresSchemas.drop(schema);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgres"})
    void concurrentIdenticalSubmissionsAllGetTheOneTask(String store) {
        start(store);
        for (int round = 0; round < ROUNDS; round++) {
            String key = "deploy-" + round;
            assertOneTaskFor(key, fire(key));
        }
        assertThat(api.get("/api/v1/tasks?limit=500").json().get("tasks")).hasSize(ROUNDS);
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgres"})
    void concurrentIdenticalSubmissionsAllGetTheOneTaskWhileADelegatePolls(String store) {
        start(store);
        // A submission that finds the delegate's poll parked is stored already leased, by another path than a
        // queued one; which path the winner takes depends on timing, and either must hold.
        FakeDelegate d = manager.delegate("d1", "g");
        d.register();
        for (int round = 0; round < ROUNDS; round++) {
            d.heartbeat(); // the rounds outlast the disconnect window
            CompletableFuture<TestHttp.Response> poll = CompletableFuture.supplyAsync(() -> d.poll(1));
            String key = "leased-" + round;
            List<TestHttp.Response> answers = fire(key);
            assertOneTaskFor(key, answers);
            String id = answers.get(0).json().get("id").asText();
            assertThat(poll.join().json().get("assignments").findValuesAsText("taskId"))
                    .containsExactly(id);
            assertThat(d.succeed(id, 1, Map.of()).get("disposition").asText()).isEqualTo("APPLIED");
        }
    }

    @org.junit.jupiter.api.Test
    void aRepeatedSyncSubmissionWaitsForTheEndOfTheTaskItRepeats() {
        start("h2");
        FakeDelegate d = manager.delegate("d1", "g");
        d.register();
        Map<String, Object> request =
                Map.of("type", "echo", "sync", true, "timeoutSeconds", 30, "idempotencyKey", "sync-repeat");
        CompletableFuture<TestHttp.Response> first =
                CompletableFuture.supplyAsync(() -> api.post("/api/v1/tasks", request), callers);
        List<String> taken = new ArrayList<>();
        org.awaitility.Awaitility.await()
                .atMost(java.time.Duration.ofSeconds(10))
                .until(() -> {
                    d.heartbeat();
                    TestHttp.Response poll = d.poll(1);
                    taken.addAll(poll.json().path("assignments").findValuesAsText("taskId"));
                    return !taken.isEmpty();
                });
        String id = taken.get(0);
        // The caller lost the first answer and asks again while the task runs: it waits for the end as well.
        CompletableFuture<TestHttp.Response> repeated =
                CompletableFuture.supplyAsync(() -> api.post("/api/v1/tasks", request), callers);
        org.awaitility.Awaitility.await()
                .during(java.time.Duration.ofMillis(500))
                .atMost(java.time.Duration.ofSeconds(5))
                .until(() -> !repeated.isDone());

        d.succeed(id, 1, Map.of());

        for (TestHttp.Response answer : List.of(first.join(), repeated.join())) {
            assertThat(answer.status()).isEqualTo(200);
            assertThat(answer.json().get("id").asText()).isEqualTo(id);
            assertThat(answer.json().get("state").asText()).isEqualTo("SUCCEEDED");
        }
        assertThat(api.post("/api/v1/tasks", request).json().get("state").asText())
                .as("once ended, a repeat answers at once")
                .isEqualTo("SUCCEEDED");
    }

    private void start(String store) {
        Map<String, String> env = new HashMap<>();
        if (store.equals("postgres")) {
            schema = PostgresSchemas.newName();
            env.put("OPENDELEGATE_DB_URL", PostgresSchemas.URL + "?currentSchema=" + schema);
            env.put("OPENDELEGATE_DB_USER", PostgresSchemas.USER);
        }
        manager = TestManager.start(env);
        api = manager.api();
    }

    private List<TestHttp.Response> fire(String key) {
        Map<String, Object> request = Map.of("type", "echo", "payload", Map.of("key", key), "idempotencyKey", key);
        CyclicBarrier together = new CyclicBarrier(CALLERS);
        List<CompletableFuture<TestHttp.Response>> posts = new ArrayList<>();
        for (int i = 0; i < CALLERS; i++) {
            posts.add(CompletableFuture.supplyAsync(
                    () -> {
                        awaitOthers(together);
                        return api.post("/api/v1/tasks", request);
                    },
                    callers));
        }
        return posts.stream().map(CompletableFuture::join).toList();
    }

    private static void assertOneTaskFor(String key, List<TestHttp.Response> answers) {
        assertThat(answers)
                .as("answers to the submissions with key %s", key)
                .allSatisfy(a -> assertThat(a.status()).isIn(200, 201));
        assertThat(answers)
                .as("answers that created the task with key %s", key)
                .filteredOn(a -> a.status() == 201)
                .hasSize(1);
        assertThat(answers.stream().map(a -> a.json().get("id").asText()).distinct())
                .as("task ids answered for key %s", key)
                .hasSize(1);
    }

    private static void awaitOthers(CyclicBarrier barrier) {
        try {
            barrier.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (BrokenBarrierException e) {
            throw new IllegalStateException(e);
        }
    }
}
