package org.opendelegate.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * How many delegates one Manager holds: simulated delegates that heartbeat (every 10 s with jitter, as
 * real ones do) and keep a long poll open, added in steps; at each step the heartbeat latency is measured
 * over a window. Registrations go through the JDK HTTP client, as in the other benches; the registered fleet's
 * heartbeats and polls run on a {@link RawDelegateFleet}, cheap enough that 20,000 delegates do not saturate
 * the simulator's core.
 *
 * <p>Arguments: managerUrl apiKey accountId delegateToken windowSeconds step1,step2,...
 */
public final class DelegateScaleBench {
    private DelegateScaleBench() {}

    public static void main(String[] args) throws Exception {
        int windowSeconds = Integer.parseInt(args[4]);
        ManagerClient client = ManagerClient.fromArgs(args);
        LatencyRecorder heartbeats = new LatencyRecorder(2_000_000);
        RawDelegateFleet fleet = new RawDelegateFleet(args[0], heartbeats, 10_000);
        Thread fleetThread = new Thread(fleet, "bench-fleet");
        fleetThread.setDaemon(true);
        // A fleet that stopped (out of files, say) would leave the windows measuring nothing: the bench fails.
        fleetThread.setUncaughtExceptionHandler((thread, e) -> {
            e.printStackTrace();
            Runtime.getRuntime().halt(1);
        });
        fleetThread.start();
        ProcCpu cpu = ProcCpu.fromProperties();
        for (String step : args[5].split(",")) {
            int target = Integer.parseInt(step.trim());
            long start = System.nanoTime();
            addDelegates(client, fleet, args[0], args[2], target);
            System.out.printf(
                    "%d delegates registered (%.1f s, %d registrations sent again after 503/429, %d after a lost"
                            + " connection); measuring heartbeats for %d s...%n",
                    fleet.size(),
                    (System.nanoTime() - start) / 1e9,
                    SimulatedDelegate.REGISTRATIONS_RETRIED.get(),
                    SimulatedDelegate.REGISTRATIONS_RECONNECTED.get(),
                    windowSeconds);
            TimeUnit.SECONDS.sleep(10); // one heartbeat period to settle
            ProcCpu.Sample before = cpu == null ? null : cpu.sample();
            CollectorReading collectorBefore =
                    CollectorReading.of(client.metricsText().join());
            heartbeats.start();
            TimeUnit.SECONDS.sleep(windowSeconds);
            Stats stats = heartbeats.stop();
            CollectorReading collectorAfter =
                    CollectorReading.of(client.metricsText().join());
            System.out.printf(
                    "delegates=%d heartbeat latency %s failures=%d (polls refused or cut so far, sent again: %s)%n",
                    fleet.size(), stats.summary(), heartbeats.failures(), fleet.pollsRefused());
            String timeline = System.getProperty("bench.timeline.dir");
            if (timeline != null) {
                // The window's samples by send time, to lay the tail beside GC and sweep logs.
                heartbeats.writeTimeline(Path.of(timeline, "heartbeats-" + fleet.size() + ".csv"));
            }
            if (cpu != null) {
                // The window's Manager CPU includes the open polls' renewals: it is the cost of holding the fleet.
                System.out.println("  " + cpu.perUnit(before, cpu.sample(), stats.count(), "heartbeat"));
            }
            // What the Manager allocates drives how often its collector stops every call, which is the tail.
            System.out.println("  " + collectorAfter.since(collectorBefore, stats.count(), "heartbeat"));
        }
        System.exit(0);
    }

    private static void addDelegates(
            ManagerClient client, RawDelegateFleet fleet, String managerUrl, String accountId, int target)
            throws InterruptedException {
        Semaphore inFlight = new Semaphore(64);
        List<CompletableFuture<Void>> registrations = new ArrayList<>();
        for (int i = fleet.size(); i < target; i++) {
            SimulatedDelegate d = new SimulatedDelegate(client, "sim-" + i, "sim-" + (i % 100), 4, (taskId, at) -> {});
            inFlight.acquire();
            registrations.add(d.register()
                    .whenComplete((r, e) -> inFlight.release())
                    .thenRun(() -> fleet.join(d.member(managerUrl, accountId))));
        }
        CompletableFuture.allOf(registrations.toArray(new CompletableFuture<?>[0]))
                .join();
    }
}
