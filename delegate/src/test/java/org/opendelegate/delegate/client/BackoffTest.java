package org.opendelegate.delegate.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

class BackoffTest {

    /** Always picks the top of the range, so the test sees the ceiling of each attempt. */
    private static final RandomGenerator HIGHEST = new RandomGenerator() {
        @Override
        public long nextLong() {
            return 0;
        }

        @Override
        public long nextLong(long bound) {
            return bound - 1;
        }
    };

    @Test
    void theCeilingDoublesFrom250MillisUpTo30Seconds() {
        Backoff backoff = new Backoff(Backoff.INITIAL, Backoff.CAP, HIGHEST);

        assertThat(backoff.next()).isEqualTo(Duration.ofMillis(250));
        assertThat(backoff.next()).isEqualTo(Duration.ofMillis(500));
        assertThat(backoff.next()).isEqualTo(Duration.ofSeconds(1));
        for (int i = 0; i < 50; i++) {
            backoff.next();
        }
        assertThat(backoff.next()).isEqualTo(Duration.ofSeconds(30));
        assertThat(backoff.attempt()).isEqualTo(54);
    }

    @Test
    void fullJitterPicksAnywhereBetweenZeroAndTheCeiling() {
        Backoff backoff = new Backoff(Backoff.INITIAL, Backoff.CAP, RandomGenerator.of("L64X128MixRandom"));
        for (int i = 0; i < 200; i++) {
            Duration delay = backoff.next();
            assertThat(delay).isBetween(Duration.ZERO, Backoff.CAP);
        }
    }

    @Test
    void aSuccessStartsOver() {
        Backoff backoff = new Backoff(Backoff.INITIAL, Backoff.CAP, HIGHEST);
        backoff.next();
        backoff.next();

        backoff.reset();

        assertThat(backoff.attempt()).isZero();
        assertThat(backoff.next()).isEqualTo(Duration.ofMillis(250));
    }
}
