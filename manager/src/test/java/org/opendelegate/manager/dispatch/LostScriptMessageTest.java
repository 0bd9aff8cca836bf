package org.opendelegate.manager.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.opendelegate.manager.store.Task;
import org.opendelegate.manager.testing.TaskSpecs;
import org.opendelegate.protocol.TaskTypes;

/** What a task whose delegate was lost ends with: a script says it may have partly run; other tasks do not. */
class LostScriptMessageTest {
    private static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");

    @Test
    void aLostScriptMayHavePartlyRunAndOtherTasksSimplyGaveUp() {
        assertThat(TaskLeases.gaveUp(task(TaskTypes.SHELL_SCRIPT), "runner-1 stopped renewing its lease"))
                .isEqualTo("The delegate was lost while the script ran; it may have partly run (runner-1 stopped "
                        + "renewing its lease; 0 attempts of 1 used). Check what it changed before running it again.");
        assertThat(TaskLeases.gaveUp(task("echo"), "runner-1 stopped renewing its lease"))
                .isEqualTo("Gave up after 0 attempts; the last: runner-1 stopped renewing its lease.");
    }

    private static Task task(String type) {
        return Task.queued("t1", "a1", TaskSpecs.plain(type, 1, 60_000), "test", NOW);
    }
}
