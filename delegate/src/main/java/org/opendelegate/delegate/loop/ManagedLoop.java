package org.opendelegate.delegate.loop;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import org.opendelegate.delegate.client.ManagerClient;
import org.opendelegate.delegate.health.HealthState;
import org.opendelegate.delegate.run.TaskRunner;
import org.opendelegate.delegate.session.Session;
import org.opendelegate.delegate.session.SessionKeeper;
import org.opendelegate.delegate.stop.DelegateStopping;
import org.opendelegate.delegate.stop.ExitCode;
import org.opendelegate.delegate.stop.StopSignal;
import org.opendelegate.delegate.time.Sleeper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * A loop on a thread of its own that can be stopped: {@link #stop()} sets a flag and interrupts the
 * thread, which ends any sleep at once. A loop that crashes (a bug) stops the whole delegate with exit
 * code 1, so that ECS or the service manager starts a fresh one instead of a delegate that looks alive
 * but no longer polls or heartbeats.
 */
public abstract class ManagedLoop implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(ManagedLoop.class);

    private final String threadName;
    // What every loop works with, taken from its LoopContext.
    final ManagerClient client;
    final SessionKeeper sessions;
    final TaskRunner runner;
    final HealthState health;
    final Sleeper sleeper;
    final Clock clock;
    private final StopSignal stopSignal;
    private volatile boolean stopped;
    private volatile Thread thread;
    private String delegateIdInMdc;

    ManagedLoop(String threadName, LoopContext context) {
        this.threadName = threadName;
        this.client = context.client();
        this.sessions = context.sessions();
        this.runner = context.runner();
        this.health = context.health();
        this.sleeper = context.sleeper();
        this.clock = context.clock();
        this.stopSignal = context.stopSignal();
    }

    /** Starts the loop on a new daemon thread. */
    public final void start() {
        Thread started = new Thread(this, threadName);
        started.setDaemon(true);
        thread = started;
        started.start();
    }

    /** Asks the loop to end: sets the flag and interrupts its thread. */
    public void stop() {
        stopped = true;
        Thread running = thread;
        if (running != null) {
            running.interrupt();
        }
    }

    /** Waits for the loop's thread to end; true when it did. */
    public boolean join(Duration timeout) throws InterruptedException {
        Thread running = thread;
        if (running == null) {
            return true;
        }
        running.join(Math.max(1, timeout.toMillis()));
        return !running.isAlive();
    }

    /** True once {@link #stop()} was called. */
    protected final boolean stopped() {
        return stopped;
    }

    @Override
    public final void run() {
        if (thread == null) {
            thread = Thread.currentThread();
        }
        try {
            loop();
        } catch (InterruptedException | DelegateStopping e) {
            // Stopped on purpose: by stop(), or because the delegate is stopping.
        } catch (RuntimeException | Error e) {
            LOG.error("The {} loop crashed; this is a bug. Stopping the delegate (exit code 1)", threadName, e);
            stopSignal.request(ExitCode.INTERNAL_ERROR, "the " + threadName + " loop crashed: " + e);
            throw e;
        }
        health.forget();
    }

    /** The loop body; returns or throws when the loop must end. */
    protected abstract void loop() throws InterruptedException, DelegateStopping;

    /** Puts the session's delegate id into this thread's log context when it changed. */
    protected final void inSession(Session session) {
        if (session != null && !Objects.equals(delegateIdInMdc, session.delegateId())) {
            MDC.put("delegateId", session.delegateId());
            delegateIdInMdc = session.delegateId();
        }
    }
}
