package org.opendelegate.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * How the embedded store's file grows under a steady trickle of tasks: tasks submitted at a fixed rate, each
 * handed to one of two parked delegates, which answer at once, so every task is a few small commits, as in a
 * deployment's day. Prints the file's size every {@code reportSeconds}; the live data grows by a couple of
 * kilobytes a task, anything above that is space H2 did not reuse.
 *
 * <p>Arguments: managerUrl apiKey accountId delegateToken storeFile seconds tasksPerSecond
 */
public final class StoreGrowthBench {
    private static final long REPORT_SECONDS = 15;

    private StoreGrowthBench() {}

    public static void main(String[] args) throws Exception {
        Path storeFile = Path.of(args[4]);
        long seconds = Long.parseLong(args[5]);
        int perSecond = Integer.parseInt(args[6]);
        var executor = Executors.newFixedThreadPool(4, BenchThreads.daemon("bench-client"));
        ManagerClient client = new ManagerClient(args[0], args[1], args[2], args[3], executor);
        ScheduledExecutorService timer = Executors.newScheduledThreadPool(2, BenchThreads.daemon("bench-timer"));
        String group = "growth-" + System.nanoTime();
        AtomicLong done = new AtomicLong();
        List<SimulatedDelegate> delegates = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            SimulatedDelegate d = new SimulatedDelegate(client, group + "-" + i, group, 4, (taskId, at) -> {});
            d.onReported(taskId -> done.incrementAndGet());
            d.register().join();
            d.start(timer, 10_000, true);
            delegates.add(d);
        }
        TimeUnit.MILLISECONDS.sleep(500);
        AtomicLong submitted = new AtomicLong();
        long periodMicros = 1_000_000L / perSecond;
        var submitting = timer.scheduleAtFixedRate(
                () -> {
                    long i = submitted.incrementAndGet();
                    var unused = client.apiAsync(
                            "POST",
                            "/api/v1/tasks",
                            Map.of("type", "echo", "payload", Map.of("i", i), "selectors", List.of(group)));
                },
                0,
                periodMicros,
                TimeUnit.MICROSECONDS);
        long start = System.nanoTime();
        long firstBytes = Files.size(storeFile);
        System.out.printf(
                "%d tasks a second for %d s; store file at the start: %d MiB%n", perSecond, seconds, firstBytes >> 20);
        for (long at = REPORT_SECONDS; at <= seconds; at += REPORT_SECONDS) {
            TimeUnit.NANOSECONDS.sleep(start + TimeUnit.SECONDS.toNanos(at) - System.nanoTime());
            long bytes = Files.size(storeFile);
            long tasks = done.get();
            System.out.printf(
                    "%4d s: %7d tasks done, store file %5d MiB (%.1f KiB a task since the start)%n",
                    at, tasks, bytes >> 20, tasks == 0 ? 0.0 : (bytes - firstBytes) / 1024.0 / tasks);
        }
        submitting.cancel(false);
        delegates.forEach(SimulatedDelegate::stop);
        timer.shutdownNow();
        executor.shutdownNow();
        System.exit(0);
    }
}
