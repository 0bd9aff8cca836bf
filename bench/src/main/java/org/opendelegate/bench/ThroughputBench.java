package org.opendelegate.bench;

import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * End-to-end throughput of no-op ({@code echo}) tasks: submits as fast as the Manager takes them (bounded
 * concurrency) and measures from the first submission until every task has succeeded on the delegates.
 * A warm-up round of the same kind runs first and is not counted: on a fresh JVM the JIT compilers
 * take a large share of the CPU for the first tens of seconds.
 *
 * <p>Arguments: managerUrl apiKey accountId delegateToken tasks concurrency [warmUpTasks, default tasks/4]
 */
// A load generator fires calls and forgets them; each callback deals with its own result.
@SuppressWarnings("FutureReturnValueIgnored")
public final class ThroughputBench {
    private ThroughputBench() {}

    public static void main(String[] args) throws Exception {
        int tasks = Integer.parseInt(args[4]);
        int concurrency = Integer.parseInt(args[5]);
        int warmUp = args.length > 6 ? Integer.parseInt(args[6]) : tasks / 4;
        ManagerClient client = new ManagerClient(args[0], args[1], args[2], args[3], Executors.newFixedThreadPool(4));
        if (warmUp > 0) {
            System.out.print("warm-up: ");
            round(client, warmUp, concurrency);
        }
        round(client, tasks, concurrency);
        System.exit(0);
    }

    private static void round(ManagerClient client, int tasks, int concurrency) throws InterruptedException {
        long before = succeeded(client);
        Semaphore permits = new Semaphore(concurrency);
        AtomicInteger refused = new AtomicInteger();
        long start = System.nanoTime();
        for (int i = 0; i < tasks; i++) {
            permits.acquire();
            client.apiAsync("POST", "/api/v1/tasks", Map.of("type", "echo", "payload", Map.of("i", i)))
                    .whenComplete((r, e) -> {
                        if (e != null) {
                            refused.incrementAndGet();
                        }
                        permits.release();
                    });
        }
        permits.acquire(concurrency);
        double submitSeconds = (System.nanoTime() - start) / 1e9;
        long done;
        while ((done = succeeded(client) - before) < tasks - refused.get()) {
            if ((System.nanoTime() - start) / 1e9 > 600) {
                break;
            }
            TimeUnit.MILLISECONDS.sleep(100);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf(
                "submitted %d tasks in %.2f s (%.0f/s); %d succeeded in %.2f s end to end: %.0f tasks/s"
                        + " (refused %d)%n",
                tasks, submitSeconds, tasks / submitSeconds, done, seconds, done / seconds, refused.get());
    }

    private static long succeeded(ManagerClient client) {
        String text = client.metricsText().join();
        for (String line : text.split("\n")) {
            if (line.startsWith("opendelegate_tasks{state=\"SUCCEEDED\"}")) {
                return (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        throw new IllegalStateException("no opendelegate_tasks metric in /metrics");
    }
}
