package org.opendelegate.manager.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.opendelegate.manager.testing.TestManager;
import org.opendelegate.protocol.DelegateApiPaths;
import org.opendelegate.protocol.ProtocolVersion;
import org.opendelegate.testkit.FakeDelegate;
import org.slf4j.LoggerFactory;

/**
 * Slow and abusive clients, as an attacker would send them over raw sockets: slow bodies and headers are
 * cut, huge headers refused, one address cannot hold every connection, a flood of slow sign-ins does not
 * take the threads delegates and {@code /healthz} need, and a client hanging up is one log line.
 */
class SlowClientHttpTest {
    private static final String FORM = "application/x-www-form-urlencoded";
    private static final Duration FLOOD_LIMIT = Duration.ofSeconds(50);
    /** What a delegate sends with every call, so that a slow body passes the checks before the body. */
    private static final String[] DELEGATE_HEADERS = {
        "Authorization: Bearer " + TestManager.DELEGATE_TOKEN,
        DelegateApiPaths.ACCOUNT_HEADER + ": " + TestManager.ACCOUNT_ID,
        ProtocolVersion.HEADER + ": " + ProtocolVersion.CURRENT
    };

    @Test
    void aBodyTricklingInIsRefusedWith408() {
        try (TestManager manager = TestManager.start(
                        Map.of("OPENDELEGATE_HTTP_BODY_TIMEOUT", "20s", "OPENDELEGATE_HTTP_MIN_BODY_RATE", "1000"));
                SlowClient client = new SlowClient(manager.url())) {
            client.postHeaders("/login", FORM, 100_000).trickle("username=x&", 60, Duration.ofSeconds(1));

            String answer = client.answer();

            assertThat(answer).startsWith("HTTP/1.1 408");
            assertThat(answer)
                    .contains("application/problem+json")
                    .contains("too slowly")
                    .contains("bytes/s");
        }
    }

    @Test
    void aBodyThatNeverComesIsRefusedAfterTheBodyTimeout() {
        try (TestManager manager = TestManager.start(Map.of("OPENDELEGATE_HTTP_BODY_TIMEOUT", "2s"));
                SlowClient client = new SlowClient(manager.url())) {
            client.postHeaders(DelegateApiPaths.REGISTER, "application/json", 500, DELEGATE_HEADERS)
                    .send("{\"name\":");

            String answer = client.answer();
            assertThat(answer).startsWith("HTTP/1.1 408");
            assertThat(answer).contains("application/problem+json").contains("REQUEST_TOO_SLOW");
        }
    }

    @Test
    void headersTricklingInAreCutAndHugeHeadersAnswer431() {
        try (TestManager manager = TestManager.start(Map.of(
                        "OPENDELEGATE_HTTP_HEADER_TIMEOUT", "2s", "OPENDELEGATE_HTTP_MAX_HEADER_BYTES", "4096"));
                SlowClient slow = new SlowClient(manager.url());
                SlowClient huge = new SlowClient(manager.url())) {
            slow.send("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
                    .trickle("abcdefgh", 120, Duration.ofMillis(500));
            huge.send("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Huge: " + "h".repeat(8000) + "\r\n\r\n");

            assertThat(slow.statusLine()).isEqualTo("closed");
            assertThat(huge.statusLine()).startsWith("HTTP/1.1 431");
        }
    }

    @Test
    void oneAddressHoldsAtMostItsShareOfConnectionsAndOthersAreServed() {
        try (TestManager manager = TestManager.start(Map.of("OPENDELEGATE_HTTP_MAX_CONNECTIONS_PER_ADDRESS", "3"))) {
            List<SlowClient> held = new ArrayList<>();
            try {
                for (int i = 0; i < 3; i++) {
                    held.add(new SlowClient(manager.url()).send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"));
                    assertThat(held.get(i).statusLine()).startsWith("HTTP/1.1 200");
                }
                try (SlowClient fourth = new SlowClient(manager.url())) {
                    assertThat(fourth.send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
                                    .statusLine())
                            .isEqualTo("closed");
                }
                try (SlowClient other = new SlowClient(manager.url(), "127.0.0.2")) {
                    assertThat(other.send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
                                    .statusLine())
                            .startsWith("HTTP/1.1 200");
                }
                held.remove(0).close();
                await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                    try (SlowClient again = new SlowClient(manager.url())) {
                        assertThat(again.send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
                                        .statusLine())
                                .startsWith("HTTP/1.1 200");
                    }
                });
            } finally {
                held.forEach(SlowClient::close);
            }
        }
    }

    @Test
    void aFloodOfSlowSignInsDoesNotStarveDelegatesOrHealth() {
        try (TestManager manager = TestManager.start(Map.of(
                "OPENDELEGATE_HTTP_CONSOLE_THREADS", "4",
                "OPENDELEGATE_HTTP_BODY_TIMEOUT", "60s",
                "OPENDELEGATE_HTTP_MIN_BODY_RATE", "0"))) {
            List<SlowClient> flood = flood(manager, "/login", FORM, 8);
            try {
                // The flood holds every console thread: people are told to come back, not queued.
                await().atMost(FLOOD_LIMIT)
                        .until(() -> manager.anonymous().get("/login").status() == 503);

                FakeDelegate delegate = manager.delegate("during-flood", "flood-group");
                assertThat(delegate.register().status()).isEqualTo(200);
                assertThat(delegate.heartbeat().status()).isEqualTo(200);
                assertThat(manager.anonymous().get("/healthz").status()).isEqualTo(200);
            } finally {
                flood.forEach(SlowClient::close);
            }
        }
    }

    @Test
    void aFloodOfSlowDelegateCallsDoesNotStarveTheConsole() {
        try (TestManager manager = TestManager.start(Map.of(
                "OPENDELEGATE_HTTP_DELEGATE_THREADS", "4",
                "OPENDELEGATE_HTTP_BODY_TIMEOUT", "60s",
                "OPENDELEGATE_HTTP_MIN_BODY_RATE", "0"))) {
            List<SlowClient> flood = flood(manager, DelegateApiPaths.REGISTER, "application/json", 8, DELEGATE_HEADERS);
            try {
                FakeDelegate late = manager.delegate("late", "flood-group");
                await().atMost(FLOOD_LIMIT).until(() -> late.register().status() == 503);

                assertThat(manager.anonymous().get("/login").status()).isEqualTo(200);
                assertThat(manager.api().get("/api/v1/delegates").status()).isEqualTo(200);
                assertThat(manager.anonymous().get("/healthz").status()).isEqualTo(200);
            } finally {
                flood.forEach(SlowClient::close);
            }
        }
    }

    @Test
    void aClientHangingUpMidBodyIsOneLogLineWithoutAStackTrace() {
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        ListAppender<ILoggingEvent> log = new ListAppender<>();
        log.start();
        root.addAppender(log);
        try (TestManager manager = TestManager.start()) {
            try (SlowClient client = new SlowClient(manager.url())) {
                client.postHeaders("/login", FORM, 10_000).send("username=admin&password=");
            }
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> List.copyOf(log.list).stream()
                            .anyMatch(e -> e.getFormattedMessage().contains("hung up")));
            assertThat(manager.anonymous().get("/healthz").status()).isEqualTo(200);
        } finally {
            root.detachAppender(log);
        }
        List<ILoggingEvent> events = List.copyOf(log.list);
        assertThat(events.stream().filter(e -> e.getFormattedMessage().contains("hung up")))
                .singleElement()
                .satisfies(e -> assertThat(e.getFormattedMessage()).contains("POST /login"));
        assertThat(events).noneMatch(e -> e.getThrowableProxy() != null);
        assertThat(events)
                .noneMatch(e -> e.getFormattedMessage().contains("Early EOF")
                        && e.getLevel().isGreaterOrEqual(ch.qos.logback.classic.Level.WARN));
    }

    /** {@code count} connections that declare a 100 KB body and send one byte a second of it. */
    private static List<SlowClient> flood(
            TestManager manager, String path, String contentType, int count, String... headers) {
        List<SlowClient> flood = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            flood.add(new SlowClient(manager.url())
                    .postHeaders(path, contentType, 100_000, headers)
                    .trickle("aaaaaaaa", (int) FLOOD_LIMIT.toSeconds() + 10, Duration.ofSeconds(1)));
        }
        return flood;
    }
}
