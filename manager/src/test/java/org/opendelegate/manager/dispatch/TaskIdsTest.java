package org.opendelegate.manager.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.opendelegate.testkit.MutableClock;

class TaskIdsTest {
    /** 2026-12-05T12:00:00Z: its microsecond count's low 32 bits are far from wrapping around. */
    private static final Instant NOON = Instant.parse("2026-12-05T12:00:00Z");

    @Test
    void anIdIsAVersion8UuidThatStartsWithItsMicrosecond() {
        String id = new TaskIds(Clock.fixed(NOON.plusNanos(7_000), ZoneOffset.UTC)).next();

        UUID uuid = UUID.fromString(id);
        assertThat(uuid.toString()).isEqualTo(id);
        assertThat(uuid.version()).isEqualTo(8);
        assertThat(uuid.variant()).isEqualTo(2);
        long micros = NOON.getEpochSecond() * 1_000_000L + 7;
        assertThat(uuid.getMostSignificantBits() >>> 32).isEqualTo(micros & 0xffff_ffffL);
    }

    @Test
    void tasksCreatedInTheSameMicrosecondHaveDistinctShortIdsInCreationOrder() {
        // The console shows the first 8 hex digits; a clock that does not move must not make them collide.
        TaskIds ids = new TaskIds(Clock.fixed(NOON, ZoneOffset.UTC));
        List<String> made = new ArrayList<>();
        Set<String> shortIds = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            String id = ids.next();
            made.add(id);
            shortIds.add(id.substring(0, 8));
        }

        assertThat(shortIds).hasSize(10_000);
        assertThat(made).isSorted();
    }

    @Test
    void aClockThatGoesBackDoesNotMakeAnIdSortBeforeTheLastOne() {
        MutableClock clock = new MutableClock(NOON);
        TaskIds ids = new TaskIds(clock);
        String before = ids.next();
        clock.advance(Duration.ofSeconds(-30));

        String after = ids.next();

        assertThat(after).isGreaterThan(before);
        assertThat(after.substring(0, 8)).isNotEqualTo(before.substring(0, 8));
    }

    @Test
    void idsOfLaterMicrosecondsSortAfterEarlierOnes() {
        MutableClock clock = new MutableClock(NOON);
        TaskIds ids = new TaskIds(clock);
        String earlier = ids.next();
        clock.advance(Duration.ofSeconds(60));

        String later = ids.next();

        assertThat((UUID.fromString(later).getMostSignificantBits() >>> 32)
                        - (UUID.fromString(earlier).getMostSignificantBits() >>> 32))
                .isEqualTo(60_000_000L);
        assertThat(later).isGreaterThan(earlier);
    }

    @Test
    void idsKeep90RandomBits() {
        // Every random bit position takes both values over many ids of the same microsecond count.
        TaskIds ids = new TaskIds(Clock.fixed(NOON, ZoneOffset.UTC));
        long highOr = 0;
        long highAnd = -1;
        long lowOr = 0;
        long lowAnd = -1;
        for (int i = 0; i < 2_000; i++) {
            UUID u = UUID.fromString(ids.next());
            highOr |= u.getMostSignificantBits();
            highAnd &= u.getMostSignificantBits();
            lowOr |= u.getLeastSignificantBits();
            lowAnd &= u.getLeastSignificantBits();
        }
        long randomHigh = 0xffff_0fffL;
        long randomLow = 0x3fff_ffff_ffff_ffffL;
        assertThat(Long.bitCount((highOr & ~highAnd) & randomHigh) + Long.bitCount((lowOr & ~lowAnd) & randomLow))
                .isEqualTo(90);
    }
}
