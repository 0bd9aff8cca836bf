package org.opendelegate.manager.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.opendelegate.manager.testing.TestManager;
import org.opendelegate.testkit.FakeDelegate;
import org.opendelegate.testkit.MutableClock;
import org.opendelegate.testkit.TestHttp;

/**
 * {@code OPENDELEGATE_TASK_RETENTION} against a real Manager whose clock the test moves: a task that ended longer ago
 * than the retention is removed with its log, once per account audited; a task that ended since, or that has not
 * ended, stays.
 */
class TaskRetentionHttpTest {
    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private TestManager manager;

    @AfterEach
    void stop() {
        if (manager != null) {
            manager.close();
        }
    }

    @Test
    void aTaskThatEndedLongerAgoThanTheRetentionIsRemovedWithItsLogAndOthersStay() throws InterruptedException {
        // A delegate silent for the clock's jumps stays connected and keeps its lease.
        manager = TestManager.start(
                Map.of(
                        "OPENDELEGATE_TASK_RETENTION", "1h",
                        "OPENDELEGATE_DISCONNECT_AFTER", "1h",
                        "OPENDELEGATE_LEASE_DURATION", "1h"),
                clock);
        FakeDelegate d = manager.delegate("d1", "g");
        d.register();
        String old = submit();
        long token = d.take().get("fencingToken").asLong();
        assertThat(d.progress(old, token, "one", "two").status()).isEqualTo(200);
        d.succeed(old, token, Map.of("ok", true));

        clock.advance(Duration.ofMinutes(30));
        String recent = submit();
        d.succeed(recent, d.take().get("fencingToken").asLong(), Map.of("ok", true));
        String running = submit();
        d.take();

        // An hour and a minute after the first task ended; 31 minutes after the second.
        clock.advance(Duration.ofMinutes(31));
        waitUntilGone(old);

        assertThat(manager.api().get("/api/v1/tasks/" + old + "/log").status()).isEqualTo(404);
        assertThat(manager.api()
                        .get("/api/v1/tasks/" + recent)
                        .json()
                        .get("state")
                        .asText())
                .isEqualTo("SUCCEEDED");
        assertThat(manager.api()
                        .get("/api/v1/tasks/" + running)
                        .json()
                        .get("state")
                        .asText())
                .isEqualTo("RUNNING");
        assertThat(audit("tasks.removed"))
                .singleElement()
                .satisfies(
                        e -> assertThat(e.get("detail").asText())
                                .startsWith(
                                        "removed 1 tasks that ended before 2026-01-01T00:01:00Z (OPENDELEGATE_TASK_RETENTION=1h)"));
    }

    @Test
    void offKeepsEveryTask() throws InterruptedException {
        manager = TestManager.start(Map.of("OPENDELEGATE_TASK_RETENTION", "off"), clock);
        FakeDelegate d = manager.delegate("d1", "g");
        d.register();
        String id = submit();
        d.succeed(id, d.take().get("fencingToken").asLong(), Map.of("ok", true));

        clock.advance(Duration.ofDays(3650));
        Thread.sleep(5_000); // the retention looks every 2 s

        assertThat(manager.api().get("/api/v1/tasks/" + id).status()).isEqualTo(200);
        assertThat(audit("tasks.removed")).isEmpty();
        assertThat(manager.signedInAdmin().get("/tasks").expectStatus(200).body())
                .contains("<h1>Tasks</h1>")
                .doesNotContain("tasks-kept", "is kept for");
    }

    private String submit() {
        TestHttp.Response r = manager.api().post("/api/v1/tasks", Map.of("type", "echo", "timeoutSeconds", 3600));
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        return r.json().get("id").asText();
    }

    private void waitUntilGone(String id) throws InterruptedException {
        for (int i = 0; i < 100; i++) {
            TestHttp.Response r = manager.api().get("/api/v1/tasks/" + id);
            if (r.status() == 404) {
                return;
            }
            assertThat(r.status()).as(r.toString()).isEqualTo(200);
            Thread.sleep(100);
        }
        throw new AssertionError("task " + id + " was not removed within 10 s");
    }

    private List<JsonNode> audit(String action) {
        List<JsonNode> found = new ArrayList<>();
        manager.api().get("/api/v1/audit?limit=200").json().get("events").forEach(e -> {
            if (e.get("action").asText().equals(action)) {
                found.add(e);
            }
        });
        return found;
    }
}
