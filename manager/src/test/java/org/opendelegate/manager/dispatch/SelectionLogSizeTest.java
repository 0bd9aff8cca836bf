package org.opendelegate.manager.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.opendelegate.manager.delegates.ResolvedDelegate;
import org.opendelegate.protocol.ProtocolJson;

/**
 * The selection log does not grow with the fleet: at 10,000 delegates it names the chosen one, the best
 * eligible ones, the nearest misses per reason and counts the rest, in a few KB; and a stored history
 * always fits its column.
 */
class SelectionLogSizeTest {
    private static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");
    private static final Duration WINDOW = Duration.ofSeconds(30);
    private static final SelectionContext CONTEXT =
            new SelectionContext(NOW, WINDOW, Duration.ofMinutes(5), Map.of(), Set.of());

    /** 6,000 disconnected (the i-th went silent i seconds ago), 3,000 without `gpu`, 1,000 with it. */
    private static List<ResolvedDelegate> fleet() {
        List<ResolvedDelegate> fleet = new ArrayList<>();
        for (int i = 0; i < 6_000; i++) {
            fleet.add(SelectionTest.disconnected("gone-" + i, Duration.ofSeconds(i + 1)));
        }
        for (int i = 0; i < 3_000; i++) {
            fleet.add(SelectionTest.delegate("cpu-" + i, "g", List.of()));
        }
        for (int i = 0; i < 1_000; i++) {
            fleet.add(SelectionTest.delegate("gpu-" + i, "g", List.of("gpu")));
        }
        return fleet;
    }

    @Test
    void atTenThousandDelegatesTheLogNamesAFewAndCountsTheRest() throws Exception {
        List<ResolvedDelegate> fleet = fleet();
        Map<String, Selection.Load> loads = new HashMap<>();
        for (int i = 0; i < 1_000; i++) {
            // Every gpu delegate asks; gpu-7 is the only idle one.
            loads.put("gpu-" + i, new Selection.Load(i == 7 ? 0 : 2, 4, true));
        }

        SelectionLog log = Selection.choose(
                SelectionTest.task(List.of("gpu"), Map.of()),
                fleet,
                loads,
                CONTEXT,
                "SUBMITTED",
                new SplittableRandom(3));

        assertThat(log.chosen().name()).isEqualTo("gpu-7");
        assertThat(log.considered()).isEqualTo(10_000);
        assertThat(log.eligibleCount()).isEqualTo(1_000);
        assertThat(log.excluded())
                .containsExactly(
                        new SelectionLog.ReasonCount("not connected", 6_000),
                        new SelectionLog.ReasonCount("selector `gpu` missing", 3_000));
        assertThat(log.candidates()).hasSize(Selection.ELIGIBLE_SHOWN + 2 * Selection.MISSES_SHOWN);
        assertThat(log.candidates().get(0).name())
                .as("the chosen one ranks first")
                .isEqualTo("gpu-7");
        assertThat(log.candidates().stream()
                        .filter(c -> c.name().startsWith("gone-"))
                        .map(SelectionLog.Candidate::name))
                .as("the nearest misses are the ones heard from last")
                .containsExactly("gone-0", "gone-1", "gone-2");
        assertThat(log.candidates().stream()
                        .filter(c -> c.name().startsWith("gone-"))
                        .map(SelectionLog.Candidate::reason))
                .first()
                .isEqualTo("not connected (disconnected 1 s ago)");
        int size = ProtocolJson.mapper().writeValueAsString(log).length();
        assertThat(size).as("JSON size of one decision at 10,000 delegates").isLessThan(6_000);
    }

    @Test
    void inASmallAccountEveryDelegateIsListedWithItsReason() {
        List<ResolvedDelegate> small = new ArrayList<>();
        for (int i = 0; i < Selection.LIST_ALL_UP_TO; i++) {
            small.add(SelectionTest.delegate("cpu-" + i, "g", List.of("cpu")));
        }
        SelectionLog log = Selection.choose(
                SelectionTest.task(List.of("gpu"), Map.of()),
                small,
                Map.of(),
                CONTEXT,
                "SUBMITTED",
                new SplittableRandom(1));
        assertThat(log.candidates()).hasSize(Selection.LIST_ALL_UP_TO);

        small.add(SelectionTest.delegate("cpu-last", "g", List.of("cpu")));
        SelectionLog larger = Selection.choose(
                SelectionTest.task(List.of("gpu"), Map.of()),
                small,
                Map.of(),
                CONTEXT,
                "SUBMITTED",
                new SplittableRandom(1));
        assertThat(larger.candidates())
                .as("one more, and only the nearest misses")
                .hasSize(Selection.MISSES_SHOWN);
    }

    @Test
    void reasonsBeyondTheCountedOnesAreSummedAsOtherReasons() {
        List<ResolvedDelegate> fleet = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            // Each lacks a different one of the task's selectors: 30 reasons.
            List<String> has = new ArrayList<>();
            for (int s = 0; s < 30; s++) {
                if (s != i) {
                    has.add("s" + s);
                }
            }
            fleet.add(SelectionTest.delegate("d" + i, "g", has));
        }
        List<String> wanted = new ArrayList<>();
        for (int s = 0; s < 30; s++) {
            wanted.add("s" + s);
        }

        SelectionLog log = Selection.choose(
                SelectionTest.task(wanted, Map.of()), fleet, Map.of(), CONTEXT, "SUBMITTED", new SplittableRandom(1));

        assertThat(log.excluded()).hasSize(Selection.REASONS_COUNTED);
        assertThat(log.excluded().get(Selection.REASONS_COUNTED - 1))
                .isEqualTo(new SelectionLog.ReasonCount(Selection.OTHER_REASONS, 30 - Selection.REASONS_COUNTED + 1));
        assertThat(log.excluded().stream()
                        .mapToInt(SelectionLog.ReasonCount::count)
                        .sum())
                .isEqualTo(30);
    }

    @Test
    void aStoredHistoryAlwaysFitsItsColumnAndKeepsTheNewestDecision() {
        String stored = null;
        SelectionLog last = null;
        for (int i = 0; i < SelectionHistory.KEEP; i++) {
            List<SelectionLog.Candidate> many = new ArrayList<>();
            for (int c = 0; c < 40; c++) {
                many.add(new SelectionLog.Candidate(
                        "id-" + c, "n".repeat(100) + c, "g".repeat(60), false, "r".repeat(200), 0, 4));
            }
            last = new SelectionLog(NOW.plusSeconds(i), "REQUEUED", many, null, "decision " + i, 10_000, 0, List.of());
            stored = SelectionHistory.append(stored, last);
            assertThat(stored.length()).isLessThanOrEqualTo(SelectionHistory.MAX_CHARS);
            // Each decision takes under half the limit: the one before the newest always still fits, whole.
            List<SelectionLog> kept = SelectionHistory.read(stored);
            assertThat(kept.size())
                    .as("decisions kept after %d appends", i + 1)
                    .isGreaterThanOrEqualTo(Math.min(i + 1, 2));
            assertThat(kept.get(kept.size() - 1).summary()).isEqualTo("decision " + i);
            assertThat(kept).allSatisfy(d -> assertThat(d.candidates()).hasSize(40));
        }
        List<SelectionLog> history = SelectionHistory.read(stored);
        assertThat(history.get(history.size() - 1).summary()).isEqualTo(last.summary());
        assertThat(history.get(history.size() - 1).candidates())
                .as("the newest decision whole")
                .hasSize(40);
        assertThat(history.size())
                .as("the oldest decisions give way, not the newest")
                .isBetween(2, SelectionHistory.KEEP - 1);
    }

    @Test
    void aStoredHistoryKeepsOnlyTheNewestDecisions() {
        String stored = null;
        for (int i = 0; i < SelectionHistory.KEEP + 3; i++) {
            stored = SelectionHistory.append(
                    stored,
                    new SelectionLog(
                            NOW.plusSeconds(i), "REQUEUED", List.of(), null, "decision " + i, 1, 0, List.of()));
        }

        assertThat(SelectionHistory.read(stored))
                .extracting(SelectionLog::summary)
                .as("the oldest give way")
                .hasSize(SelectionHistory.KEEP)
                .startsWith("decision 3")
                .endsWith("decision " + (SelectionHistory.KEEP + 2));
    }

    @Test
    void aLogStoredBeforeTheCountsStillReads() {
        String old =
                "[{\"at\":\"2026-06-01T12:00:00Z\",\"trigger\":\"SUBMITTED\",\"candidates\":[{\"delegateId\":\"d1\","
                        + "\"name\":\"d1\",\"groupName\":\"g\",\"eligible\":true,\"reason\":\"eligible (0 of 4 running)\","
                        + "\"running\":0,\"capacity\":4}],\"chosen\":{\"delegateId\":\"d1\",\"name\":\"d1\",\"reason\":\"x\"},"
                        + "\"summary\":\"Assigned to d1: x.\"}]";

        List<SelectionLog> history = SelectionHistory.read(old);

        assertThat(history).singleElement().satisfies(log -> {
            assertThat(log.candidates()).hasSize(1);
            assertThat(log.considered()).isZero();
            assertThat(log.excluded()).isNull();
        });
    }
}
