package org.opendelegate.delegate.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opendelegate.protocol.LogLine;
import org.opendelegate.spi.LogStream;

class TaskLogTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);
    private final TaskLog log = new TaskLog(CLOCK);

    @TempDir
    Path dir;

    @Test
    void multiLineTextBecomesOneNumberedLinePerLineInOrder() {
        log.append("first\nsecond\r\nthird");
        log.append(LogStream.STDERR, "oops");
        log.append(LogStream.STDOUT, "fine");

        TaskLog.Batch batch = log.peek(10);

        assertThat(batch.lines()).extracting(LogLine::text).containsExactly("first", "second", "third", "oops", "fine");
        assertThat(batch.lines()).extracting(LogLine::seq).containsExactly(1L, 2L, 3L, 4L, 5L);
        assertThat(batch.lines()).extracting(LogLine::stream).containsExactly(null, null, null, "stderr", "stdout");
        assertThat(batch.lines().get(0).at()).isEqualTo(Instant.parse("2026-01-01T00:00:00Z"));
    }

    @Test
    void linesStayUntilTheManagerAcceptedThemAndKeepTheirNumbers() {
        log.append("a");
        log.append("b");
        log.append("c");

        TaskLog.Batch first = log.peek(2);
        assertThat(first.full()).isTrue();
        // Sent again because the answer was lost: the same numbers, so the Manager stores nothing twice.
        assertThat(log.peek(2).lines()).isEqualTo(first.lines());
        log.remove(first);

        assertThat(log.peek(10).lines()).extracting(LogLine::seq).containsExactly(3L);
        log.remove(log.peek(10));
        assertThat(log.isEmpty()).isTrue();
    }

    @Test
    void aBatchStaysUnderItsByteBudgetButHoldsAtLeastOneLine() {
        log.append("x".repeat(1000));
        log.append("y".repeat(1000));

        assertThat(log.peek(10, 1500).lines()).hasSize(1);
        assertThat(log.peek(10, 10).lines()).hasSize(1);
        assertThat(log.peek(10, 5000).lines()).hasSize(2);
    }

    @Test
    void aWriterWaitsForRoomWhileTheManagerIsSlowAndLosesNothing() {
        TaskLog small = new TaskLog(CLOCK, new TaskLog.Limits(2, 1000, Duration.ofMinutes(1), null, 0), () -> {});
        AtomicInteger written = new AtomicInteger();
        Thread writer = new Thread(() -> {
            for (int i = 1; i <= 5; i++) {
                small.append(LogStream.STDOUT, "line " + i);
                written.incrementAndGet();
            }
        });
        writer.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> writer.getState() == Thread.State.TIMED_WAITING);
        assertThat(written).hasValue(2);

        List<String> sent = new ArrayList<>();
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            TaskLog.Batch batch = small.peek(2);
            batch.lines().forEach(l -> sent.add(l.text()));
            small.remove(batch);
            return sent.size() >= 5;
        });

        assertThat(sent).containsExactly("line 1", "line 2", "line 3", "line 4", "line 5");
        assertThat(written).hasValue(5);
    }

    @Test
    void linesThatDoNotFitInMemorySpillToDiskAndComeBackInOrder() throws Exception {
        Path file = dir.resolve("logs/t1-1.spill");
        TaskLog spilling = new TaskLog(CLOCK, new TaskLog.Limits(2, 1000, Duration.ZERO, file, 1 << 20), () -> {});
        for (int i = 1; i <= 10; i++) {
            spilling.append(i % 2 == 0 ? LogStream.STDERR : LogStream.STDOUT, "line " + i);
        }
        assertThat(file).exists();
        assertThat(spilling.peek(100).lines()).hasSize(2);

        List<LogLine> sent = drainLines(spilling);

        assertThat(sent)
                .extracting(LogLine::text)
                .containsExactly(expected(1, 10).toArray(String[]::new));
        assertThat(sent).extracting(LogLine::seq).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L);
        assertThat(sent.get(1).stream()).isEqualTo("stderr");
        assertThat(Files.exists(file)).as("a drained spill file is deleted").isFalse();
    }

    @Test
    void onlyWhenTheSpillIsFullAreLinesDroppedWithALineSayingHowMany() {
        Path file = dir.resolve("t1-1.spill");
        // Room for two lines in memory and three of "line N" (6 bytes and 25 of framing) on disk.
        TaskLog bounded = new TaskLog(CLOCK, new TaskLog.Limits(2, 1000, Duration.ZERO, file, 3 * 31), () -> {});
        for (int i = 1; i <= 10; i++) {
            bounded.append("line " + i);
        }
        List<String> first = drain(bounded);
        bounded.append("after");

        assertThat(first)
                .containsExactly(
                        "line 1",
                        "line 2",
                        "line 3",
                        "line 4",
                        "line 5",
                        "[delegate] 5 log lines were dropped here: the Manager was unreachable and the delegate's log"
                                + " buffer was full");
        assertThat(drainLines(bounded))
                .extracting(LogLine::text, LogLine::seq)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("after", 7L));
    }

    @Test
    void theFirstLineInAQuietLogWakesTheSender() {
        AtomicInteger wakes = new AtomicInteger();
        TaskLog waking = new TaskLog(CLOCK, TaskLog.Limits.inMemory(), wakes::incrementAndGet);
        waking.append("a");
        waking.append("b");
        assertThat(wakes).hasValue(1);
        waking.remove(waking.peek(10));
        waking.append("c");
        assertThat(wakes).hasValue(2);
    }

    @Test
    void veryLongLinesAreCut() {
        log.append("x".repeat(TaskLog.MAX_LINE_CHARS + 100));

        assertThat(log.peek(1).lines().get(0).text())
                .hasSize(TaskLog.MAX_LINE_CHARS + " [line cut]".length())
                .endsWith(" [line cut]");
    }

    private static List<String> expected(int from, int to) {
        List<String> lines = new ArrayList<>();
        for (int i = from; i <= to; i++) {
            lines.add("line " + i);
        }
        return lines;
    }

    private static List<String> drain(TaskLog log) {
        return drainLines(log).stream().map(LogLine::text).toList();
    }

    /** What the reporting loop would send, two lines per call, until the log is empty. */
    private static List<LogLine> drainLines(TaskLog log) {
        List<LogLine> sent = new ArrayList<>();
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            TaskLog.Batch batch = log.peek(2);
            sent.addAll(batch.lines());
            log.remove(batch);
            return log.isEmpty();
        });
        return sent;
    }
}
