package org.opendelegate.delegate.loop;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.opendelegate.delegate.health.HealthState;
import org.opendelegate.delegate.stop.ExitCode;
import org.opendelegate.delegate.stop.StopSignal;
import org.opendelegate.delegate.time.Sleeper;

class ManagedLoopTest {

    /** What a loop that never calls the Manager needs. */
    private static LoopContext context(HealthState health, StopSignal stopSignal) {
        return new LoopContext(null, null, null, health, stopSignal, Sleeper.SYSTEM, Clock.systemUTC());
    }

    @Test
    void aCrashedLoopStopsTheDelegateWithExitCode1() throws Exception {
        StopSignal stopSignal = new StopSignal();
        ManagedLoop crashing =
                new ManagedLoop(
                        "crashing", context(new HealthState(Clock.systemUTC(), Duration.ofMinutes(2)), stopSignal)) {
                    @Override
                    protected void loop() {
                        throw new IllegalStateException("a bug");
                    }
                };

        crashing.start();

        assertThat(stopSignal.await()).isEqualTo(ExitCode.INTERNAL_ERROR);
        assertThat(stopSignal.reason()).isEqualTo("the crashing loop crashed: java.lang.IllegalStateException: a bug");
        assertThat(crashing.join(Duration.ofSeconds(5))).isTrue();
    }

    @Test
    void aLoopStoppedOnPurposeEndsQuietly() throws Exception {
        StopSignal stopSignal = new StopSignal();
        HealthState health = new HealthState(Clock.systemUTC(), Duration.ofMinutes(2));
        ManagedLoop sleeping = new ManagedLoop("sleeping", context(health, stopSignal)) {
            @Override
            protected void loop() throws InterruptedException {
                health.beat();
                Thread.sleep(60_000); // ended by stop()'s interrupt, not waited on
            }
        };
        sleeping.start();

        sleeping.stop();

        assertThat(sleeping.join(Duration.ofSeconds(5))).isTrue();
        assertThat(stopSignal.isRequested()).isFalse();
        assertThat(health.live()).isTrue();
    }
}
