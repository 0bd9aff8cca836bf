package org.opendelegate.delegate.client;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * Capped exponential backoff with full jitter: attempt n waits a random time between 0 and
 * min(cap, initial × 2^(n-1)). Full jitter spreads a fleet of delegates that lost the Manager at the
 * same moment, so they do not all come back at once. Not thread-safe: one per loop.
 */
public final class Backoff {
    /** The delays the protocol calls for: from 250 ms up to 30 s. */
    public static final Duration INITIAL = Duration.ofMillis(250);

    public static final Duration CAP = Duration.ofSeconds(30);

    private final long initialMillis;
    private final long capMillis;
    private final RandomGenerator random;
    private int attempt;

    public Backoff(Duration initial, Duration cap, RandomGenerator random) {
        this.initialMillis = initial.toMillis();
        this.capMillis = cap.toMillis();
        this.random = random;
    }

    /** The standard backoff with a thread-safe random source. */
    public static Backoff standard() {
        return new Backoff(INITIAL, CAP, RandomGenerator.getDefault());
    }

    /** The next delay; counts an attempt. */
    public Duration next() {
        attempt++;
        int shift = Math.min(attempt - 1, 30);
        long ceiling = Math.min(capMillis, initialMillis << shift);
        return Duration.ofMillis(random.nextLong(ceiling + 1));
    }

    /** How many delays were handed out since the last success. */
    public int attempt() {
        return attempt;
    }

    /** Call after a success. */
    public void reset() {
        attempt = 0;
    }
}
