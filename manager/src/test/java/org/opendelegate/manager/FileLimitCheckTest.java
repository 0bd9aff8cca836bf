package org.opendelegate.manager;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.opendelegate.manager.testing.TestManager;
import org.slf4j.LoggerFactory;

class FileLimitCheckTest {
    @Test
    void aLimitBelowTheRecommendedOneSaysHowManyDelegatesFitAndHowToRaiseIt() {
        assertThat(FileLimitCheck.warning(20_000))
                .hasValueSatisfying(w -> assertThat(w).contains("20,000 files", "about 9,750 delegates", "65,536"));
        assertThat(FileLimitCheck.warning(1_024))
                .hasValueSatisfying(w -> assertThat(w).contains("about 262 delegates"));
        assertThat(FileLimitCheck.warning(65_535)).isPresent();
    }

    @Test
    void theRecommendedLimitOrMoreIsLeftAlone() {
        assertThat(FileLimitCheck.warning(65_536)).isEmpty();
        assertThat(FileLimitCheck.warning(1_048_576)).isEmpty();
    }

    @Test
    void theManagerLogsTheWarningItsOwnLimitCallsForAtStart() {
        Optional<String> expected = FileLimitCheck.ofThisProcess();
        Logger logger = (Logger) LoggerFactory.getLogger(ManagerServer.class);
        ListAppender<ILoggingEvent> log = new ListAppender<>();
        log.start();
        logger.addAppender(log);
        try (TestManager manager = TestManager.start()) {
            assertThat(manager.url()).startsWith("http://");
            assertThat(log.list.stream()
                            .filter(e -> e.getLevel() == Level.WARN)
                            .map(ILoggingEvent::getFormattedMessage)
                            .filter(m -> m.contains("files, sockets included"))
                            .findFirst())
                    .isEqualTo(expected);
        } finally {
            logger.detachAppender(log);
        }
    }
}
