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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
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
import org.opendelegate.e2e.support.HaProxy;
import org.opendelegate.e2e.support.Replicas;

/**
 * The proof that no replica is a single point of failure: 3 Manager replicas on one PostgreSQL schema behind
 * HAProxy (round-robin, no stickiness, health checks on {@code /readyz}), 4 delegate processes connected
 * through it, 2,000 tasks (one in ten sync), replicas killed with {@code kill -9} and restarted at random
 * (at least 6 kills, never more than one down at a time), delegates killed and restarted too. Every task must
 * reach exactly one terminal state, none may be lost, no result may be applied twice, every sync caller
 * gets its answer or a retryable error (502/503/504, a cut connection) after which the same request with
 * the same idempotency key leads to the answer, and nothing answers 500. The figures go to
 * {@code target/replicas-chaos-report.txt}, counted like the single-Manager {@link ChaosE2ETest}.
 */
class ReplicasChaosE2ETest {
    private static final int TASKS = 2000;
    private static final int REPLICAS = 3;
    private static final int DELEGATES = 4;
    private static final int SUBMITTERS = 4;
    private static final int MIN_REPLICA_KILLS = 6;
    /** Every tenth task is submitted sync. */
    private static final int SYNC_EVERY = 10;
    /** A sync call's budget: under the balancer's 60 s server timeout, so the call ends at the Manager. */
    private static final int SYNC_TIMEOUT_SECONDS = 40;
    /** How long one call is retried while replicas die; the balancer has a live one within a second. */
    private static final Duration RETRY_DEADLINE = Duration.ofSeconds(60);
    /** What a dying replica or the balancer answers that a client may retry. */
    private static final Set<Integer> RETRYABLE = Set.of(502, 503, 504);

    private static final Map<String, String> MANAGER_ENV =
            Map.of("OPENDELEGATE_LEASE_DURATION", "3s", "OPENDELEGATE_NO_ELIGIBLE_WAIT", "60s");
    private static final Set<String> TERMINAL = Set.of("SUCCEEDED", "FAILED", "TIMED_OUT", "CANCELLED", "NOT_ASSIGNED");

    private final Random random = new Random(42);
    /** Every process this test starts, restarted ones included; stopped after the test, passed or failed. */
    private ChaosProcesses processes;

    private final AtomicInteger syncAnswered = new AtomicInteger();
    private final AtomicInteger syncAnsweredAfterRetry = new AtomicInteger();
    private final AtomicInteger retryableErrors = new AtomicInteger();
    private final Map<String, Integer> retryableByKind = new ConcurrentHashMap<>();
    private Replicas replicas;
    private HaProxy balancer;

    @AfterEach
    void stopAll() throws Exception {
        if (processes != null) {
            processes.close();
        }
    }

    @Test
    void everyTaskEndsExactlyOnceThroughKilledReplicasAndDelegates() throws Exception {
        Path work = Path.of(System.getProperty("opendelegate.workDir", "target/e2e-work"))
                .resolve("replicas-chaos-" + System.currentTimeMillis());
        processes = new ChaosProcesses(work, () -> balancer.url());
        replicas = processes.track(Replicas.start(work, REPLICAS, MANAGER_ENV));
        balancer = processes.track(HaProxy.start(replicas.ports(), work.resolve("haproxy")));
        DelegateProcess[] delegates = new DelegateProcess[DELEGATES];
        for (int i = 0; i < DELEGATES; i++) {
            delegates[i] = processes.startDelegate(i, 0);
            delegates[i].awaitConnected();
        }
        Map<String, JsonNode> submitted = new ConcurrentHashMap<>();
        AtomicInteger delegateKills = new AtomicInteger();
        AtomicInteger replicaKills = new AtomicInteger();

        Instant started = Instant.now();
        boolean settled = runChaos(delegates, submitted, delegateKills, replicaKills);

        Api api = balancer.api();
        Map<String, Long> store = settled ? ChaosProcesses.settledStoreCounts(api) : ChaosProcesses.storeCounts(api);
        ChaosTally tally = ChaosTally.count(api, TASKS, submitted, store);
        List<String> unexpected = replicas.unexpectedErrors();
        Map<Integer, Integer> statuses = balancer.statuses();
        String report = "replicas=" + REPLICAS + " replicaKills=" + replicaKills.get() + " "
                + tally.line(DELEGATES, delegateKills.get(), replicaKills.get()) + " sync=" + (TASKS / SYNC_EVERY)
                + " syncAnswered=" + syncAnswered.get() + " syncAnsweredAfterRetry=" + syncAnsweredAfterRetry.get()
                + " retryableErrors=" + retryableErrors.get() + " " + new TreeMap<>(retryableByKind)
                + " balancerStatuses=" + statuses + " unexpectedErrorsLogged=" + unexpected.size() + " seconds="
                + Duration.between(started, Instant.now()).toSeconds();
        Files.createDirectories(Path.of("target"));
        Files.writeString(Path.of("target", "replicas-chaos-report.txt"), report + System.lineSeparator());
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
        assertThat(syncAnswered.get() + syncAnsweredAfterRetry.get())
                .as("every sync caller got its answer")
                .isEqualTo(TASKS / SYNC_EVERY);
        assertThat(replicaKills.get()).isGreaterThanOrEqualTo(MIN_REPLICA_KILLS);
        assertThat(delegateKills.get()).isPositive();
        assertThat(unexpected).as("a replica answered 500").isEmpty();
        assertThat(statuses).as("the balancer passed on a 500").doesNotContainKey(500);
        for (DelegateProcess d : processes.everyDelegate()) {
            assertThat(d.output())
                    .as(d.name() + " crashed, or a replica failed one of its calls")
                    .doesNotContain("this is a bug");
        }
    }

    /**
     * Submits every task while replicas and delegates are killed at random; a failed chaos thread fails the
     * test at once. The chaos goes on until every task is submitted and the replicas were killed at least
     * {@value #MIN_REPLICA_KILLS} times. Returns whether every task ended within 3 minutes after that.
     */
    private boolean runChaos(
            DelegateProcess[] delegates,
            Map<String, JsonNode> submitted,
            AtomicInteger delegateKills,
            AtomicInteger replicaKills)
            throws Exception {
        AtomicBoolean chaos = new AtomicBoolean(true);
        ExecutorService pool = Executors.newFixedThreadPool(2 + SUBMITTERS);
        try {
            List<Future<?>> submitters = new ArrayList<>();
            for (int s = 0; s < SUBMITTERS; s++) {
                int offset = s;
                submitters.add(pool.submit(() -> submit(offset, submitted)));
            }
            Future<?> delegateKiller = pool.submit(
                    () -> processes.killDelegatesAtRandom(delegates, chaos, delegateKills, new Random(7), 3000));
            Future<?> replicaKiller = pool.submit(() -> killReplicasAtRandom(chaos, replicaKills));
            List<Future<?>> all = new ArrayList<>(submitters);
            all.add(delegateKiller);
            all.add(replicaKiller);
            await().atMost(Duration.ofMinutes(4))
                    .pollInterval(Duration.ofMillis(500))
                    .until(() -> ChaosProcesses.failFast(all)
                            && submitters.stream().allMatch(Future::isDone)
                            && replicaKills.get() >= MIN_REPLICA_KILLS);
            chaos.set(false);
            delegateKiller.get(30, TimeUnit.SECONDS);
            replicaKiller.get(90, TimeUnit.SECONDS);
            return settled(balancer.api());
        } finally {
            chaos.set(false);
            pool.shutdownNow();
            // A kill or restart under way ends before the processes are stopped, so none starts after that.
            pool.awaitTermination(2, TimeUnit.MINUTES);
        }
    }

    private static boolean settled(Api api) {
        try {
            await().atMost(Duration.ofMinutes(3))
                    .pollInterval(Duration.ofSeconds(2))
                    .ignoreExceptions()
                    .until(() -> ChaosProcesses.countNotTerminal(api) == 0);
            return true;
        } catch (ConditionTimeoutException stillWorking) {
            return false;
        }
    }

    /** Paced at about 10 submissions a second per submitter, so the tasks flow through the whole chaos. */
    private void submit(int offset, Map<String, JsonNode> submitted) {
        Random r = new Random(offset);
        for (int i = offset; i < TASKS; i += SUBMITTERS) {
            Map<String, Object> payload =
                    r.nextBoolean() ? Map.of("n", i) : Map.of("seconds", 0.02 + r.nextDouble() * 0.6);
            String type = payload.containsKey("seconds") ? "sleep" : "echo";
            boolean sync = i % SYNC_EVERY == 0;
            Map<String, Object> request = new HashMap<>(Map.of(
                    "type",
                    type,
                    "payload",
                    payload,
                    "maxAttempts",
                    10,
                    "timeoutSeconds",
                    sync ? SYNC_TIMEOUT_SECONDS : 600,
                    "idempotencyKey",
                    "chaos-" + i));
            if (sync) {
                request.put("sync", true);
                submitted.put(submitSync(request), ChaosProcesses.toJson(payload));
            } else {
                submitted.put(submitWithRetries(request).get("id").asText(), ChaosProcesses.toJson(payload));
                ChaosProcesses.pause(100);
            }
        }
    }

    /**
     * A sync call: its final task in the answer, or a retryable error, after which the caller sends the same
     * request again (same idempotency key) and, if that answers the task before its end, follows it to its
     * end as a client would. Returns the task id.
     */
    private String submitSync(Map<String, Object> request) {
        try {
            Api.Response r = balancer.api().post("/api/v1/tasks", request);
            if (r.status() == 200 && TERMINAL.contains(r.json().path("state").asText())) {
                syncAnswered.incrementAndGet();
                return r.json().get("id").asText();
            }
            retryable(request, r);
        } catch (UncheckedIOException cut) {
            noteRetryable("connection " + cut.getCause().getClass().getSimpleName());
        }
        JsonNode first = submitWithRetries(request);
        String id = first.get("id").asText();
        if (!TERMINAL.contains(first.path("state").asText())) {
            await("sync task " + id + " to end after a retry")
                    .atMost(Duration.ofSeconds(SYNC_TIMEOUT_SECONDS + 60))
                    .pollInterval(Duration.ofMillis(250))
                    .ignoreExceptions()
                    .until(() -> TERMINAL.contains(
                            balancer.api().task(id).path("state").asText()));
        }
        syncAnsweredAfterRetry.incrementAndGet();
        return id;
    }

    /**
     * Sends the request until a replica takes it; retries only what a dying replica causes (a cut or refused
     * connection, 502/503/504). Any other answer, a 500 above all, fails the test.
     */
    private JsonNode submitWithRetries(Map<String, Object> request) {
        Instant deadline = Instant.now().plus(RETRY_DEADLINE);
        String last;
        do {
            try {
                Api.Response r = balancer.api().post("/api/v1/tasks", request);
                if (r.status() == 200 || r.status() == 201) {
                    return r.json();
                }
                retryable(request, r);
                last = r.status() + " " + r.json();
            } catch (UncheckedIOException cut) {
                noteRetryable("connection " + cut.getCause().getClass().getSimpleName());
                last = cut.getCause().toString();
            }
            ChaosProcesses.pause(200);
        } while (Instant.now().isBefore(deadline));
        throw new AssertionError("submission " + request.get("idempotencyKey") + " was not taken within "
                + RETRY_DEADLINE.toSeconds() + " s; last: " + last);
    }

    private void retryable(Map<String, Object> request, Api.Response r) {
        if (!RETRYABLE.contains(r.status())) {
            throw new AssertionError(
                    "submission " + request.get("idempotencyKey") + " answered " + r.status() + ": " + r.json());
        }
        noteRetryable(String.valueOf(r.status()));
    }

    private void noteRetryable(String kind) {
        retryableErrors.incrementAndGet();
        retryableByKind.merge(kind, 1, Integer::sum);
    }

    /** One replica at a time: killed, back after 0.5–1.5 s, the next kill 3–5 s after it listens again. */
    private void killReplicasAtRandom(AtomicBoolean chaos, AtomicInteger kills) {
        while (chaos.get() && !Thread.currentThread().isInterrupted()) {
            ChaosProcesses.pause(3000 + random.nextInt(2000));
            int victim = random.nextInt(REPLICAS);
            replicas.kill9(victim);
            kills.incrementAndGet();
            ChaosProcesses.pause(500 + random.nextInt(1000));
            replicas.restart(victim);
        }
    }
}
