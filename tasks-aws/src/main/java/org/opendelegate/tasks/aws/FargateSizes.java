package org.opendelegate.tasks.aws;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The task sizes Fargate runs: each CPU value allows a range of memory, in steps. */
final class FargateSizes {
    /** cpu units, lowest memory MiB, highest memory MiB, step MiB. */
    private static final int[][] SIZES = {
        {256, 512, 2048, 0},
        {512, 1024, 4096, 1024},
        {1024, 2048, 8192, 1024},
        {2048, 4096, 16384, 1024},
        {4096, 8192, 30720, 1024},
        {8192, 16384, 61440, 4096},
        {16384, 32768, 122880, 8192}
    };

    private FargateSizes() {}

    static boolean valid(String cpu, String memory) {
        Integer units = units(cpu, "vcpu");
        Integer mib = units(memory, "gb");
        if (units == null || mib == null) {
            return false;
        }
        for (int[] size : SIZES) {
            if (size[0] == units) {
                if (size[0] == 256) {
                    return mib == 512 || mib == 1024 || mib == 2048;
                }
                return mib >= size[1] && mib <= size[2] && (mib - size[1]) % size[3] == 0;
            }
        }
        return false;
    }

    /** What memory the CPU value allows, or which CPU values there are. */
    static String allowed(String cpu) {
        Integer units = units(cpu, "vcpu");
        for (int[] size : SIZES) {
            if (units != null && size[0] == units) {
                return size[0] == 256
                        ? "cpu 256 takes memory 512, 1024 or 2048"
                        : "cpu " + size[0] + " takes memory from " + size[1] + " to " + size[2] + " in steps of "
                                + size[3];
            }
        }
        List<String> cpus = new ArrayList<>();
        for (int[] size : SIZES) {
            cpus.add(String.valueOf(size[0]));
        }
        return "Fargate needs a task-level cpu of " + String.join(", ", cpus) + " and a memory that fits it";
    }

    /** "1024", "1 vCPU" or "2 GB" in units of 1/1024 (cpu units or MiB). */
    private static Integer units(String value, String bigUnit) {
        if (value == null) {
            return null;
        }
        String v = value.trim().toLowerCase(Locale.ROOT);
        try {
            if (v.endsWith(bigUnit)) {
                return (int) Math.round(Double.parseDouble(
                                v.substring(0, v.length() - bigUnit.length()).trim())
                        * 1024);
            }
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
