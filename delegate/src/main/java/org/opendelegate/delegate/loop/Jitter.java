package org.opendelegate.delegate.loop;

import java.time.Duration;
import java.util.random.RandomGenerator;

/** ±10% on periodic calls, so that delegates started together do not call the Manager in lockstep. */
final class Jitter {
    private Jitter() {}

    static Duration around(Duration base, RandomGenerator random) {
        double factor = 0.9 + 0.2 * random.nextDouble();
        return Duration.ofMillis(Math.round(base.toMillis() * factor));
    }
}
