package org.opendelegate.manager.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.opendelegate.manager.store.TaskState;
import org.opendelegate.testkit.MutableClock;

class TaskCountsTest {
    private final AtomicLong now = new AtomicLong(1_000);
    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-07T10:00:00Z"));
    private final AtomicInteger passes = new AtomicInteger();
    private Duration passTakes = Duration.ZERO;

    private final TaskCounts counts = new TaskCounts(
            () -> {
                passes.incrementAndGet();
                advance(passTakes);
                return counts(passes.get(), passes.get() * 100L);
            },
            () -> counts(7, 999),
            now::get,
            clock);

    /** A count in which every state that is not ended reads {@code active} and every ended one {@code ended}. */
    private static Map<TaskState, Long> counts(long active, long ended) {
        Map<TaskState, Long> map = new EnumMap<>(TaskState.class);
        for (TaskState s : TaskState.values()) {
            map.put(s, s.isTerminal() ? ended : active);
        }
        return map;
    }

    private void advance(Duration by) {
        now.addAndGet(by.toNanos());
        clock.advance(by);
    }

    @Test
    void aStateNotCountedYetIsUnknownNotZero() {
        assertThat(counts.of(TaskState.QUEUED)).isNaN();
        assertThat(counts.of(TaskState.SUCCEEDED)).isNaN();
        assertThat(counts.endedCountedAt()).isNaN();
    }

    @Test
    void theEndedCountsSayWhenTheirPassBegan() {
        passTakes = Duration.ofMillis(300);
        counts.countAll();
        assertThat(counts.endedCountedAt())
                .as("the pass began before it took its 0.3 s: a task that ended since may not be in it")
                .isEqualTo((double) Instant.parse("2026-12-07T10:00:00Z").getEpochSecond());

        advance(Duration.ofSeconds(20));
        counts.countAll();
        assertThat(counts.endedCountedAt())
                .isEqualTo(Instant.parse("2026-12-07T10:00:20.300Z").toEpochMilli() / 1000.0);
    }

    @Test
    void eachCountPublishesTheStatesItOwns() {
        counts.countActive();
        assertThat(counts.of(TaskState.QUEUED)).isEqualTo(7);
        assertThat(counts.of(TaskState.RUNNING)).isEqualTo(7);
        assertThat(counts.of(TaskState.SUCCEEDED))
                .as("the count of tasks in flight says nothing of ended ones")
                .isNaN();

        counts.countAll();
        assertThat(counts.of(TaskState.SUCCEEDED)).isEqualTo(100);
        assertThat(counts.of(TaskState.NOT_ASSIGNED)).isEqualTo(100);
        assertThat(counts.of(TaskState.QUEUED))
                .as("a pass over the whole table is older than the count in flight it would overwrite")
                .isEqualTo(7);
    }

    @Test
    void aLongPassWaitsFiftyTimesItsDurationBeforeTheNext() {
        passTakes = Duration.ofMillis(200);
        counts.countAll();
        assertThat(passes).hasValue(1);

        for (int second = 1; second < 10; second++) {
            advance(Duration.ofSeconds(1));
            counts.countAll();
        }
        assertThat(passes)
                .as("10 s after a pass of 0.2 s: 2 % of a core at most")
                .hasValue(1);
        assertThat(counts.of(TaskState.FAILED)).isEqualTo(100);

        advance(Duration.ofSeconds(1));
        counts.countAll();
        assertThat(passes).hasValue(2);
        assertThat(counts.of(TaskState.FAILED)).isEqualTo(200);
    }

    @Test
    void aQuickPassComesBackEverySecond() {
        counts.countAll();
        advance(Duration.ofMillis(900));
        counts.countAll();
        assertThat(passes).hasValue(1);

        advance(Duration.ofMillis(100));
        counts.countAll();
        assertThat(passes).hasValue(2);
    }
}
