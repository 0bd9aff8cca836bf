package org.opendelegate.manager.profiles;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.opendelegate.manager.problems.DomainProblem;
import org.opendelegate.protocol.LogLine;
import org.opendelegate.protocol.ProfileRunReport;
import org.opendelegate.protocol.ProfileRunStatus;

/** The rules of a profile and of its kept output, without a server. */
class ProfileRulesTest {

    private static ProfileInput input(String name, String script) {
        return new ProfileInput(name, null, script, null, null, null, null);
    }

    @Test
    void defaultsAreRequiredTenMinutesAndNoSelectorsAndWindowsLineEndsBecomeUnixOnes() {
        ProfileRules.Valid valid = ProfileRules.validate(input("  Build Tools ", "set -e\r\napk add aws-cli\r\n"));

        assertThat(valid.name()).isEqualTo("Build Tools");
        assertThat(valid.script()).isEqualTo("set -e\napk add aws-cli\n");
        assertThat(valid.required()).isTrue();
        assertThat(valid.timeoutSeconds()).isEqualTo(600);
        assertThat(valid.selectors()).isEmpty();
        assertThat(valid.description()).isEmpty();
    }

    @Test
    void theScriptLimitIs64KiBOfUtf8() {
        String atLimit = "é".repeat(32 * 1024);

        assertThat(ProfileRules.validate(input("p", atLimit)).script()).isEqualTo(atLimit);
        assertThatThrownBy(() -> ProfileRules.validate(input("p", atLimit + "x")))
                .isInstanceOf(DomainProblem.class)
                .hasMessageContaining("65537 bytes")
                .hasMessageContaining("65536 bytes (64 KiB)");
    }

    @Test
    void everyBadFieldIsNamedAtOnce() {
        ProfileInput bad =
                new ProfileInput("a\tb", "d".repeat(1001), "echo \0", List.of("ok", "Not OK"), true, 0, null);

        assertThatThrownBy(() -> ProfileRules.validate(bad))
                .isInstanceOfSatisfying(
                        DomainProblem.class,
                        e -> assertThat(e.errors())
                                .extracting(f -> f.field())
                                .containsExactlyInAnyOrder(
                                        "name", "description", "script", "timeoutSeconds", "selectors[1]"));
    }

    @Test
    void theKeptOutputIsTheLast64KiBFromAWholeLine() {
        String line = "x".repeat(99) + "\n";
        String tail = ProfileRuns.tail(line.repeat(700));

        assertThat(tail.length()).isLessThanOrEqualTo(65_536).isEqualTo(655 * 100);
        assertThat(tail).startsWith("x").endsWith("x\n");
        assertThat(ProfileRuns.tail("short\n")).isEqualTo("short\n");
    }

    @Test
    void aRepeatedReportAddsItsLinesOnceAndAGapIsNoted() {
        Instant t = Instant.parse("2026-01-01T00:00:00Z");
        ProfileRunReport report = new ProfileRunReport(
                "d",
                "s",
                "p",
                1,
                "r",
                ProfileRunStatus.RUNNING,
                null,
                t,
                null,
                1,
                List.of(new LogLine(t, "two"), new LogLine(t, "three")));

        assertThat(ProfileRuns.append("one\ntwo\n", report, 1, 2)).isEqualTo("one\ntwo\nthree\n");
        assertThat(ProfileRuns.append("", report, 0, 0))
                .isEqualTo("[manager] 1 earlier output line(s) were not received\ntwo\nthree\n");
    }
}
