package org.opendelegate.manager.installers;

/**
 * The JVM options the installers give the delegate, in one place. Each is measured in docs/benchmarks.md
 * ("Delegate memory after work"); {@code bench/delegate-footprint.sh} measures exactly these, and the
 * delegate image's {@code JAVA_TOOL_OPTIONS} are the ECS ones (DelegateJvmOptionsTest keeps the copies equal).
 *
 * <ul>
 *   <li>Serial collector: one delegate, few threads; it gives heap back at every full collection, which
 *       the delegate runs once it has been idle for a while after work.</li>
 *   <li>MinHeapFreeRatio 10 / MaxHeapFreeRatio 20 and no shrinking in steps: that one collection brings the
 *       heap down to what is live plus a fifth, at once.</li>
 *   <li>Native heap trimming every 10 s (JDK 17.0.9 / 21.0.1 and later; glibc only, it does nothing on
 *       musl): the C library keeps memory the JVM freed (class loading, the compiler) unless asked to give
 *       it back; 12 MiB of RSS after work.</li>
 *   <li>A young generation of at most 4 MiB: the Serial collector sizes it at a third of the heap, and every
 *       page of it that the work touched stays resident; about 2 MiB of RSS after work.</li>
 *   <li>C1 only, a 32 MiB code cache and 256 KiB thread stacks: fast start, little compiled code.</li>
 *   <li>Exit on out-of-memory, so that ECS or systemd starts a healthy delegate instead.</li>
 *   <li>Two glibc malloc arenas ({@link #MALLOC_ARENA_MAX}, an environment variable: the JVM cannot set it for
 *       itself): by default glibc gives each of up to 8 threads per core an arena of its own, and memory freed
 *       in one arena stays behind, scattered, even after trimming; 4–5 MiB of RSS after work. Ignored by musl
 *       (the Alpine image), which has no arenas.</li>
 * </ul>
 */
final class DelegateJvmOptions {
    /** Common to every installer. */
    static final String COMMON = "-XX:+UseSerialGC -XX:MaxNewSize=4m -XX:TieredStopAtLevel=1 -Xss256k"
            + " -XX:ReservedCodeCacheSize=32m -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=20 -XX:-ShrinkHeapInSteps"
            + " -XX:TrimNativeHeapInterval=10000 -XX:+ExitOnOutOfMemoryError";

    /**
     * An ECS task's {@code JAVA_TOOL_OPTIONS}: the heap may grow to 60 % of the task's memory (the JVM reads the
     * container's limit), which leaves room for metaspace, threads and the tasks' child processes.
     */
    static final String ECS = "-XX:MaxRAMPercentage=60 " + COMMON;

    /**
     * The shell installer's {@code JAVA_OPTS}: a host's memory is not the delegate's, so a fixed ceiling. The
     * host's Java is whatever is installed there, so an option an older Java 17 lacks is ignored, not fatal.
     */
    static final String SHELL = "-XX:+IgnoreUnrecognizedVMOptions -Xmx192m " + COMMON;

    /** The value of {@code MALLOC_ARENA_MAX} in the delegate's environment, for every installer. */
    static final String MALLOC_ARENA_MAX = "2";

    private DelegateJvmOptions() {}
}
