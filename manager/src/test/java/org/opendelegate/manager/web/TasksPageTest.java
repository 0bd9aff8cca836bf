package org.opendelegate.manager.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class TasksPageTest {
    @Test
    void theRetentionIsSaidInTheUnitAPersonWouldUse() {
        assertThat(TasksPage.kept(Duration.ofDays(90)))
                .isEqualTo("An ended task is kept for 90 days, then removed with its log.");
        assertThat(TasksPage.kept(Duration.ofDays(1))).startsWith("An ended task is kept for 1 day,");
        assertThat(TasksPage.kept(Duration.ofHours(36))).startsWith("An ended task is kept for 36 hours,");
        assertThat(TasksPage.kept(Duration.ofHours(1))).startsWith("An ended task is kept for 1 hour,");
        assertThat(TasksPage.kept(Duration.ofMinutes(90))).startsWith("An ended task is kept for 90 minutes,");
    }
}
