package org.opendelegate.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.opendelegate.e2e.support.Api;
import org.opendelegate.e2e.support.DelegateProcess;
import org.opendelegate.e2e.support.HaProxy;
import org.opendelegate.e2e.support.Replicas;
import org.opendelegate.protocol.ProtocolJson;
import org.opendelegate.testkit.TcpProxy;

/**
 * One replica of three loses PostgreSQL while delegates' polls are parked on it: its connection to the
 * database goes through a TCP proxy the test cuts (every connection reset, new ones refused). It must go
 * unready, HAProxy must take it out so the delegates' calls go to the other replicas, every task submitted
 * before and during the cut must end exactly once, and once the proxy is restored the replica must be ready
 * again and serve requests. Real processes throughout: 3 Managers, HAProxy, 4 delegates.
 */
class ReplicaDbCutE2ETest {
    private static final Set<String> TERMINAL = Set.of("SUCCEEDED", "FAILED", "TIMED_OUT", "CANCELLED", "NOT_ASSIGNED");
    private static final Set<Integer> RETRYABLE = Set.of(502, 503, 504);
    private static final int DELEGATES = 4;
    /** The replica whose database connection the test cuts (from 0): the third. */
    private static final int CUT = 2;

    private static final String CUT_SERVER = "replica-" + (CUT + 1);

    private final List<AutoCloseable> running = Collections.synchronizedList(new ArrayList<>());
    private final Map<String, JsonNode> submitted = new ConcurrentHashMap<>();
    private final List<DelegateProcess> delegates = new ArrayList<>();
    private int next;

    @AfterEach
    void stopAll() throws Exception {
        List<AutoCloseable> all = new ArrayList<>(running);
        Collections.reverse(all);
        for (AutoCloseable c : all) {
            c.close();
        }
    }

    @Test
    void aReplicaCutOffFromTheDatabaseGoesUnreadyLosesNothingAndComesBack() throws Exception {
        Path work = Path.of(System.getProperty("opendelegate.workDir", "target/e2e-work"))
                .resolve("db-cut-" + System.currentTimeMillis());
        TcpProxy database = track(TcpProxy.start("127.0.0.1", 5432));
        Replicas replicas = track(Replicas.start(
                work,
                3,
                Map.of("OPENDELEGATE_LEASE_DURATION", "3s", "OPENDELEGATE_NO_ELIGIBLE_WAIT", "60s"),
                (i, url) -> i == CUT ? url.replace("127.0.0.1:5432", "127.0.0.1:" + database.port()) : url));
        HaProxy balancer = track(HaProxy.start(replicas.ports(), work.resolve("haproxy")));
        for (int i = 0; i < DELEGATES; i++) {
            DelegateProcess d = track(DelegateProcess.start(
                    "db-cut-" + i,
                    balancer.url(),
                    "db-cut",
                    Map.of("DELEGATE_NAME", "db-cut-" + i, "DELEGATE_CAPACITY", "4"),
                    work));
            d.awaitConnected();
            delegates.add(d);
        }
        Api api = balancer.api();
        String cutReplica = "http://127.0.0.1:" + replicas.ports().get(CUT);

        // Work under way, and the replica to be cut serving delegates' long polls.
        submitAll(api, 40);
        await("a delegate poll answered by " + CUT_SERVER)
                .atMost(Duration.ofSeconds(30))
                .until(() -> balancer.logged().stream()
                        .anyMatch(l -> l.server().equals(CUT_SERVER) && l.path().endsWith("/poll")));
        int loggedBeforeCut = balancer.logged().size();
        database.cut();
        Instant cutAt = Instant.now();

        await(CUT_SERVER + " to go unready without its database")
                .atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> HaProxy.status(cutReplica + "/readyz") == 503);
        Duration toUnready = Duration.between(cutAt, Instant.now());
        await("HAProxy to take " + CUT_SERVER + " out")
                .atMost(Duration.ofSeconds(10))
                .until(() -> balancer.output().contains("managers/" + CUT_SERVER + " is DOWN"));
        assertThat(HaProxy.status(cutReplica + "/healthz"))
                .as("liveness is not readiness: the process still answers")
                .isEqualTo(200);
        int loggedAtDown = balancer.logged().size();

        // While it is out, the others take everything: new work and the delegates' calls.
        submitAll(api, 60);
        awaitAllEnded(api);
        List<HaProxy.Logged> whileDown = since(balancer, loggedAtDown);
        assertThat(whileDown)
                .as("once HAProxy took it out, " + CUT_SERVER + " changed nothing: what was in flight got a "
                        + "retryable 503 (parked polls may end empty)")
                .noneMatch(l -> l.server().equals(CUT_SERVER) && !l.path().endsWith("/poll") && l.status() < 400);
        assertThat(since(balancer, loggedBeforeCut))
                .as("requests that reached " + CUT_SERVER + " without its database answer 503, never 500")
                .filteredOn(l -> l.server().equals(CUT_SERVER) && l.status() >= 500)
                .allMatch(l -> l.status() == 503);
        assertThat(whileDown)
                .as("the delegates poll the other replicas")
                .anyMatch(l -> l.path().endsWith("/poll") && l.status() == 200);
        long pollsEndedOnCutReplica = balancer
                .logged()
                .subList(loggedBeforeCut, balancer.logged().size())
                .stream()
                .filter(l -> l.server().equals(CUT_SERVER) && l.path().endsWith("/poll"))
                .count();

        // Restored: ready again, back in the balancer, and serving.
        database.restore();
        Instant restoredAt = Instant.now();
        await(CUT_SERVER + " to be ready again")
                .atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> HaProxy.status(cutReplica + "/readyz") == 200);
        Duration toReady = Duration.between(restoredAt, Instant.now());
        await("HAProxy to put " + CUT_SERVER + " back")
                .atMost(Duration.ofSeconds(10))
                .until(() -> balancer.output().contains("managers/" + CUT_SERVER + " is UP"));
        int loggedAtUp = balancer.logged().size();
        submitAll(api, 40);
        awaitAllEnded(api);
        assertThat(since(balancer, loggedAtUp))
                .as(CUT_SERVER + " serves again")
                .anyMatch(l -> l.server().equals(CUT_SERVER) && l.status() < 300);

        ChaosTally tally = ChaosTally.count(api, next, submitted, Map.of());
        String report = "db-cut: toUnready=" + toUnready.toMillis() + "ms toReady=" + toReady.toMillis()
                + "ms pollsEndedOnCutReplica=" + pollsEndedOnCutReplica + " balancerStatuses=" + balancer.statuses()
                + " " + tally.line(DELEGATES, 0, 0);
        System.out.println(report);
        assertThat(tally.lost()).as(report + " " + tally.examples()).isZero();
        assertThat(tally.appliedTwice()).as(report + " " + tally.examples()).isZero();
        assertThat(tally.wrongEnd()).as(report + " " + tally.examples()).isZero();
        assertThat(tally.byState()).as(report).isEqualTo(new TreeMap<>(Map.of("SUCCEEDED", next)));
        assertThat(replicas.unexpectedErrors()).as("a replica answered 500").isEmpty();
        assertThat(balancer.statuses()).as("the balancer passed on a 500").doesNotContainKey(500);
        for (DelegateProcess d : delegates) {
            assertThat(d.output()).as(d.name()).doesNotContain("this is a bug");
        }
    }

    /** Submits {@code n} short tasks through the balancer, retrying only what a replica going out causes. */
    private void submitAll(Api api, int n) {
        for (int k = 0; k < n; k++) {
            int i = next++;
            Map<String, Object> payload = i % 2 == 0 ? Map.of("n", i) : Map.of("seconds", 0.2 + (i % 7) * 0.1);
            Map<String, Object> request = Map.of(
                    "type",
                    payload.containsKey("n") ? "echo" : "sleep",
                    "payload",
                    payload,
                    "maxAttempts",
                    10,
                    "idempotencyKey",
                    "db-cut-" + i);
            submitted.put(submit(api, request), toJson(payload));
        }
    }

    private static String submit(Api api, Map<String, Object> request) {
        Instant deadline = Instant.now().plusSeconds(30);
        String last = "";
        while (Instant.now().isBefore(deadline)) {
            try {
                Api.Response r = api.post("/api/v1/tasks", request);
                if (r.status() == 200 || r.status() == 201) {
                    return r.json().get("id").asText();
                }
                assertThat(RETRYABLE)
                        .as("submission answered " + r.status() + ": " + r.json())
                        .contains(r.status());
                last = r.status() + " " + r.json();
            } catch (UncheckedIOException cut) {
                last = cut.getCause().toString();
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new AssertionError("submission " + request.get("idempotencyKey") + " not taken in 30 s; last: " + last);
    }

    private void awaitAllEnded(Api api) {
        await("every task submitted so far to end")
                .atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(500))
                .ignoreExceptions()
                .until(() -> submitted.keySet().stream()
                        .allMatch(id ->
                                TERMINAL.contains(api.task(id).path("state").asText())));
    }

    private static JsonNode toJson(Map<String, Object> payload) {
        try {
            return ProtocolJson.mapper().readTree(ProtocolJson.mapper().writeValueAsString(payload));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private <T extends AutoCloseable> T track(T closeable) {
        running.add(closeable);
        return closeable;
    }

    /** What HAProxy logged from the given index on, from one snapshot (the log grows while the test reads it). */
    private static List<HaProxy.Logged> since(HaProxy balancer, int from) {
        List<HaProxy.Logged> all = balancer.logged();
        return all.subList(Math.min(from, all.size()), all.size());
    }
}
