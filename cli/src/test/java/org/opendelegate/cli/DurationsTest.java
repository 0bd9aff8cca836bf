package org.opendelegate.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import picocli.CommandLine.TypeConversionException;

class DurationsTest {
    private final Durations durations = new Durations();

    @Test
    void readsSecondsMinutesHoursAndBareNumbers() {
        assertThat(durations.convert("90s")).isEqualTo(90);
        assertThat(durations.convert("10m")).isEqualTo(600);
        assertThat(durations.convert("1h")).isEqualTo(3600);
        assertThat(durations.convert("45")).isEqualTo(45);
    }

    @Test
    void refusesWhatIsNotADurationAndSaysHowToWriteOne() {
        for (String bad : new String[] {"soon", "-5s", "1.5m", "10 m", "", "0s", "1d"}) {
            assertThatThrownBy(() -> durations.convert(bad))
                    .as(bad)
                    .isInstanceOf(TypeConversionException.class)
                    .hasMessageContaining("'" + bad + "'");
        }
    }
}
