package org.opendelegate.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * How many delegates one Manager holds: simulated delegates that heartbeat (every 10 s with jitter, as
 * real ones do) and keep a long poll open, added in steps; at each step the heartbeat latency is measured
 * over a window.
 *
 * <p>Arguments: managerUrl apiKey accountId delegateToken windowSeconds step1,step2,...
 */
public final class DelegateScaleBench {
    private DelegateScaleBench() {}

    public static void main(String[] args) throws Exception {
        int windowSeconds = Integer.parseInt(args[4]);
        ManagerClient client = ManagerClient.fromArgs(args);
        ScheduledExecutorService timer = Executors.newScheduledThreadPool(2, BenchThreads.daemon("bench-timer"));
        List<SimulatedDelegate> delegates = new ArrayList<>();
        LatencyRecorder heartbeats = new LatencyRecorder(2_000_000);
        ProcCpu cpu = ProcCpu.fromProperties();
        for (String step : args[5].split(",")) {
            int target = Integer.parseInt(step.trim());
            long start = System.nanoTime();
            addDelegates(client, timer, delegates, target, heartbeats);
            System.out.printf(
                    "%d delegates registered (%.1f s, %d registrations sent again after 503/429, %d after a lost"
                            + " connection); measuring heartbeats for %d s...%n",
                    delegates.size(),
                    (System.nanoTime() - start) / 1e9,
                    SimulatedDelegate.REGISTRATIONS_RETRIED.get(),
                    SimulatedDelegate.REGISTRATIONS_RECONNECTED.get(),
                    windowSeconds);
            TimeUnit.SECONDS.sleep(10); // one heartbeat period to settle
            ProcCpu.Sample before = cpu == null ? null : cpu.sample();
            heartbeats.start();
            TimeUnit.SECONDS.sleep(windowSeconds);
            Stats stats = heartbeats.stop();
            System.out.printf(
                    "delegates=%d heartbeat latency %s failures=%d%n",
                    delegates.size(), stats.summary(), heartbeats.failures());
            String timeline = System.getProperty("bench.timeline.dir");
            if (timeline != null) {
                // The window's samples by send time, to lay the tail beside GC and sweep logs.
                heartbeats.writeTimeline(Path.of(timeline, "heartbeats-" + delegates.size() + ".csv"));
            }
            if (cpu != null) {
                // The window's Manager CPU includes the open polls' renewals: it is the cost of holding the fleet.
                System.out.println("  " + cpu.perUnit(before, cpu.sample(), stats.count(), "heartbeat"));
            }
        }
        delegates.forEach(SimulatedDelegate::stop);
        System.exit(0);
    }

    private static void addDelegates(
            ManagerClient client,
            ScheduledExecutorService timer,
            List<SimulatedDelegate> delegates,
            int target,
            LatencyRecorder heartbeats)
            throws InterruptedException {
        Semaphore inFlight = new Semaphore(64);
        List<CompletableFuture<Void>> registrations = new ArrayList<>();
        for (int i = delegates.size(); i < target; i++) {
            SimulatedDelegate d =
                    new SimulatedDelegate(client, "sim-" + i, "sim-" + (i % 100), 4, (taskId, at) -> {}, heartbeats);
            inFlight.acquire();
            registrations.add(d.register()
                    .whenComplete((r, e) -> inFlight.release())
                    .thenRun(() -> d.start(timer, 10_000, true)));
            delegates.add(d);
        }
        CompletableFuture.allOf(registrations.toArray(new CompletableFuture<?>[0]))
                .join();
    }
}
