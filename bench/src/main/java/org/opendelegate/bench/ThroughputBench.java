package org.opendelegate.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * End-to-end throughput of no-op ({@code echo}) tasks: submits as fast as the Manager takes them (bounded
 * concurrency) and measures from the first submission until every task has succeeded on the delegates.
 * A warm-up round of the same kind runs first and is not counted: on a fresh JVM the JIT compilers
 * take a large share of the CPU for the first tens of seconds. Reports the latency of the submissions and,
 * when the script names the processes ({@link ProcCpu}), the Manager's (and PostgreSQL's) CPU per task over
 * the measured round only.
 *
 * <p>Arguments: managerUrl apiKey accountId delegateToken tasks concurrency [warmUpTasks, default tasks/4]
 * [batch, default 1: tasks per request; above 1 the tasks go through {@code POST /api/v1/tasks/batch}]
 */
// A load generator fires calls and forgets them; each callback deals with its own result.
@SuppressWarnings("FutureReturnValueIgnored")
public final class ThroughputBench {
    private ThroughputBench() {}

    public static void main(String[] args) throws Exception {
        int tasks = Integer.parseInt(args[4]);
        int concurrency = Integer.parseInt(args[5]);
        int warmUp = args.length > 6 ? Integer.parseInt(args[6]) : tasks / 4;
        int batch = args.length > 7 ? Integer.parseInt(args[7]) : 1;
        ManagerClient client = ManagerClient.fromArgs(args);
        ProcCpu cpu = ProcCpu.fromProperties();
        if (warmUp > 0) {
            System.out.print("warm-up: ");
            round(client, warmUp, concurrency, batch, null);
        }
        round(client, tasks, concurrency, batch, cpu);
        System.exit(0);
    }

    private static void round(ManagerClient client, int tasks, int concurrency, int batch, ProcCpu cpu)
            throws InterruptedException {
        long before = settledSucceeded(client);
        ProcCpu.Sample cpuBefore = cpu == null ? null : cpu.sample();
        Semaphore permits = new Semaphore(concurrency);
        AtomicInteger refused = new AtomicInteger();
        LatencyRecorder submissions = new LatencyRecorder(tasks);
        submissions.start();
        long start = System.nanoTime();
        for (int i = 0; i < tasks; i += batch) {
            permits.acquire();
            int n = Math.min(batch, tasks - i);
            long sent = System.nanoTime();
            var call = batch == 1
                    ? client.apiAsync("POST", "/api/v1/tasks", echo(i))
                    : client.apiAsync("POST", "/api/v1/tasks/batch", Map.of("tasks", echoes(i, n)));
            call.whenComplete((r, e) -> {
                if (e != null) {
                    refused.addAndGet(n);
                } else {
                    submissions.record(System.nanoTime() - sent);
                }
                permits.release();
            });
        }
        permits.acquire(concurrency);
        double submitSeconds = (System.nanoTime() - start) / 1e9;
        // The Manager counts the tasks in flight every second, and the ended ones less often on a long history:
        // the clock stops when none is in flight, and the ended count then says how many of them succeeded.
        while (inFlight(client) != 0) {
            if ((System.nanoTime() - start) / 1e9 > 600) {
                break;
            }
            TimeUnit.MILLISECONDS.sleep(100);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        ProcCpu.Sample cpuAfter = cpu == null ? null : cpu.sample();
        long done = settledSucceeded(client) - before;
        System.out.printf(
                "submitted %d tasks in %.2f s (%.0f/s, %d a request); %d succeeded in %.2f s end to end:"
                        + " %.0f tasks/s (refused %d); submission latency %s%n",
                tasks,
                submitSeconds,
                tasks / submitSeconds,
                batch,
                done,
                seconds,
                done / seconds,
                refused.get(),
                submissions.stop().summary());
        if (cpu != null) {
            System.out.println("  " + cpu.perUnit(cpuBefore, cpuAfter, done, "task"));
        }
    }

    private static Map<String, Object> echo(int i) {
        return Map.of("type", "echo", "payload", Map.of("i", i));
    }

    private static List<Map<String, Object>> echoes(int first, int n) {
        List<Map<String, Object>> list = new ArrayList<>(n);
        for (int i = first; i < first + n; i++) {
            list.add(echo(i));
        }
        return list;
    }

    /** The tasks queued and running, as the Manager counted them within the last second. */
    private static long inFlight(ManagerClient client) {
        String metrics = client.metricsText().join();
        return (long) (gauge(metrics, "opendelegate_tasks{state=\"QUEUED\"}")
                + gauge(metrics, "opendelegate_tasks{state=\"RUNNING\"}"));
    }

    /** The succeeded tasks once none is in flight, from a pass over the store begun after that. */
    private static long settledSucceeded(ManagerClient client) throws InterruptedException {
        while (inFlight(client) != 0) {
            TimeUnit.MILLISECONDS.sleep(100);
        }
        double noneInFlight = System.currentTimeMillis() / 1000.0;
        while (true) {
            String metrics = client.metricsText().join();
            if (gauge(metrics, "opendelegate_tasks_ended_counted_timestamp_seconds") > noneInFlight) {
                return (long) gauge(metrics, "opendelegate_tasks{state=\"SUCCEEDED\"}");
            }
            TimeUnit.MILLISECONDS.sleep(100);
        }
    }

    /** One value of the Manager's /metrics; NaN (not counted yet) stays NaN, so comparisons with it are false. */
    private static double gauge(String metrics, String name) {
        for (String line : metrics.split("\n")) {
            if (line.startsWith(name + " ")) {
                return Double.parseDouble(line.substring(name.length() + 1));
            }
        }
        throw new IllegalStateException("no " + name + " in /metrics");
    }
}
