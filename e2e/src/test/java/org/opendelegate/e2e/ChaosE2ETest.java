package org.opendelegate.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
    private static final Pattern TASK_GAUGE = Pattern.compile("(?m)^opendelegate_tasks\\{state=\"(\\w+)\"} (\\S+)$");
    private static final int TASKS = 2000;
    private static final int DELEGATES = 4;
    private static final int SUBMITTERS = 4;
    /** How long one submission is retried while the Manager is down; a restart takes a few seconds. */
    private static final Duration RETRY_DEADLINE = Duration.ofSeconds(90);

    private final List<AutoCloseable> running = Collections.synchronizedList(new ArrayList<>());
    private final List<DelegateProcess> everyDelegate = Collections.synchronizedList(new ArrayList<>());
    private final Random random = new Random(42);
    private static final Map<String, String> MANAGER_ENV =
            Map.of("OPENDELEGATE_LEASE_DURATION", "3s", "OPENDELEGATE_NO_ELIGIBLE_WAIT", "60s");
    // Replaced by the restart while the submitters use it.
    private volatile ManagerProcess manager;
    private int managerRestarts;

    @AfterEach
    void stopAll() throws Exception {
        for (AutoCloseable c : new ArrayList<>(running)) {
            c.close();
        }
    }

    @Test
    void everyTaskEndsExactlyOnceThroughKilledDelegatesAndARestartedManager() throws Exception {
        Path work = Path.of(System.getProperty("opendelegate.workDir", "target/e2e-work"))
                .resolve("chaos-" + System.currentTimeMillis());
        manager = track(ManagerProcess.start("manager", work.resolve("data"), 0, MANAGER_ENV));
        DelegateProcess[] delegates = new DelegateProcess[DELEGATES];
        for (int i = 0; i < DELEGATES; i++) {
            delegates[i] = startDelegate(work, i, 0);
            delegates[i].awaitConnected();
        }
        Map<String, JsonNode> submitted = new ConcurrentHashMap<>();
        AtomicInteger kills = new AtomicInteger();

        boolean settled = runChaos(work, delegates, submitted, kills);

        Api api = manager.api();
        Map<String, Long> store = settled ? settledStoreCounts(api) : storeCounts(api);
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
                .isEqualTo(toLongs(tally.byState()));
        assertThat(tally.byState().getOrDefault("SUCCEEDED", 0)).as(report).isGreaterThan(TASKS * 9 / 10);
        assertThat(kills.get()).isPositive();
        // Other delegates picking up the work must not hide a bug: no delegate loop may crash (only kill -9
        // ends one here) and the Manager may not answer any delegate call with a 500 (the delegate logs it).
        for (DelegateProcess d : new ArrayList<>(everyDelegate)) {
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
            Future<?> killer = pool.submit(() -> killDelegatesAtRandom(work, delegates, chaos, kills));
            List<Future<?>> all = new ArrayList<>();
            for (int s = 0; s < SUBMITTERS; s++) {
                int offset = s;
                all.add(pool.submit(() -> submit(offset, submitted)));
            }
            all.add(killer);
            await().atMost(Duration.ofMinutes(2)).until(() -> failFast(all) && submitted.size() >= TASKS * 2 / 5);
            manager.kill9();
            managerRestarts++;
            int port = manager.port();
            manager = track(ManagerProcess.start("manager-restarted", work.resolve("data"), port, MANAGER_ENV));
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
        }
    }

    private static boolean settled(Api api, List<Future<?>> chaosThreads) {
        try {
            await().atMost(Duration.ofMinutes(3))
                    .pollInterval(Duration.ofSeconds(2))
                    .until(() -> failFast(chaosThreads) && countNotTerminal(api) == 0);
            return true;
        } catch (ConditionTimeoutException stillWorking) {
            return false;
        }
    }

    /** The store's counts are cached for a second; once they too show no task waiting, they are final. */
    private static Map<String, Long> settledStoreCounts(Api api) {
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            Map<String, Long> counts = storeCounts(api);
            return counts.getOrDefault("QUEUED", 0L) + counts.getOrDefault("RUNNING", 0L) == 0;
        });
        return storeCounts(api);
    }

    /** True while no chaos thread has failed; rethrows the failure of one that has, ending the wait. */
    private static boolean failFast(List<Future<?>> threads) throws Exception {
        for (Future<?> f : threads) {
            if (f.isDone()) {
                f.get(); // a failed thread throws its failure here; a finished one returns
            }
        }
        return true;
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
            submitted.put(submitWithRetries(request), toJson(payload));
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
            pause(200);
        } while (Instant.now().isBefore(deadline));
        throw new AssertionError("submission " + request.get("idempotencyKey") + " was not taken within "
                + RETRY_DEADLINE.toSeconds() + " s; last: " + last);
    }

    private void killDelegatesAtRandom(
            Path work, DelegateProcess[] delegates, AtomicBoolean chaos, AtomicInteger kills) {
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
        DelegateProcess delegate = track(DelegateProcess.start(
                "chaos-" + index + "-" + generation,
                "http://127.0.0.1:" + manager.port(),
                "chaos",
                Map.of("DELEGATE_NAME", "chaos-" + index, "DELEGATE_CAPACITY", "8"),
                work));
        everyDelegate.add(delegate);
        return delegate;
    }

    private static long countNotTerminal(Api api) {
        return (long) api.get("/api/v1/tasks?state=QUEUED&limit=1000")
                        .json()
                        .get("tasks")
                        .size()
                + api.get("/api/v1/tasks?state=RUNNING&limit=1000")
                        .json()
                        .get("tasks")
                        .size();
    }

    /** Tasks by state as the store counts them, read from the Manager's metrics; states with none left out. */
    private static Map<String, Long> storeCounts(Api api) {
        Map<String, Long> counts = new TreeMap<>();
        Matcher m = TASK_GAUGE.matcher(api.text("/metrics"));
        while (m.find()) {
            long n = (long) Double.parseDouble(m.group(2));
            if (n > 0) {
                counts.put(m.group(1), n);
            }
        }
        return counts;
    }

    private static Map<String, Long> toLongs(Map<String, Integer> counts) {
        Map<String, Long> result = new TreeMap<>();
        counts.forEach((k, v) -> result.put(k, v.longValue()));
        return result;
    }

    private static JsonNode toJson(Map<String, Object> payload) {
        try {
            return org.opendelegate.protocol.ProtocolJson.mapper()
                    .readTree(org.opendelegate.protocol.ProtocolJson.mapper().writeValueAsString(payload));
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
