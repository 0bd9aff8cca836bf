package org.opendelegate.manager.dispatch;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Ids of new tasks: UUIDs of version 8 (RFC 9562's version for a layout of one's own) whose first 32 bits
 * count microseconds and only go up, followed by 90 random bits.
 *
 * <p>Why not random ids: {@code task.id} is the key of the task's primary-key index and begins the key of
 * its {@code task_attempt} rows. With random ids every insert, lease and outcome lands on a random leaf page of
 * both indexes, and H2 rewrites every page a commit dirtied, whole, at that commit; tasks created one after
 * another now share the last few pages. On H2 this took a quarter to a third off the Manager's CPU per task
 * ({@code docs/benchmarks.md}, "Issue 16, seventh stop").
 *
 * <p>Why not UUID version 7 (48 bits of milliseconds first): the console shows a task's first 8 hex digits as
 * its short id, and under version 7 those change only every 65 s, so a minute's tasks would all look alike.
 * Here the first 8 hex digits are a microsecond count that goes up by at least one per task: tasks created by
 * one Manager within 71 minutes (when the 32 bits wrap around) never share them, however many are created in a
 * microsecond. Ids stay unguessable through their random bits; nothing parses an id.
 */
final class TaskIds {
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private final AtomicLong lastStamp = new AtomicLong(Long.MIN_VALUE);

    TaskIds(Clock clock) {
        this.clock = clock;
    }

    /** The id of a new task. */
    String next() {
        long micros = micros(clock.instant());
        // One more than the last id's stamp when the clock has not moved on (or went back).
        long stamp = lastStamp.accumulateAndGet(micros, (last, now) -> Math.max(last + 1, now));
        byte[] bytes = new byte[12];
        random.nextBytes(bytes);
        long high = (stamp & 0xffff_ffffL) << 32
                | (bytes[0] & 0xffL) << 24
                | (bytes[1] & 0xffL) << 16
                | 0x8000L // version 8
                | (bytes[2] & 0x0fL) << 8
                | (bytes[3] & 0xffL);
        long low = 0x8000_0000_0000_0000L | (bytes[4] & 0x3fL) << 56; // variant 0b10
        for (int i = 5; i < 12; i++) {
            low |= (bytes[i] & 0xffL) << (8 * (11 - i));
        }
        return new UUID(high, low).toString();
    }

    private static long micros(Instant t) {
        return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000L), t.getNano() / 1_000);
    }
}
