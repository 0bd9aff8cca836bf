package org.opendelegate.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.opendelegate.e2e.support.Api;
import org.opendelegate.e2e.support.DelegateProcess;
import org.opendelegate.e2e.support.ManagerProcess;

/**
 * The proof that no work is lost: 4 delegate processes, 2,000 tasks of random durations, delegates killed
 * with {@code kill -9} and restarted at random, the Manager killed and restarted once. Every task must reach
 * exactly one terminal state, none may be lost, and no result may be applied twice. The counts go to
 * {@code target/chaos-report.txt}.
 */
class ChaosE2ETest {
    private static final int TASKS = 2000;
    private static final int DELEGATES = 4;

    private final List<AutoCloseable> running = Collections.synchronizedList(new ArrayList<>());
    private final List<DelegateProcess> everyDelegate = Collections.synchronizedList(new ArrayList<>());
    private final Random random = new Random(42);
    private ManagerProcess manager;

    @AfterEach
    void stopAll() throws Exception {
        for (AutoCloseable c : new ArrayList<>(running)) {
            c.close();
        }
    }

    @Test
    void everyTaskEndsExactlyOnceThroughKilledDelegatesAndARestartedManager() throws Exception {
        Path work = Path.of(System.getProperty("opendelegate.workDir", "target/e2e-work")).resolve("chaos-"
                + System.currentTimeMillis());
        Map<String, String> managerEnv = Map.of("OPENDELEGATE_LEASE_DURATION", "3s",
                "OPENDELEGATE_NO_ELIGIBLE_WAIT", "60s");
        manager = track(ManagerProcess.start("manager", work.resolve("data"), 0, managerEnv));
        int port = manager.port();
        DelegateProcess[] delegates = new DelegateProcess[DELEGATES];
        for (int i = 0; i < DELEGATES; i++) {
            delegates[i] = startDelegate(work, i, 0);
            delegates[i].awaitConnected();
        }
        Map<String, JsonNode> submitted = new ConcurrentHashMap<>();
        AtomicBoolean chaos = new AtomicBoolean(true);
        AtomicInteger kills = new AtomicInteger();
        AtomicInteger managerRestarts = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(6);
        pool.submit(() -> killDelegatesAtRandom(work, delegates, chaos, kills));
        for (int s = 0; s < 4; s++) {
            int offset = s;
            pool.submit(() -> submit(offset, submitted));
        }
        await().atMost(Duration.ofMinutes(2)).until(() -> submitted.size() >= TASKS * 2 / 5);
        manager.kill9();
        managerRestarts.incrementAndGet();
        manager = track(ManagerProcess.start("manager-restarted", work.resolve("data"), port, managerEnv));
        await().atMost(Duration.ofMinutes(3)).until(() -> submitted.size() == TASKS);
        Api api = manager.api();
        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(2))
                .until(() -> countNotTerminal(api) == 0);
        chaos.set(false);
        pool.shutdown();
        assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();

        Map<String, Integer> byState = new TreeMap<>();
        int attemptsTotal = 0;
        int reroutes = 0;
        for (Map.Entry<String, JsonNode> e : submitted.entrySet()) {
            JsonNode task = api.task(e.getKey());
            String state = task.get("state").asText();
            byState.merge(state, 1, Integer::sum);
            attemptsTotal += task.get("attempts").size();
            reroutes += Math.max(0, task.get("attempts").size() - 1);
            assertExactlyOneEnd(task, e.getValue());
        }
        String report = "chaos: tasks=" + TASKS + " delegates=" + DELEGATES + " delegateKills=" + kills.get()
                + " managerRestarts=" + managerRestarts.get() + " attempts=" + attemptsTotal + " reroutes=" + reroutes
                + " byState=" + byState + " lost=0 appliedTwice=0";
        Files.writeString(Path.of("target", "chaos-report.txt"), report + System.lineSeparator());
        System.out.println(report);
        assertThat(byState.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(TASKS);
        assertThat(byState.getOrDefault("SUCCEEDED", 0)).as(report).isGreaterThan(TASKS * 9 / 10);
        assertThat(kills.get()).isPositive();
        // Other delegates picking up the work must not hide a bug: no delegate loop may crash (only kill -9
        // ends one here) and the Manager may not answer any delegate call with a 500 (the delegate logs it).
        for (DelegateProcess d : new ArrayList<>(everyDelegate)) {
            assertThat(d.output()).as(d.name() + " crashed, or the Manager failed one of its calls")
                    .doesNotContain("this is a bug");
        }
    }

    /** Exactly one attempt carries a delegate-reported end, and it matches the task's state and result. */
    private static void assertExactlyOneEnd(JsonNode task, JsonNode payload) {
        List<String> reportedEnds = new ArrayList<>();
        for (JsonNode attempt : task.get("attempts")) {
            String outcome = attempt.path("outcome").asText("");
            if (List.of("SUCCEEDED", "FAILED", "CANCELLED", "TIMED_OUT").contains(outcome)) {
                reportedEnds.add(outcome);
            }
        }
        String state = task.get("state").asText();
        assertThat(List.of("SUCCEEDED", "FAILED", "TIMED_OUT", "CANCELLED", "NOT_ASSIGNED")).contains(state);
        if (state.equals("SUCCEEDED")) {
            assertThat(reportedEnds).as(task.toString()).containsExactly("SUCCEEDED");
            if (task.get("type").asText().equals("echo")) {
                assertThat(task.get("result")).isEqualTo(payload);
            }
        } else {
            assertThat(reportedEnds).as(task.toString()).hasSizeLessThanOrEqualTo(1);
        }
    }

    private void submit(int offset, Map<String, JsonNode> submitted) {
        Random r = new Random(offset);
        for (int i = offset; i < TASKS; i += 4) {
            Map<String, Object> payload = r.nextBoolean() ? Map.of("n", i)
                    : Map.of("seconds", 0.02 + r.nextDouble() * 0.6);
            String type = payload.containsKey("seconds") ? "sleep" : "echo";
            Map<String, Object> request = Map.of("type", type, "payload", payload, "maxAttempts", 10,
                    "timeoutSeconds", 600, "idempotencyKey", "chaos-" + i);
            String id = null;
            while (id == null) {
                try {
                    id = manager.api().submit(request);
                } catch (RuntimeException managerDown) {
                    // The Manager is restarting; the idempotency key makes the retry safe.
                    pause(200);
                }
            }
            submitted.put(id, toJson(payload));
        }
    }

    private void killDelegatesAtRandom(Path work, DelegateProcess[] delegates, AtomicBoolean chaos,
            AtomicInteger kills) {
        int generation = 1;
        while (chaos.get()) {
            pause(2000 + random.nextInt(2000));
            if (!chaos.get()) {
                return;
            }
            int victim = random.nextInt(DELEGATES);
            delegates[victim].kill9();
            kills.incrementAndGet();
            pause(500 + random.nextInt(1000));
            delegates[victim] = startDelegate(work, victim, generation++);
        }
    }

    private DelegateProcess startDelegate(Path work, int index, int generation) {
        DelegateProcess delegate = track(DelegateProcess.start("chaos-" + index + "-" + generation, "http://127.0.0.1:" + manager.port(),
                "chaos", Map.of("DELEGATE_NAME", "chaos-" + index, "DELEGATE_CAPACITY", "8"), work));
        everyDelegate.add(delegate);
        return delegate;
    }

    private static long countNotTerminal(Api api) {
        return api.get("/api/v1/tasks?state=QUEUED&limit=1000").json().get("tasks").size()
                + api.get("/api/v1/tasks?state=RUNNING&limit=1000").json().get("tasks").size();
    }

    private static JsonNode toJson(Map<String, Object> payload) {
        try {
            return org.opendelegate.protocol.ProtocolJson.mapper().readTree(
                    org.opendelegate.protocol.ProtocolJson.mapper().writeValueAsString(payload));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Paces the chaos (and the retry of a submission while the Manager restarts); it waits for nothing. */
    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private <T extends AutoCloseable> T track(T closeable) {
        running.add(closeable);
        return closeable;
    }
}
