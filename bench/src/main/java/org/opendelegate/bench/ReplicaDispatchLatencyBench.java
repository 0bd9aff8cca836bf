package org.opendelegate.bench;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Dispatch latency across Manager replicas: a task submitted on replica A reaches a delegate long-polling
 * on replica B (the wake-up crosses replicas through the database) against one polling on A itself. One
 * task at a time, one delegate, the two series interleaved in rounds so that machine load hits both alike.
 *
 * <p>Arguments: replicaAUrl replicaBUrl apiKey accountId delegateToken tasksPerSeries
 */
public final class ReplicaDispatchLatencyBench {
    private static final int ROUNDS = 4;

    private ReplicaDispatchLatencyBench() {}

    public static void main(String[] args) throws Exception {
        int tasks = Integer.parseInt(args[5]);
        var executor = Executors.newFixedThreadPool(4, BenchThreads.daemon("bench-client"));
        ManagerClient a = new ManagerClient(args[0], args[2], args[3], args[4], executor);
        ManagerClient b = new ManagerClient(args[1], args[2], args[3], args[4], executor);
        ScheduledExecutorService timer = Executors.newScheduledThreadPool(1, BenchThreads.daemon("bench-timer"));
        // Warm both replicas' hot paths (see DispatchLatencyBench).
        DispatchLatencyBench.dispatchSamples(a, a, timer, 1, tasks, false);
        DispatchLatencyBench.dispatchSamples(b, b, timer, 1, tasks, false);
        long[] same = new long[0];
        long[] cross = new long[0];
        int perRound = Math.max(1, tasks / ROUNDS);
        for (int round = 0; round < ROUNDS; round++) {
            same = concat(same, DispatchLatencyBench.dispatchSamples(a, a, timer, 1, perRound, false));
            cross = concat(cross, DispatchLatencyBench.dispatchSamples(a, b, timer, 1, perRound, false));
        }
        System.out.println(
                "dispatch latency, submitter and delegate on the same replica: " + new Stats(same).summary());
        System.out.println(
                "dispatch latency, submitter on A, delegate on B:              " + new Stats(cross).summary());
        timer.shutdownNow();
        executor.shutdownNow();
        System.exit(0);
    }

    private static long[] concat(long[] x, long[] y) {
        long[] r = java.util.Arrays.copyOf(x, x.length + y.length);
        System.arraycopy(y, 0, r, x.length, y.length);
        return r;
    }
}
