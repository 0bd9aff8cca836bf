package org.opendelegate.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.opendelegate.e2e.support.Api;
import org.opendelegate.e2e.support.DelegateProcess;
import org.opendelegate.e2e.support.ManagerProcess;

/**
 * The proof that no work is lost: 4 delegate processes, 2,000 tasks of random durations, delegates killed
 * with {@code kill -9} and restarted at random, the Manager killed and restarted once. Every task must reach
 * exactly one terminal state, none may be lost, and no result may be applied twice. Every figure is counted
 * from the Manager afterwards ({@link ChaosTally}) and goes to {@code target/chaos-report.txt}.
 */
class ChaosE2ETest {
    private static final int TASKS = 2000;
    private static final int DELEGATES = 4;
    private static final int SUBMITTERS = 4;
    /** How long one submission is retried while the Manager is down; a restart takes a few seconds. */
    private static final Duration RETRY_DEADLINE = Duration.ofSeconds(90);

    private final Random random = new Random(42);
    /** Every process this test starts, restarted ones included; stopped after the test, passed or failed. */
    private ChaosProcesses processes;

    private static final Map<String, String> MANAGER_ENV =
            Map.of("OPENDELEGATE_LEASE_DURATION", "3s", "OPENDELEGATE_NO_ELIGIBLE_WAIT", "60s");
    // Replaced by the restart while the submitters use it.
    private volatile ManagerProcess manager;
    private int managerRestarts;

    @AfterEach
    void stopAll() throws Exception {
        if (processes != null) {
            processes.close();
        }
    }

    @Test
    void everyTaskEndsExactlyOnceThroughKilledDelegatesAndARestartedManager() throws Exception {
        Path work = Path.of(System.getProperty("opendelegate.workDir", "target/e2e-work"))
                .resolve("chaos-" + System.currentTimeMillis());
        processes = new ChaosProcesses(work, () -> "http://127.0.0.1:" + manager.port());
        manager = processes.track(ManagerProcess.start("manager", work.resolve("data"), 0, MANAGER_ENV));
        DelegateProcess[] delegates = new DelegateProcess[DELEGATES];
        for (int i = 0; i < DELEGATES; i++) {
            delegates[i] = processes.startDelegate(i, 0);
            delegates[i].awaitConnected();
        }
        Map<String, JsonNode> submitted = new ConcurrentHashMap<>();
        AtomicInteger kills = new AtomicInteger();

        boolean settled = runChaos(work, delegates, submitted, kills);

        Api api = manager.api();
        Map<String, Long> store = settled ? ChaosProcesses.settledStoreCounts(api) : ChaosProcesses.storeCounts(api);
        ChaosTally tally = ChaosTally.count(api, TASKS, submitted, store);
        String report = tally.line(DELEGATES, kills.get(), managerRestarts);
        Files.writeString(Path.of("target", "chaos-report.txt"), report + System.lineSeparator());
        System.out.println(report);
        assertThat(tally.lost()).as(report + " " + tally.examples()).isZero();
        assertThat(tally.appliedTwice()).as(report + " " + tally.examples()).isZero();
        assertThat(tally.wrongEnd()).as(report + " " + tally.examples()).isZero();
        assertThat(tally.storeTotal())
                .as("tasks in the store; more means a submission was stored twice")
                .isEqualTo(TASKS);
        assertThat(tally.storeByState())
                .as("the store's counts against the tasks' own views")
                .isEqualTo(ChaosProcesses.toLongs(tally.byState()));
        assertThat(tally.byState().getOrDefault("SUCCEEDED", 0)).as(report).isGreaterThan(TASKS * 9 / 10);
        assertThat(kills.get()).isPositive();
        // Other delegates picking up the work must not hide a bug: no delegate loop may crash (only kill -9
        // ends one here) and the Manager may not answer any delegate call with a 500 (the delegate logs it).
        for (DelegateProcess d : processes.everyDelegate()) {
            assertThat(d.output())
                    .as(d.name() + " crashed, or the Manager failed one of its calls")
                    .doesNotContain("this is a bug");
        }
    }

    /**
     * Submits every task while delegates are killed at random and the Manager is killed and restarted once;
     * a failed chaos thread fails the test at once. Returns whether every task ended within 3 minutes: if
     * not, what is still queued or running is counted as lost.
     */
    private boolean runChaos(
            Path work, DelegateProcess[] delegates, Map<String, JsonNode> submitted, AtomicInteger kills)
            throws Exception {
        AtomicBoolean chaos = new AtomicBoolean(true);
        ExecutorService pool = Executors.newFixedThreadPool(1 + SUBMITTERS);
        try {
            Future<?> killer =
                    pool.submit(() -> processes.killDelegatesAtRandom(delegates, chaos, kills, random, 2000));
            List<Future<?>> all = new ArrayList<>();
            for (int s = 0; s < SUBMITTERS; s++) {
                int offset = s;
                all.add(pool.submit(() -> submit(offset, submitted)));
            }
            all.add(killer);
            await().atMost(Duration.ofMinutes(2))
                    .until(() -> ChaosProcesses.failFast(all) && submitted.size() >= TASKS * 2 / 5);
            manager.kill9();
            managerRestarts++;
            int port = manager.port();
            manager =
                    processes.track(ManagerProcess.start("manager-restarted", work.resolve("data"), port, MANAGER_ENV));
            for (Future<?> submitter : all.subList(0, SUBMITTERS)) {
                submitter.get(5, TimeUnit.MINUTES);
            }
            boolean settled = settled(manager.api(), all);
            chaos.set(false);
            killer.get(30, TimeUnit.SECONDS);
            return settled;
        } finally {
            chaos.set(false);
            pool.shutdownNow();
            // A kill or restart under way ends before the processes are stopped, so none starts after that.
            pool.awaitTermination(2, TimeUnit.MINUTES);
        }
    }

    private static boolean settled(Api api, List<Future<?>> chaosThreads) {
        try {
            await().atMost(Duration.ofMinutes(3))
                    .pollInterval(Duration.ofSeconds(2))
                    .until(() -> ChaosProcesses.failFast(chaosThreads) && ChaosProcesses.countNotTerminal(api) == 0);
            return true;
        } catch (ConditionTimeoutException stillWorking) {
            return false;
        }
    }

    private void submit(int offset, Map<String, JsonNode> submitted) {
        Random r = new Random(offset);
        for (int i = offset; i < TASKS; i += SUBMITTERS) {
            Map<String, Object> payload =
                    r.nextBoolean() ? Map.of("n", i) : Map.of("seconds", 0.02 + r.nextDouble() * 0.6);
            String type = payload.containsKey("seconds") ? "sleep" : "echo";
            Map<String, Object> request = Map.of(
                    "type",
                    type,
                    "payload",
                    payload,
                    "maxAttempts",
                    10,
                    "timeoutSeconds",
                    600,
                    "idempotencyKey",
                    "chaos-" + i);
            submitted.put(submitWithRetries(request), ChaosProcesses.toJson(payload));
        }
    }

    /**
     * Submits, retrying only what a Manager being killed and restarted causes: no connection or a cut one,
     * and 503 while it shuts down. The idempotency key makes a retry safe. Any other answer, a 500 above all,
     * fails the test, as does a Manager that stays away past the deadline.
     */
    private String submitWithRetries(Map<String, Object> request) {
        Instant deadline = Instant.now().plus(RETRY_DEADLINE);
        String last;
        do {
            try {
                Api.Response r = manager.api().post("/api/v1/tasks", request);
                if (r.status() == 200 || r.status() == 201) {
                    return r.json().get("id").asText();
                }
                if (r.status() != 503) {
                    throw new AssertionError("submission " + request.get("idempotencyKey") + " answered " + r.status()
                            + ": " + r.json());
                }
                last = "503 " + r.json();
            } catch (UncheckedIOException managerDown) {
                last = managerDown.getCause().toString();
            }
            ChaosProcesses.pause(200);
        } while (Instant.now().isBefore(deadline));
        throw new AssertionError("submission " + request.get("idempotencyKey") + " was not taken within "
                + RETRY_DEADLINE.toSeconds() + " s; last: " + last);
    }
}
