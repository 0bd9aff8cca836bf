package org.opendelegate.manager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class PeriodicWorkTest {
    @Test
    void aHousekeepingJobThatTakesLongHoldsUpNoOtherJob() throws InterruptedException {
        CountDownLatch housekeepingStarted = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger sweeps = new AtomicInteger();
        try (PeriodicWork work = new PeriodicWork(1)) {
            work.schedule(new PeriodicWork.Job(
                    "long look",
                    () -> {
                        housekeepingStarted.countDown();
                        try {
                            release.await();
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    },
                    Duration.ofMillis(1),
                    true));
            assertThat(housekeepingStarted.await(10, java.util.concurrent.TimeUnit.SECONDS))
                    .isTrue();
            work.schedule(new PeriodicWork.Job("sweep", sweeps::incrementAndGet, Duration.ofMillis(5)));

            await().atMost(Duration.ofSeconds(10)).until(() -> sweeps.get() >= 5);
            release.countDown();
        }
    }

    @Test
    void aJobThatFailsRunsAgain() {
        AtomicInteger runs = new AtomicInteger();
        try (PeriodicWork work = new PeriodicWork(1)) {
            work.schedule(new PeriodicWork.Job(
                    "failing",
                    () -> {
                        runs.incrementAndGet();
                        throw new IllegalStateException("store unreachable");
                    },
                    Duration.ofMillis(5)));

            await().atMost(Duration.ofSeconds(10)).until(() -> runs.get() >= 3);
        }
    }
}
