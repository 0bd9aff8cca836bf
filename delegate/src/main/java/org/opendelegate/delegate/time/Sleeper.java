package org.opendelegate.delegate.time;

import java.time.Duration;

/**
 * Waits. Injected into every loop so that tests can run loops without real sleeps; production code
 * uses {@link #SYSTEM}. A sleep ends early with {@link InterruptedException} when the thread is
 * interrupted, which is how loops are stopped.
 */
@FunctionalInterface
public interface Sleeper {
    /** Sleeps on the calling thread with {@link Thread#sleep(long)}. */
    Sleeper SYSTEM = duration -> Thread.sleep(Math.max(0, duration.toMillis()));

    /** Sleeps for {@code duration}, or until interrupted. */
    void sleep(Duration duration) throws InterruptedException;
}
