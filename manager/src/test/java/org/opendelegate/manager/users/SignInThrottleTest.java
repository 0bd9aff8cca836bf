package org.opendelegate.manager.users;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.opendelegate.manager.store.SignInFailureDao;
import org.opendelegate.manager.testing.TestDatabases;
import org.opendelegate.manager.testing.TestDatabases.TestStore;
import org.opendelegate.testkit.MutableClock;

/** The throttle's rule on a real store (embedded H2); ReplicasHttpTest shows it shared by two replicas. */
class SignInThrottleTest {
    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final TestStore store = TestDatabases.h2();
    private final SignInThrottle throttle =
            new SignInThrottle(new SignInFailureDao(store.database().jdbi()), clock);

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void theWaitDoublesAfterTheFreeFailuresUpToTheCap() {
        assertThat(SignInThrottle.delay(3, 3)).isZero();
        assertThat(SignInThrottle.delay(4, 3)).isEqualTo(Duration.ofSeconds(1));
        assertThat(SignInThrottle.delay(5, 3)).isEqualTo(Duration.ofSeconds(2));
        assertThat(SignInThrottle.delay(12, 3)).isEqualTo(Duration.ofSeconds(256));
        assertThat(SignInThrottle.delay(13, 3)).isEqualTo(SignInThrottle.CAP);
        assertThat(SignInThrottle.delay(1000, 3)).isEqualTo(SignInThrottle.CAP);
    }

    @Test
    void aCountNobodyAddedToForAnHourStartsAgainAndASuccessClearsTheUsernameAtThatAddress() {
        for (int i = 0; i < 12; i++) {
            throttle.failed("alice", "10.0.0.1");
            clock.advance(SignInThrottle.CAP);
        }
        assertThat(throttle.failed("alice", "10.0.0.1")).isEqualTo(SignInThrottle.CAP);

        clock.advance(Duration.ofMinutes(61));
        assertThat(throttle.waitFor("alice", "10.0.0.1")).isZero();
        assertThat(throttle.failed("Alice ", "10.0.0.1")).isZero();

        throttle.failed("alice", "10.0.0.1");
        throttle.failed("alice", "10.0.0.1");
        throttle.failed("alice", "10.0.0.1");
        assertThat(throttle.waitFor("ALICE", "10.0.0.1")).isEqualTo(Duration.ofSeconds(1));
        throttle.succeeded("ALICE", "10.0.0.1");
        assertThat(throttle.waitFor("alice", "10.0.0.1")).isZero();
    }

    @Test
    void theSweepDeletesOnlyCountsNobodyAddedToForAnHour() {
        throttle.failed("old", "10.0.0.1");
        clock.advance(Duration.ofMinutes(30));
        throttle.failed("recent", "10.0.0.2");
        clock.advance(Duration.ofMinutes(31));

        throttle.sweep();

        int counts = store.database()
                .jdbi()
                .withHandle(h -> h.createQuery("SELECT COUNT(*) FROM sign_in_failure")
                        .mapTo(Integer.class)
                        .one());
        assertThat(counts)
                .as("the two counts of the recent failure stay, the two of the old one are gone")
                .isEqualTo(2);
    }

    @Test
    void someoneElsesFailuresForAUsernameDoNotHoldBackThatUserElsewhere() {
        for (int i = 0; i < SignInThrottle.FREE_PER_USERNAME + 4; i++) {
            throttle.failed("alice", "203.0.113.66");
        }
        assertThat(throttle.waitFor("alice", "203.0.113.66")).isEqualTo(Duration.ofSeconds(8));

        assertThat(throttle.waitFor("alice", "198.51.100.7")).isZero();
        assertThat(throttle.failed("alice", "198.51.100.7")).isZero();
    }

    @Test
    void manyFailuresFromOneAddressSlowEveryUsernameFromIt() {
        for (int i = 0; i < SignInThrottle.FREE_PER_ADDRESS; i++) {
            assertThat(throttle.failed("user-" + i, "10.0.0.9")).isZero();
        }
        assertThat(throttle.failed("someone-else", "10.0.0.9")).isEqualTo(Duration.ofSeconds(1));
        assertThat(throttle.waitFor("a-new-name", "10.0.0.9")).isEqualTo(Duration.ofSeconds(1));
        assertThat(throttle.waitFor("a-new-name", "10.0.0.10")).isZero();
    }
}
