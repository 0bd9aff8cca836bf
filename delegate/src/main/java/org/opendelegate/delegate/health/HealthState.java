package org.opendelegate.delegate.health;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntSupplier;

/**
 * What the health endpoint reports, kept up to date by the lifecycle and the loops.
 *
 * <p>Liveness asks only "is this process working?": every loop beats before each step that may block,
 * and the process is live while each loop's thread is alive and beat recently. An unreachable Manager
 * does not make a delegate unhealthy, so ECS does not kill a delegate with running tasks just because
 * the Manager restarts. Readiness asks "is it connected?".
 */
public final class HealthState {
    private final Clock clock;
    private final Duration staleAfter;
    // Each loop thread and the time after which it counts as stuck.
    private final Map<Thread, Long> beats = new ConcurrentHashMap<>();
    private volatile IntSupplier runningTasks = () -> 0;
    private volatile String delegateId;
    private volatile boolean connected;
    private volatile boolean stopping;

    /**
     * @param staleAfter how long a loop may go without a beat (beyond a wait it announced) before the
     *     process counts as stuck; longer than any call's timeout
     */
    public HealthState(Clock clock, Duration staleAfter) {
        this.clock = clock;
        this.staleAfter = staleAfter;
    }

    /**
     * Records that the calling thread's loop made progress. Keyed by thread, so a long re-registration
     * inside the heartbeat loop keeps the heartbeat loop's own beat fresh.
     */
    public void beat() {
        beats.put(Thread.currentThread(), clock.millis() + staleAfter.toMillis());
    }

    /** Like {@link #beat()}, before a wait of up to {@code quiet} (a sleep the Manager's interval sets). */
    public void beatBefore(Duration quiet) {
        beats.put(Thread.currentThread(), clock.millis() + quiet.toMillis() + staleAfter.toMillis());
    }

    /** Forgets the calling thread's loop, which ended on purpose. */
    public void forget() {
        beats.remove(Thread.currentThread());
    }

    /** Registered with the Manager as {@code id}. */
    public void registered(String id) {
        delegateId = id;
        connected = true;
    }

    /** The last call that proves the connection (registration or heartbeat) succeeded or failed. */
    public void connected(boolean ok) {
        connected = ok;
    }

    /** The delegate started its shutdown. */
    public void stopping() {
        stopping = true;
    }

    /** Where the running task count comes from. */
    public void runningTasks(IntSupplier source) {
        runningTasks = source;
    }

    /** True while the process works: not stopping, and no loop is dead or stuck. */
    public boolean live() {
        long now = clock.millis();
        for (Map.Entry<Thread, Long> beat : beats.entrySet()) {
            if (!beat.getKey().isAlive() || now > beat.getValue()) {
                return false;
            }
        }
        return !stopping;
    }

    /** True when registered and the last heartbeat succeeded. */
    public boolean ready() {
        return !stopping && delegateId != null && connected;
    }

    public String delegateId() {
        return delegateId;
    }

    public boolean isConnected() {
        return connected;
    }

    public boolean isStopping() {
        return stopping;
    }

    public int runningTaskCount() {
        return runningTasks.getAsInt();
    }
}
