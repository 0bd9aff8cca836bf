package org.opendelegate.manager.installers;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which task CPU and memory values ECS accepts. Fargate takes only the combinations of AWS's table; the
 * EC2 launch type takes any task CPU from 0.125 to 192 vCPU. Below 256 MiB the delegate's JVM has no
 * room to run tasks, so no launch type goes lower.
 */
final class TaskSize {
    static final int DEFAULT_CPU = 256;
    static final int DEFAULT_MEMORY = 512;
    static final int MIN_MEMORY = 256;
    static final int MAX_EC2_MEMORY = 1024 * 1024;
    private static final int[] FARGATE_CPU = {256, 512, 1024, 2048, 4096, 8192, 16384};

    private TaskSize() {}

    /** Null when Fargate runs a task of this size; otherwise what to choose instead. */
    static String fargateProblem(int cpu, int memory) {
        int[] range = fargateMemory(cpu);
        if (range == null) {
            return "cpu " + cpu + " is not a Fargate size; use 256, 512, 1024, 2048, 4096, 8192 or 16384 CPU units";
        }
        boolean fits = memory >= range[0] && memory <= range[1] && (memory - range[0]) % range[2] == 0;
        if (fits || (cpu == 256 && memory == 512)) {
            return null;
        }
        StringBuilder allowed = new StringBuilder();
        if (cpu == 256) {
            allowed.append("512, 1024 or 2048");
        } else {
            allowed.append(range[0])
                    .append(" to ")
                    .append(range[1])
                    .append(" in steps of ")
                    .append(range[2]);
        }
        return "memory " + memory + " MiB does not fit cpu " + cpu + " on Fargate; with cpu " + cpu + " use " + allowed
                + " MiB";
    }

    /** Every Fargate CPU size with the memory sizes it takes, from the same table as {@link #fargateProblem}. */
    static Map<Integer, List<Integer>> fargateSizes() {
        Map<Integer, List<Integer>> sizes = new LinkedHashMap<>();
        for (int cpu : FARGATE_CPU) {
            int[] range = fargateMemory(cpu);
            List<Integer> memory = new ArrayList<>();
            if (cpu == 256) {
                memory.add(512);
            }
            for (int m = range[0]; m <= range[1]; m += range[2]) {
                memory.add(m);
            }
            sizes.put(cpu, List.copyOf(memory));
        }
        return sizes;
    }

    /** {min, max, step} MiB for a Fargate CPU value, or null when Fargate has no such CPU size. */
    private static int[] fargateMemory(int cpu) {
        return switch (cpu) {
            case 256 -> new int[] {1024, 2048, 1024};
            case 512 -> new int[] {1024, 4096, 1024};
            case 1024 -> new int[] {2048, 8192, 1024};
            case 2048 -> new int[] {4096, 16384, 1024};
            case 4096 -> new int[] {8192, 30720, 1024};
            case 8192 -> new int[] {16384, 61440, 4096};
            case 16384 -> new int[] {32768, 122880, 8192};
            default -> null;
        };
    }

    /** Null when the EC2 launch type runs a task of this size; otherwise why not. */
    static String ec2Problem(int cpu, int memory) {
        if (cpu < 128 || cpu > 196_608) {
            return "cpu " + cpu + " is out of range; the EC2 launch type takes 128 to 196608 CPU units "
                    + "(1024 units = 1 vCPU)";
        }
        if (memory < MIN_MEMORY || memory > MAX_EC2_MEMORY) {
            return "memory " + memory + " MiB is out of range; use " + MIN_MEMORY + " to " + MAX_EC2_MEMORY
                    + " MiB (the delegate needs at least " + MIN_MEMORY + ")";
        }
        return null;
    }
}
