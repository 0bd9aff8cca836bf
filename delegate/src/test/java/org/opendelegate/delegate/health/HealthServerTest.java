package org.opendelegate.delegate.health;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.opendelegate.protocol.ProtocolJson;

class HealthServerTest {
    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-01-01T00:00:00Z"));
    private final Clock clock = new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now.get();
        }
    };
    private final HealthState state = new HealthState(clock, Duration.ofMinutes(2));
    private HealthServer server;

    @BeforeEach
    void start() throws Exception {
        server = HealthServer.start(new InetSocketAddress("127.0.0.1", 0), state);
    }

    @AfterEach
    void stop() {
        server.stop();
    }

    private record Answer(int status, JsonNode body) {}

    private Answer get(String path) throws Exception {
        HttpURLConnection connection = (HttpURLConnection)
                URI.create("http://127.0.0.1:" + server.port() + path).toURL().openConnection(Proxy.NO_PROXY);
        int status = connection.getResponseCode();
        try (InputStream in = status < 400 ? connection.getInputStream() : connection.getErrorStream()) {
            return new Answer(status, ProtocolJson.mapper().readTree(in));
        }
    }

    @Test
    void beforeRegistrationTheProcessIsLiveButNotReady() throws Exception {
        state.beat();

        assertThat(get("/healthz").status()).isEqualTo(200);
        Answer ready = get("/readyz");
        assertThat(ready.status()).isEqualTo(503);
        assertThat(ready.body().path("connected").asBoolean()).isFalse();
        assertThat(ready.body().path("delegateId").isNull()).isTrue();
    }

    @Test
    void registeredAndHeartbeatingIsReadyAndReportsItsState() throws Exception {
        state.registered("d-42");
        state.runningTasks(() -> 3);

        Answer ready = get("/readyz");

        assertThat(ready.status()).isEqualTo(200);
        assertThat(ready.body().path("status").asText()).isEqualTo("UP");
        assertThat(ready.body().path("delegateId").asText()).isEqualTo("d-42");
        assertThat(ready.body().path("connected").asBoolean()).isTrue();
        assertThat(ready.body().path("runningTasks").asInt()).isEqualTo(3);
    }

    @Test
    void anUnreachableManagerMakesItUnreadyButStillLive() throws Exception {
        state.registered("d-42");
        state.beat();

        state.connected(false);

        assertThat(get("/readyz").status()).isEqualTo(503);
        Answer live = get("/healthz");
        assertThat(live.status()).isEqualTo(200);
        assertThat(live.body().path("status").asText()).isEqualTo("UP");
    }

    @Test
    void aLoopThatStopsBeatingMakesTheProcessUnhealthy() throws Exception {
        state.beatBefore(Duration.ofSeconds(10));
        now.set(now.get().plus(Duration.ofMinutes(2)));
        assertThat(get("/healthz").status()).isEqualTo(200);

        now.set(now.get().plus(Duration.ofSeconds(11)));

        assertThat(get("/healthz").status()).isEqualTo(503);
    }

    @Test
    void aDeadLoopThreadMakesTheProcessUnhealthy() throws Exception {
        Thread loop = new Thread(state::beat);
        loop.start();
        loop.join();

        assertThat(get("/healthz").status()).isEqualTo(503);
    }

    @Test
    void shuttingDownIsNeitherLiveNorReady() throws Exception {
        state.registered("d-42");

        state.stopping();

        Answer live = get("/healthz");
        assertThat(live.status()).isEqualTo(503);
        assertThat(live.body().path("status").asText()).isEqualTo("STOPPING");
        assertThat(get("/readyz").status()).isEqualTo(503);
    }
}
