package org.opendelegate.manager.limits;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.opendelegate.manager.testing.TestManager;
import org.opendelegate.testkit.FakeDelegate;

/**
 * The bounded task log against a real Manager: a task keeps the first and the last part of its log with
 * one line in between that says what was dropped (the end holds the error), and lines over 64 KiB are
 * stored as several lines.
 */
class TaskLogLimitsHttpTest {
    private static final int MAX_BYTES = 256 * 1024;
    private TestManager manager;
    private FakeDelegate delegate;
    private String taskId;

    @BeforeEach
    void start() {
        manager = TestManager.start(Map.of(
                "OPENDELEGATE_TASK_LOG_MAX_BYTES", "256KiB",
                // A loaded machine must not let the lease (2 s in tests) expire between the calls.
                "OPENDELEGATE_LEASE_DURATION", "60s",
                "OPENDELEGATE_LOG_LINES_PER_SECOND_PER_DELEGATE", "100000"));
        delegate = manager.delegate("d1", "g");
        delegate.register();
        // A busy machine must not let the delegate show disconnected (2 s in tests) before it takes the task.
        delegate.keepAlive(java.time.Duration.ofMillis(300));
        taskId = RatesHttpTest.submit(manager.api());
        delegate.take();
    }

    @AfterEach
    void stop() {
        delegate.close();
        manager.close();
    }

    @Test
    void aLogOverItsBoundKeepsItsFirstAndLastPartAndSaysWhatWasDroppedBetween() {
        // 600 lines of 1,000 bytes: 600,000 bytes for a bound of 262,144.
        for (int call = 0; call < 6; call++) {
            String[] lines = new String[100];
            for (int i = 0; i < 100; i++) {
                lines[i] = line(call * 100 + i);
            }
            assertThat(delegate.progress(taskId, 1, lines).status()).isEqualTo(200);
        }

        List<String> log = RatesHttpTest.log(manager, taskId);

        int gap = gapIndex(log);
        List<String> head = log.subList(0, gap);
        List<String> tail = log.subList(gap + 1, log.size());
        // The first half, line for line from the start.
        assertThat(head).hasSize(MAX_BYTES / 2 / 1000).startsWith(line(0)).endsWith(line(head.size() - 1));
        // The rolling last half, line for line up to the very last one.
        assertThat(tail).endsWith(line(599)).startsWith(line(600 - tail.size()));
        assertThat(bytes(head) + bytes(tail)).isLessThanOrEqualTo(MAX_BYTES).isGreaterThan(MAX_BYTES - 2000);
        long dropped = 600L - head.size() - tail.size();
        assertThat(log.get(gap))
                .startsWith("[OpenDelegate] " + dropped + " lines (")
                .contains("OPENDELEGATE_TASK_LOG_MAX_BYTES=256.0 KiB");
        // The task says how many log bytes it lost, so nobody mistakes the log for the whole output.
        assertThat(manager.api()
                        .get("/api/v1/tasks/" + taskId)
                        .json()
                        .get("logBytesDropped")
                        .asLong())
                .isEqualTo(dropped * 1000);
    }

    @Test
    void aLogUnderItsBoundIsKeptWholeWithoutAGapLine() {
        String[] lines = new String[200];
        for (int i = 0; i < 200; i++) {
            lines[i] = line(i);
        }
        assertThat(delegate.progress(taskId, 1, lines).status()).isEqualTo(200);

        List<String> log = RatesHttpTest.log(manager, taskId);

        assertThat(log).hasSize(200).startsWith(line(0)).endsWith(line(199));
        assertThat(log).noneMatch(l -> l.startsWith("[OpenDelegate]"));
        assertThat(manager.api().get("/api/v1/tasks/" + taskId).json().has("logBytesDropped"))
                .isFalse();
    }

    @Test
    void aLineOf200KiBIsStoredAsSeveralLinesOfAtMost64KiB() {
        String longLine = "é".repeat(50 * 1024) + "x".repeat(100 * 1024); // 100 KiB + 100 KiB of UTF-8
        assertThat(delegate.progress(taskId, 1, "before", longLine, "after").status())
                .isEqualTo(200);

        List<String> log = RatesHttpTest.log(manager, taskId);

        assertThat(log).hasSize(2 + 4).startsWith("before").endsWith("after");
        List<String> parts = log.subList(1, 5);
        assertThat(parts)
                .allSatisfy(p ->
                        assertThat(p.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(64 * 1024));
        assertThat(String.join("", parts)).isEqualTo(longLine);
    }

    /** Line {@code n}: 1,000 ASCII bytes that start with its number. */
    private static String line(int n) {
        String prefix = String.format("line %04d ", n);
        return prefix + "x".repeat(1000 - prefix.length());
    }

    private static int gapIndex(List<String> log) {
        for (int i = 0; i < log.size(); i++) {
            if (log.get(i).startsWith("[OpenDelegate]")) {
                return i;
            }
        }
        throw new AssertionError("no gap line in a log of " + log.size() + " lines");
    }

    private static long bytes(List<String> lines) {
        return lines.stream()
                .mapToLong(l -> l.getBytes(StandardCharsets.UTF_8).length)
                .sum();
    }
}
