package org.opendelegate.delegate.client;

import java.time.Duration;
import java.util.Locale;
import org.opendelegate.delegate.time.Sleeper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Waits before the next attempt after a failure, and says so in the log: what failed, when it retries,
 * which attempt this is. One per loop, like its {@link Backoff}.
 */
public final class Retrier {
    private static final Logger LOG = LoggerFactory.getLogger(Retrier.class);

    private final Backoff backoff;
    private final Sleeper sleeper;

    public Retrier(Backoff backoff, Sleeper sleeper) {
        this.backoff = backoff;
        this.sleeper = sleeper;
    }

    /** Logs {@code failure} with what happens next and sleeps the backoff (or the Manager's Retry-After). */
    public void pause(String what, ManagerCallException failure) throws InterruptedException {
        pause(what, failure, Backoff.CAP);
    }

    /**
     * Like {@link #pause(String, ManagerCallException)}, but the backoff waits at most {@code atMost}: a loop
     * whose silence has a cost (a heartbeat missed makes the delegate look dead) retries at least that often.
     * A Retry-After from the Manager still wins: the Manager asked for it.
     */
    public void pause(String what, ManagerCallException failure, Duration atMost) throws InterruptedException {
        Duration delay = backoff.next();
        if (delay.compareTo(atMost) > 0) {
            delay = atMost;
        }
        if (failure.retryAfter().compareTo(delay) > 0) {
            delay = failure.retryAfter();
        }
        LOG.warn(
                "{}{}; retrying in {} s, attempt {}",
                what.isEmpty() ? "" : what + ": ",
                failure.describe(),
                String.format(Locale.ROOT, "%.1f", delay.toMillis() / 1000.0),
                backoff.attempt() + 1);
        sleeper.sleep(delay);
    }

    /** Sleeps the backoff without logging, for failures already logged. */
    public void pauseQuietly() throws InterruptedException {
        sleeper.sleep(backoff.next());
    }

    /** Call after a success: the next failure starts from the shortest delay again. */
    public void succeeded() {
        backoff.reset();
    }

    /** How many attempts failed in a row. */
    public int failures() {
        return backoff.attempt();
    }
}
