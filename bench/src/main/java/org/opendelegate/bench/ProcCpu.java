package org.opendelegate.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * CPU time of the Manager process, and of the PostgreSQL backends serving it, read from {@code /proc/<pid>/stat}
 * (utime + stime) before and after a piece of work: CPU per unit of work is steady on a shared machine where
 * tasks/s is not. The processes come from system properties the bench scripts set: {@code bench.manager.pid},
 * {@code bench.pg.pids} (comma-separated, empty on H2) and {@code bench.clk.tck} (clock ticks a second).
 *
 * <p>Of the Manager's CPU it also tells what its JIT compiler threads and its collector's threads used, from
 * {@code /proc/<pid>/task/*}: on one core the JIT compiles the Manager's hot paths for minutes (its C2 threads
 * took half of the Manager's CPU in a dispatch bench's first measured series, after 8,000 warm-up tasks), so a short run's CPU per task is
 * largely warm-up, and a long-running Manager's is the rest.
 */
final class ProcCpu {
    /**
     * CPU time in clock ticks of the Manager (all of it, and its JIT compiler and collector threads' part) and of
     * the store's backends, at one moment.
     */
    record Sample(long managerTicks, long jitTicks, long collectorTicks, long storeTicks) {}

    private final long managerPid;
    private final List<Long> storePids;
    private final long ticksPerSecond;

    private ProcCpu(long managerPid, List<Long> storePids, long ticksPerSecond) {
        this.managerPid = managerPid;
        this.storePids = storePids;
        this.ticksPerSecond = ticksPerSecond;
    }

    /** The processes the scripts named, or null when they named none (e.g. a run against a remote Manager). */
    static ProcCpu fromProperties() {
        String manager = System.getProperty("bench.manager.pid", "");
        if (manager.isBlank()) {
            return null;
        }
        List<Long> store = new ArrayList<>();
        for (String pid : System.getProperty("bench.pg.pids", "").split(",")) {
            if (!pid.isBlank()) {
                store.add(Long.parseLong(pid.trim()));
            }
        }
        return new ProcCpu(
                Long.parseLong(manager.trim()), store, Long.parseLong(System.getProperty("bench.clk.tck", "100")));
    }

    Sample sample() {
        long store = 0;
        for (long pid : storePids) {
            store += ticks(pid);
        }
        long jit = 0;
        long collector = 0;
        try (var threads = Files.list(Path.of("/proc/" + managerPid + "/task"))) {
            for (Path thread : threads.toList()) {
                String name;
                long ticks;
                try {
                    name = Files.readString(thread.resolve("comm")).trim();
                    ticks = ticksOf(Files.readString(thread.resolve("stat")));
                } catch (IOException e) {
                    continue; // the thread ended meanwhile
                }
                if (name.startsWith("C1 Compiler") || name.startsWith("C2 Compiler")) {
                    jit += ticks;
                } else if (isCollector(name)) {
                    collector += ticks;
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot list the threads of process " + managerPid, e);
        }
        return new Sample(ticks(managerPid), jit, collector, store);
    }

    /**
     * "Manager CPU 0.812 ms/task (16.2 s for 20000); PostgreSQL backends 0.301 ms/task; load average 2.1 1.9 1.5".
     */
    String perUnit(Sample before, Sample after, long units, String unit) {
        double managerMs = (after.managerTicks() - before.managerTicks()) * 1000.0 / ticksPerSecond;
        double jitMs = (after.jitTicks() - before.jitTicks()) * 1000.0 / ticksPerSecond;
        double collectorMs = (after.collectorTicks() - before.collectorTicks()) * 1000.0 / ticksPerSecond;
        StringBuilder s = new StringBuilder(String.format(
                "Manager CPU %.3f ms/%s (%.1f s for %d; of it JIT compilers %.3f ms/%s, collector %.3f ms/%s)",
                managerMs / Math.max(1, units),
                unit,
                managerMs / 1000,
                units,
                jitMs / Math.max(1, units),
                unit,
                collectorMs / Math.max(1, units),
                unit));
        if (!storePids.isEmpty()) {
            double storeMs = (after.storeTicks() - before.storeTicks()) * 1000.0 / ticksPerSecond;
            s.append(String.format(
                    "; PostgreSQL backends %.3f ms/%s (%.1f s)", storeMs / Math.max(1, units), unit, storeMs / 1000));
        }
        return s.append("; load average ").append(loadAverage()).toString();
    }

    static String loadAverage() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
            return parts[0] + " " + parts[1] + " " + parts[2];
        } catch (IOException e) {
            return "unknown";
        }
    }

    /** utime + stime of a process; the command name (field 2) may hold spaces, so fields count from its ')'. */
    private static long ticks(long pid) {
        try {
            return ticksOf(Files.readString(Path.of("/proc/" + pid + "/stat")));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the CPU time of process " + pid, e);
        }
    }

    /** utime + stime from the text of a process's or a thread's {@code stat}. */
    private static long ticksOf(String stat) {
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        // fields[0] is field 3 (state): utime is field 14, stime field 15.
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    }

    /** G1's and Serial's threads, and ZGC's (ZWorkerYoung#0, ZDriverMinor, ZDirector, ...). */
    private static boolean isCollector(String thread) {
        return thread.startsWith("GC Thread")
                || thread.startsWith("G1 ")
                || thread.equals("VM Thread")
                || thread.startsWith("ZWorker")
                || thread.startsWith("ZDriver")
                || thread.equals("ZDirector")
                || thread.startsWith("ZUncommitter");
    }
}
