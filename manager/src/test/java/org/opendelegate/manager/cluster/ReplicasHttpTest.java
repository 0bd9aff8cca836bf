package org.opendelegate.manager.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.opendelegate.manager.testing.ConsoleBrowser;
import org.opendelegate.manager.testing.TestManager;
import org.opendelegate.testkit.FakeDelegate;
import org.opendelegate.testkit.MutableClock;
import org.opendelegate.testkit.PostgresSchemas;
import org.opendelegate.testkit.TcpProxy;
import org.opendelegate.testkit.TestHttp;

/**
 * Two (or three) Manager replicas in one JVM on one PostgreSQL schema, a delegate talking to one and people
 * to the other. The replicas share a {@link MutableClock} that stands still unless a test moves it: their
 * once-a-second store polls (queue sync, waiters) then run only once, at the start, so what crosses from one
 * replica to the other crosses by {@code LISTEN/NOTIFY} alone — with the signals removed, the poll, the
 * sync answer and the token refusal below never come. Each test takes a few seconds.
 */
class ReplicasHttpTest {
    private static final String MASTER_KEY = Base64.getEncoder().encodeToString(new byte[32]);

    private final String schema = PostgresSchemas.newName();
    private final MutableClock clock = new MutableClock(Instant.now());
    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
        PostgresSchemas.drop(schema);
    }

    @Test
    void aTaskSubmittedOnOneReplicaReachesAPollParkedOnTheOther() {
        TestManager a = replica(5432);
        TestManager b = replica(5432);
        FakeDelegate d = delegate(b, "d-b");

        CompletableFuture<TestHttp.Response> poll = CompletableFuture.supplyAsync(() -> d.poll(1));
        String id = a.api()
                .post("/api/v1/tasks", Map.of("type", "echo"))
                .json()
                .get("id")
                .asText();

        assertThat(poll.join().json().get("assignments").findValuesAsText("taskId"))
                .as("the poll parked on replica B (a 5 s wait) gets the task submitted on A")
                .containsExactly(id);
    }

    @Test
    void aSyncSubmitterOnOneReplicaHearsTheOutcomeReportedToTheOther() {
        TestManager a = replica(5432);
        TestManager b = replica(5432);
        FakeDelegate d = delegate(b, "d-b");

        CompletableFuture<TestHttp.Response> sync = CompletableFuture.supplyAsync(
                () -> a.api().post("/api/v1/tasks", Map.of("type", "echo", "sync", true, "timeoutSeconds", 20)));
        JsonNode assignment = d.take();
        String id = assignment.get("taskId").asText();
        d.progress(id, assignment.get("fencingToken").asLong(), "from replica B");
        assertThat(d.succeed(id, assignment.get("fencingToken").asLong(), Map.of("on", "b"))
                        .get("disposition")
                        .asText())
                .isEqualTo("APPLIED");

        TestHttp.Response answer = sync.join();
        assertThat(answer.json().get("state").asText()).isEqualTo("SUCCEEDED");
        assertThat(answer.json().get("result").get("on").asText()).isEqualTo("b");
    }

    @Test
    void aLogFollowedOnOneReplicaShowsLinesPostedToTheOther() throws Exception {
        TestManager a = replica(5432);
        TestManager b = replica(5432);
        FakeDelegate d = delegate(b, "d-b");
        a.api().post("/api/v1/tasks", Map.of("type", "echo"));
        JsonNode assignment = d.take();
        String id = assignment.get("taskId").asText();
        long fencingToken = assignment.get("fencingToken").asLong();
        d.progress(id, fencingToken, "first line, stored before A follows");

        BlockingQueue<String> followedOnA = follow(a, id);
        assertThat(followedOnA.poll(20, TimeUnit.SECONDS))
                .as("the stream on A starts with what is stored")
                .contains("first line, stored before A follows");
        // A's stream has read the store and waits. Its clock stands still, so its once-a-second look at the
        // store never comes: only B's LOG_STORED signal can bring the next line.
        d.progress(id, fencingToken, "second line, posted to B while A follows");

        assertThat(followedOnA.poll(20, TimeUnit.SECONDS))
                .as("the line posted to B reaches the stream on A")
                .contains("second line, posted to B while A follows");
    }

    @Test
    void aTokenRevokedOnOneReplicaIsRefusedOnTheOther() {
        TestManager a = replica(5432);
        TestManager b = replica(5432);
        FakeDelegate d = delegate(b, "d-b");
        assertThat(d.heartbeat().status()).isEqualTo(200);
        String tokenId = null;
        for (JsonNode t : a.api().get("/api/v1/delegate-tokens").json().get("tokens")) {
            if (t.get("name").asText().equals("default")) {
                tokenId = t.get("id").asText();
            }
        }

        a.api().post("/api/v1/delegate-tokens/" + tokenId + "/revoke", Map.of());

        // The clock stands still, so B's cached token never expires: only A's signal makes B look again.
        await().atMost(Duration.ofSeconds(10)).until(() -> d.heartbeat().status() == 401);
        assertThat(d.heartbeat().json().get("code").asText()).isEqualTo("TOKEN_REVOKED");
    }

    @Test
    void bothReplicasSweepingApplyALeaseExpiryAndADisconnectionOnce() throws InterruptedException {
        TestManager a = replica(5432);
        TestManager b = replica(5432);
        FakeDelegate d = delegate(b, "d-b");
        String id = a.api()
                .post("/api/v1/tasks", Map.of("type", "echo", "maxAttempts", 3))
                .json()
                .get("id")
                .asText();
        d.take();

        clock.advance(Duration.ofSeconds(5)); // past the 2 s lease and the 2 s disconnect window
        await().atMost(Duration.ofSeconds(10))
                .until(
                        () -> a.api()
                                .get("/api/v1/tasks/" + id)
                                .json()
                                .get("state")
                                .asText(),
                        "QUEUED"::equals);
        await().atMost(Duration.ofSeconds(10)).until(() -> disconnections(a, d.delegateId) > 0);
        Thread.sleep(3000); // both replicas sweep several more times (every 250 ms and every 2 s)

        JsonNode attempts = a.api().get("/api/v1/tasks/" + id).json().get("attempts");
        assertThat(attempts).hasSize(1);
        assertThat(attempts.get(0).get("outcome").asText()).isEqualTo("LEASE_EXPIRED");
        assertThat(disconnections(a, d.delegateId))
                .as("delegate.disconnected audited by one replica only")
                .isEqualTo(1);
    }

    @Test
    void aHeartbeatHeardOnlyByOneReplicaReachesTheOtherByTheLivenessFlushAndSilenceStillDisconnects() {
        TestManager a = replica(5432);
        TestManager b = replica(5432);
        FakeDelegate d = delegate(b, "d-b");
        clock.advance(Duration.ofSeconds(5)); // past the 2 s disconnect window
        assertThat(status(a, d.delegateId)).isEqualTo("DISCONNECTED");

        assertThat(d.heartbeat().status()).isEqualTo(200);

        assertThat(status(b, d.delegateId))
                .as("B answered the heartbeat from memory and shows the delegate connected at once")
                .isEqualTo("CONNECTED");
        // A hears nothing from the delegate: only B's bulk write of what it heard (every 750 ms here), read by
        // A's reload of the store, tells A that the delegate is alive.
        await().atMost(Duration.ofSeconds(15)).until(() -> "CONNECTED".equals(status(a, d.delegateId)));
        Instant heard = clock.instant();
        assertThat(Instant.parse(
                        delegateView(a, d.delegateId).get("lastHeartbeatAt").asText()))
                .as("PostgreSQL keeps microseconds")
                .isCloseTo(heard, within(1, ChronoUnit.MILLIS));

        clock.advance(Duration.ofSeconds(5)); // the delegate stopped: silent past the window again
        assertThat(status(a, d.delegateId)).isEqualTo("DISCONNECTED");
        assertThat(status(b, d.delegateId)).isEqualTo("DISCONNECTED");
        await().atMost(Duration.ofSeconds(10)).until(() -> disconnections(a, d.delegateId) > 0);
    }

    private String status(TestManager m, String delegateId) {
        return delegateView(m, delegateId).get("status").asText();
    }

    private JsonNode delegateView(TestManager m, String delegateId) {
        return m.api().get("/api/v1/delegates/" + delegateId).json();
    }

    @Test
    void aReplicaCutOffFromTheDatabaseIsUnreadyTakesNoWorkAndComesBack() {
        TcpProxy proxy = TcpProxy.start("127.0.0.1", 5432);
        open.add(proxy);
        TestManager a = replica(5432);
        TestManager cut = replica(proxy.port());
        FakeDelegate d = delegate(cut, "d-cut");
        assertThat(cut.anonymous().get("/readyz").status()).isEqualTo(200);
        CompletableFuture<TestHttp.Response> parked = CompletableFuture.supplyAsync(() -> d.poll(1));

        proxy.cut();

        await().atMost(Duration.ofSeconds(15))
                .until(() -> cut.anonymous().get("/readyz").status() == 503);
        assertThat(cut.anonymous().get("/healthz").status()).isEqualTo(200);
        TestHttp.Response answered = parked.join();
        assertThat(answered.status())
                .as("its parked poll is answered: empty, or refused")
                .isIn(200, 503);
        assertThat(answered.json().path("assignments").size()).isZero();
        TestHttp.Response refused = d.poll(1);
        assertThat(refused.status()).isEqualTo(503);
        assertThat(refused.json().get("code").asText()).isEqualTo("STORE_UNREACHABLE");
        String id = a.api()
                .post("/api/v1/tasks", Map.of("type", "echo"))
                .json()
                .get("id")
                .asText();
        assertThat(a.api().get("/api/v1/tasks/" + id).json().get("state").asText())
                .as("the task waits on the healthy replica; the cut one took no lease")
                .isEqualTo("QUEUED");

        proxy.restore();

        await().atMost(Duration.ofSeconds(30))
                .until(() -> cut.anonymous().get("/readyz").status() == 200);
        // The link that came back makes the replica read the store's queue at its next look at the store, which
        // comes once a second by its clock: the signal of the task queued meanwhile was lost with the link.
        clock.advance(Duration.ofSeconds(1));
        assertThat(d.take().get("taskId").asText()).isEqualTo(id);
    }

    @Test
    void signInFailuresOnOneReplicaSlowDownAttemptsOnTheOther() {
        TestManager a = replica(5432);
        TestManager b = replica(5432);
        // The free failures are spent on A; a guesser round-robined to B must wait there as on one Manager.
        for (int i = 0; i < 4; i++) {
            a.browser().signIn("admin", "wrong-guess-" + i).expectStatus(401);
        }

        ConsoleBrowser.Page onB =
                b.browser().signIn("admin", "wrong-guess-on-b").expectStatus(429);
        assertThat(onB.header("Retry-After")).isEqualTo("1");

        clock.advance(Duration.ofSeconds(2));
        assertThat(b.browser()
                        .signIn("admin", "wrong-guess-5")
                        .expectStatus(401)
                        .header("Retry-After"))
                .as("the fifth failure, counted on B after four on A, doubles the wait")
                .isEqualTo("2");
        assertThat(a.browser()
                        .signIn("admin", "wrong-guess-6")
                        .expectStatus(429)
                        .header("Retry-After"))
                .isEqualTo("2");
    }

    @Test
    void registrationsPerTokenAreCountedAcrossReplicas() {
        Map<String, String> twoPerMinute = Map.of("OPENDELEGATE_TOKEN_REGISTRATIONS_PER_MINUTE", "2");
        TestManager a = replica(5432, twoPerMinute);
        TestManager b = replica(5432, twoPerMinute);
        assertThat(a.delegate("d1", "g").register().status()).isEqualTo(200);
        assertThat(b.delegate("d2", "g").register().status()).isEqualTo(200);

        // A round-robin balancer sends the third to A or B: both refuse it, as one Manager would.
        TestHttp.Response onA = a.delegate("d3", "g").register();
        TestHttp.Response onB = b.delegate("d3", "g").register();

        assertThat(onA.status()).isEqualTo(429);
        assertThat(onB.status()).isEqualTo(429);
        assertThat(onB.json().get("code").asText()).isEqualTo("LIMIT_REACHED");
        clock.advance(Duration.ofSeconds(30)); // two per minute refill one every 30 s
        assertThat(b.delegate("d3", "g").register().status()).isEqualTo(200);
        assertThat(a.delegate("d4", "g").register().status()).isEqualTo(429);
    }

    /** The data lines of A's Server-Sent Events stream of a task's log. */
    private BlockingQueue<String> follow(TestManager m, String taskId) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(
                        URI.create(m.url() + "/api/v1/tasks/" + taskId + "/log?follow=true"))
                .header("Authorization", "Bearer " + TestManager.API_KEY)
                .header("Accept", "text/event-stream")
                .build();
        HttpResponse<Stream<String>> response =
                HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofLines());
        assertThat(response.statusCode()).isEqualTo(200);
        open.add(response.body());
        BlockingQueue<String> data = new LinkedBlockingQueue<>();
        Thread reader = new Thread(
                () -> {
                    try {
                        response.body().filter(line -> line.startsWith("data:")).forEach(data::add);
                    } catch (RuntimeException closed) {
                        // the test closed the stream
                    }
                },
                "sse-reader");
        reader.setDaemon(true);
        reader.start();
        return data;
    }

    private long disconnections(TestManager m, String delegateId) {
        JsonNode events = m.api()
                .get("/api/v1/audit?action=delegate.disconnected&targetId=" + delegateId)
                .json()
                .get("events");
        return events.size();
    }

    private FakeDelegate delegate(TestManager m, String name) {
        FakeDelegate d = m.delegate(name, "g");
        assertThat(d.register().status()).isEqualTo(200);
        return d;
    }

    private TestManager replica(int port) {
        return replica(port, Map.of());
    }

    private TestManager replica(int port, Map<String, String> more) {
        Map<String, String> env = new HashMap<>(more);
        env.put("OPENDELEGATE_DB_URL", "jdbc:postgresql://127.0.0.1:" + port + "/test?currentSchema=" + schema);
        env.put("OPENDELEGATE_DB_USER", PostgresSchemas.USER);
        env.put("OPENDELEGATE_MASTER_KEY", MASTER_KEY);
        env.put("OPENDELEGATE_POLL_WAIT", "5s");
        TestManager m = TestManager.start(env, clock);
        open.add(m);
        return m;
    }
}
