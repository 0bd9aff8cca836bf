package org.opendelegate.bench;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Threads for the benches' pools. Daemon threads only: a bench that fails ends {@code main} with an exception,
 * and with it the JVM (exit 1), instead of hanging on its idle pools.
 */
final class BenchThreads {
    private BenchThreads() {}

    static ThreadFactory daemon(String name) {
        AtomicInteger count = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
