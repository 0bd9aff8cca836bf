package org.opendelegate.manager.limits;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
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
 * Rates on the delegate protocol against a real Manager whose clock stands still unless the test moves it:
 * registrations per delegate token per minute, log lines per delegate per second. A refusal is 429 with
 * Retry-After, names the setting and its value, and changes nothing.
 */
class RatesHttpTest {
    private final MutableClock clock = new MutableClock(java.time.Instant.parse("2026-01-01T00:00:00Z"));
    private TestManager manager;

    @AfterEach
    void stop() {
        if (manager != null) {
            manager.close();
        }
    }

    @Test
    void aTokenThatRegistersTooOftenIsToldToWaitAndNothingIsCreated() {
        manager = TestManager.start(Map.of("OPENDELEGATE_TOKEN_REGISTRATIONS_PER_MINUTE", "2"), clock);
        assertThat(manager.delegate("d1", "g").register().status()).isEqualTo(200);
        assertThat(manager.delegate("d2", "g").register().status()).isEqualTo(200);

        TestHttp.Response third = manager.delegate("d3", "g").register();

        assertLimitRefusal(third, "OPENDELEGATE_TOKEN_REGISTRATIONS_PER_MINUTE", 2);
        assertThat(Long.parseLong(third.header("Retry-After"))).isBetween(1L, 30L);
        assertThat(manager.api().get("/api/v1/delegates").json().get("delegates"))
                .hasSize(2);
        assertThat(manager.anonymous().get("/metrics").body())
                .contains(
                        "opendelegate_limit_refusals_total{limit=\"OPENDELEGATE_TOKEN_REGISTRATIONS_PER_MINUTE\"} 1.0");

        // Two per minute refill one every 30 s.
        clock.advance(Duration.ofSeconds(30));
        assertThat(manager.delegate("d3", "g").register().status()).isEqualTo(200);
    }

    @Test
    void aDelegateThatSendsLinesTooFastIsToldToWaitAndTheLinesAreNotStored() {
        // 10 lines per second: a burst of 50.
        manager = TestManager.start(Map.of("OPENDELEGATE_LOG_LINES_PER_SECOND_PER_DELEGATE", "10"), clock);
        FakeDelegate d = manager.delegate("d1", "g");
        d.register();
        String id = submit(manager.api());
        d.take();
        assertThat(d.progress(id, 1, lines("burst", 50)).status()).isEqualTo(200);

        TestHttp.Response over = d.progress(id, 1, lines("over", 10));

        assertLimitRefusal(over, "OPENDELEGATE_LOG_LINES_PER_SECOND_PER_DELEGATE", 10);
        assertThat(over.header("Retry-After")).isEqualTo("1");
        assertThat(log(id)).hasSize(50).noneMatch(l -> l.startsWith("over"));

        clock.advance(Duration.ofSeconds(1));
        assertThat(d.progress(id, 1, lines("over", 10)).status()).isEqualTo(200);
        assertThat(log(id)).hasSize(60).endsWith("over-9");
    }

    static void assertLimitRefusal(TestHttp.Response r, String limit, long value) {
        assertThat(r.status()).as(r.toString()).isEqualTo(429);
        assertThat(r.header("Content-Type")).startsWith("application/problem+json");
        assertThat(r.json().get("code").asText()).isEqualTo("LIMIT_REACHED");
        assertThat(r.json().get("limit").asText()).isEqualTo(limit);
        assertThat(r.json().get("value").asLong()).isEqualTo(value);
        assertThat(r.header("Retry-After")).isNotBlank();
    }

    static String[] lines(String prefix, int n) {
        String[] lines = new String[n];
        for (int i = 0; i < n; i++) {
            lines[i] = prefix + "-" + i;
        }
        return lines;
    }

    static String submit(TestHttp api) {
        TestHttp.Response r = api.post("/api/v1/tasks", Map.of("type", "echo", "timeoutSeconds", 3600));
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        return r.json().get("id").asText();
    }

    static List<String> log(TestManager manager, String id) {
        List<String> lines = new ArrayList<>();
        long after = 0;
        while (true) {
            JsonNode page = manager.api()
                    .get("/api/v1/tasks/" + id + "/log?after=" + after)
                    .json();
            page.get("lines").forEach(l -> lines.add(l.get("text").asText()));
            if (page.get("lines").isEmpty()) {
                return lines;
            }
            after = page.get("next").asLong();
        }
    }

    private List<String> log(String id) {
        return log(manager, id);
    }
}
