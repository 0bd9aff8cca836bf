package org.opendelegate.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Dispatch latency: from submitting a task to the delegate holding it (its handler would start now),
 * one task at a time, with 1 and with 50 delegates parked on long polls. Compared in the same run with a bare
 * HTTP round trip ({@code GET /healthz}) on the same server.
 *
 * <p>Two series each. <b>Idle</b>: the next task is submitted once the Manager has answered the previous task's
 * outcome report, so a submission finds the Manager idle and the delegates parked, as a deployment's tasks
 * usually do; this is the latency the target is about. <b>Back to back</b>: the next task is submitted as soon
 * as the previous one reached its delegate, so it shares the Manager's core with that task's outcome report
 * and the delegate's next poll; it shows the latency of a busy Manager.
 *
 * <p>Arguments: managerUrl apiKey accountId delegateToken tasksPerRun
 */
public final class DispatchLatencyBench {
    /** The series: with 1 and with 50 delegates, each idle and back to back. */
    private static final int[] DELEGATES = {1, 50};

    private static final boolean[] IDLE = {true, false};

    private DispatchLatencyBench() {}

    public static void main(String[] args) throws Exception {
        String url = args[0];
        int tasks = Integer.parseInt(args[4]);
        var executor = Executors.newFixedThreadPool(4, BenchThreads.daemon("bench-client"));
        ManagerClient client = new ManagerClient(url, args[1], args[2], args[3], executor);
        ScheduledExecutorService timer = Executors.newScheduledThreadPool(1, BenchThreads.daemon("bench-timer"));
        // A long warm-up: the first thousands of requests run while the JIT still compiles the hot paths
        // (the bare round trip's p90 drops from ~4 ms to ~0.6 ms between the first and the last series).
        warmUp(client, tasks);
        ProcCpu cpu = ProcCpu.fromProperties();
        ProcCpu.Sample before = cpu == null ? null : cpu.sample();
        System.out.println("bare round trip (GET /healthz): "
                + bareRoundTrips(client, tasks).summary());
        before = printCpu(cpu, before, tasks, "round trip");
        for (int delegates : DELEGATES) {
            for (boolean idle : IDLE) {
                System.out.println("dispatch latency, " + delegates + " delegate(s), "
                        + (idle ? "idle:         " : "back to back: ")
                        + new Stats(dispatchSamples(client, client, timer, delegates, tasks, idle)).summary());
                before = printCpu(cpu, before, tasks, "task");
            }
        }
        System.out.println("bare round trip (GET /healthz), again: "
                + bareRoundTrips(client, tasks).summary());
        printCpu(cpu, before, tasks, "round trip");
        timer.shutdownNow();
        executor.shutdownNow();
        System.exit(0);
    }

    /** Prints the CPU used since {@code before} per unit (a task's CPU includes its outcome report). */
    private static ProcCpu.Sample printCpu(ProcCpu cpu, ProcCpu.Sample before, int units, String unit) {
        if (cpu == null) {
            return null;
        }
        ProcCpu.Sample now = cpu.sample();
        System.out.println("  " + cpu.perUnit(before, now, units, unit));
        return now;
    }

    /**
     * Runs twice {@code tasks} round trips and then each measured series' shape with {@code tasks / 2} tasks, so that
     * no measured series is the first to run its code paths: a series run first paid for the JIT compiling and
     * recompiling them (about 1.5 ms of compiler CPU per task on the Manager's core, three to four times more
     * than the series after it), which a Manager that has been running for a while does not.
     */
    private static void warmUp(ManagerClient client, int tasks) throws Exception {
        bareRoundTrips(client, tasks * 2);
        ScheduledExecutorService timer = Executors.newScheduledThreadPool(1, BenchThreads.daemon("bench-timer"));
        for (int delegates : DELEGATES) {
            for (boolean idle : IDLE) {
                dispatchSamples(client, client, timer, delegates, tasks / 2, idle);
            }
        }
        timer.shutdownNow();
    }

    private static Stats bareRoundTrips(ManagerClient client, int n) {
        long[] samples = new long[n];
        for (int i = 0; i < n; i++) {
            long start = System.nanoTime();
            client.healthz().join();
            samples[i] = System.nanoTime() - start;
        }
        return new Stats(samples);
    }

    /**
     * Dispatch latency with the tasks submitted through {@code client} and the delegates polling through
     * {@code delegateClient}: the same Manager, or two replicas of one. With {@code idle}, each task is
     * submitted once the previous task's outcome report was answered.
     */
    static long[] dispatchSamples(
            ManagerClient client,
            ManagerClient delegateClient,
            ScheduledExecutorService timer,
            int delegateCount,
            int n,
            boolean idle)
            throws Exception {
        Map<String, CompletableFuture<Long>> assigned = new ConcurrentHashMap<>();
        Map<String, CompletableFuture<Void>> reported = new ConcurrentHashMap<>();
        String group = "latency-" + delegateCount + "-" + System.nanoTime();
        List<SimulatedDelegate> delegates = new ArrayList<>();
        for (int i = 0; i < delegateCount; i++) {
            SimulatedDelegate d = new SimulatedDelegate(
                    delegateClient,
                    group + "-" + i,
                    group,
                    4,
                    (taskId, at) -> assigned.computeIfAbsent(taskId, id -> new CompletableFuture<>())
                            .complete(at));
            d.onReported(taskId -> reported.computeIfAbsent(taskId, id -> new CompletableFuture<>())
                    .complete(null));
            d.register().join();
            d.start(timer, 10_000, true);
            delegates.add(d);
        }
        TimeUnit.MILLISECONDS.sleep(500); // let every poll park before measuring
        long[] samples = new long[n];
        for (int i = 0; i < n; i++) {
            long start = System.nanoTime();
            String id = client.api(
                            "POST",
                            "/api/v1/tasks",
                            Map.of("type", "echo", "payload", Map.of("i", i), "selectors", List.of(group)))
                    .get("id")
                    .asText();
            long at;
            try {
                at = assigned.computeIfAbsent(id, x -> new CompletableFuture<>())
                        .get(10, TimeUnit.SECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                throw new IllegalStateException(
                        "task " + id + " did not reach a delegate within 10 s; the Manager " + "says: "
                                + client.api("GET", "/api/v1/tasks/" + id, null),
                        e);
            }
            samples[i] = at - start;
            if (idle) {
                reported.computeIfAbsent(id, x -> new CompletableFuture<>()).get(10, TimeUnit.SECONDS);
                // The delegate sent its next poll before reporting; give it a moment to park.
                TimeUnit.MILLISECONDS.sleep(1);
            }
            assigned.remove(id);
            reported.remove(id);
        }
        delegates.forEach(SimulatedDelegate::stop);
        return samples;
    }
}
