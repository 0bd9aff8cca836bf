package org.opendelegate.e2e;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.opendelegate.e2e.support.Api;
import org.opendelegate.e2e.support.DelegateProcess;

/**
 * What the two chaos tests ({@link ChaosE2ETest}, {@link ReplicasChaosE2ETest}) share: every process they
 * start (Managers, replicas, the balancer, delegates, restarted ones included) is owned here and stopped by
 * {@link #close}, each one even when stopping another failed; the delegate fleet that is killed and restarted
 * at random; and the store's task counts read from the Manager's metrics.
 */
final class ChaosProcesses implements AutoCloseable {
    private static final Pattern ENDED_COUNTED_AT =
            Pattern.compile("(?m)^opendelegate_tasks_ended_counted_timestamp_seconds (\\S+)$");
    private static final Pattern TASK_GAUGE = Pattern.compile("(?m)^opendelegate_tasks\\{state=\"(\\w+)\"} (\\S+)$");

    private final Path work;
    private final Supplier<String> managerUrl;
    private final List<AutoCloseable> running = Collections.synchronizedList(new ArrayList<>());
    private final List<DelegateProcess> everyDelegate = Collections.synchronizedList(new ArrayList<>());

    /**
     * @param work where the processes write their files
     * @param managerUrl where delegates started now connect (the Manager, or the balancer)
     */
    ChaosProcesses(Path work, Supplier<String> managerUrl) {
        this.work = work;
        this.managerUrl = managerUrl;
    }

    /** Owns {@code process}: {@link #close} stops it. */
    <T extends AutoCloseable> T track(T process) {
        running.add(process);
        return process;
    }

    /** Starts delegate {@code index} of the fleet (group {@code chaos}, capacity 8), owned here. */
    DelegateProcess startDelegate(int index, int generation) {
        DelegateProcess delegate = track(DelegateProcess.start(
                "chaos-" + index + "-" + generation,
                managerUrl.get(),
                "chaos",
                Map.of("DELEGATE_NAME", "chaos-" + index, "DELEGATE_CAPACITY", "8"),
                work));
        everyDelegate.add(delegate);
        return delegate;
    }

    /** Every delegate process started so far, killed ones included, to read their output. */
    List<DelegateProcess> everyDelegate() {
        return new ArrayList<>(everyDelegate);
    }

    /**
     * Until {@code chaos} is off: every {@code minPauseMillis} to twice that, a delegate of {@code delegates}
     * is killed with {@code kill -9} and started again (a new process) 0.5–1.5 s later.
     */
    void killDelegatesAtRandom(
            DelegateProcess[] delegates, AtomicBoolean chaos, AtomicInteger kills, Random random, int minPauseMillis) {
        int generation = 1;
        while (chaos.get() && !Thread.currentThread().isInterrupted()) {
            pause(minPauseMillis + random.nextInt(minPauseMillis));
            if (!chaos.get() || Thread.currentThread().isInterrupted()) {
                return;
            }
            int victim = random.nextInt(delegates.length);
            delegates[victim].kill9();
            kills.incrementAndGet();
            pause(500 + random.nextInt(1000));
            delegates[victim] = startDelegate(victim, generation++);
        }
    }

    /** Stops every process, the last started first; a failure to stop one does not keep the others running. */
    @Override
    public void close() {
        List<AutoCloseable> all = new ArrayList<>(running);
        Collections.reverse(all);
        IllegalStateException failed = null;
        for (AutoCloseable c : all) {
            try {
                c.close();
            } catch (Exception e) {
                if (failed == null) {
                    failed = new IllegalStateException("could not stop every process of the chaos test", e);
                } else {
                    failed.addSuppressed(e);
                }
            }
        }
        if (failed != null) {
            throw failed;
        }
    }

    /** Tasks QUEUED or RUNNING, as the task list shows them. */
    static long countNotTerminal(Api api) {
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
    static Map<String, Long> storeCounts(Api api) {
        return storeCounts(api.text("/metrics"));
    }

    private static Map<String, Long> storeCounts(String metrics) {
        Map<String, Long> counts = new TreeMap<>();
        Matcher m = TASK_GAUGE.matcher(metrics);
        while (m.find()) {
            long n = (long) Double.parseDouble(m.group(2));
            if (n > 0) {
                counts.put(m.group(1), n);
            }
        }
        return counts;
    }

    /**
     * The store's counts once they are final: the Manager counts the tasks in flight every second, and the ended ones
     * by passes over the store that say when they began. Once none is in flight, a pass begun after that has them all.
     */
    static Map<String, Long> settledStoreCounts(Api api) {
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            Map<String, Long> counts = storeCounts(api);
            return counts.getOrDefault("QUEUED", 0L) + counts.getOrDefault("RUNNING", 0L) == 0;
        });
        double noneInFlight = System.currentTimeMillis() / 1000.0;
        AtomicReference<Map<String, Long>> settled = new AtomicReference<>();
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            String metrics = api.text("/metrics");
            Matcher passBegan = ENDED_COUNTED_AT.matcher(metrics);
            if (passBegan.find() && Double.parseDouble(passBegan.group(1)) > noneInFlight) {
                settled.set(storeCounts(metrics));
                return true;
            }
            return false;
        });
        return settled.get();
    }

    /** True while no chaos thread has failed; rethrows the failure of one that has, ending the wait. */
    static boolean failFast(List<Future<?>> threads) throws Exception {
        for (Future<?> f : threads) {
            if (f.isDone()) {
                f.get(); // a failed thread throws its failure here; a finished one returns
            }
        }
        return true;
    }

    static Map<String, Long> toLongs(Map<String, Integer> counts) {
        Map<String, Long> result = new TreeMap<>();
        counts.forEach((k, v) -> result.put(k, v.longValue()));
        return result;
    }

    static JsonNode toJson(Map<String, Object> payload) {
        try {
            return org.opendelegate.protocol.ProtocolJson.mapper()
                    .readTree(org.opendelegate.protocol.ProtocolJson.mapper().writeValueAsString(payload));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Paces the chaos and the retries; it waits for nothing. */
    static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
