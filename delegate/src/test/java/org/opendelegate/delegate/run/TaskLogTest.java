package org.opendelegate.delegate.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.opendelegate.protocol.LogLine;

class TaskLogTest {
    private final TaskLog log = new TaskLog(Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC));

    @Test
    void multiLineTextBecomesOneLinePerLineInOrder() {
        log.append("first\nsecond\r\nthird");

        TaskLog.Batch batch = log.peek(10);

        assertThat(batch.lines()).extracting(LogLine::text).containsExactly("first", "second", "third");
        assertThat(batch.lines().get(0).at()).isEqualTo(Instant.parse("2026-01-01T00:00:00Z"));
    }

    @Test
    void linesStayUntilTheManagerAcceptedThem() {
        log.append("a");
        log.append("b");
        log.append("c");

        TaskLog.Batch first = log.peek(2);
        assertThat(log.peek(2).lines()).isEqualTo(first.lines());
        log.remove(first);

        assertThat(log.peek(10).lines()).extracting(LogLine::text).containsExactly("c");
        log.remove(log.peek(10));
        assertThat(log.isEmpty()).isTrue();
    }

    @Test
    void aFullLogDropsTheOldestLinesAndSaysHowManyWereLost() {
        for (int i = 0; i < TaskLog.MAX_PENDING + 5; i++) {
            log.append("line " + i);
        }

        TaskLog.Batch batch = log.peek(3);

        assertThat(batch.lines())
                .extracting(LogLine::text)
                .containsExactly(
                        "[delegate] 5 earlier log lines were dropped while the Manager was unreachable",
                        "line 5",
                        "line 6");
        log.remove(batch);
        assertThat(log.peek(1).lines()).extracting(LogLine::text).containsExactly("line 7");
    }

    @Test
    void veryLongLinesAreCut() {
        log.append("x".repeat(TaskLog.MAX_LINE_CHARS + 100));

        assertThat(log.peek(1).lines().get(0).text())
                .hasSize(TaskLog.MAX_LINE_CHARS + " [line cut]".length())
                .endsWith(" [line cut]");
    }
}
