package org.opendelegate.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.opendelegate.protocol.DelegateApiPaths;
import org.opendelegate.protocol.ProtocolVersion;

/**
 * Speaks the delegate protocol (version 2) from a test, one call at a time, so a test can play a delegate
 * (or a misbehaving one) exactly; {@link #keepAlive} heartbeats on its own, as a connected delegate does.
 * It registers with its delegate token, then sends every call with the session credential the registration
 * answered, and echoes the lease id of every assignment it took ({@link #leaseIds}).
 */
public final class FakeDelegate implements AutoCloseable {
    private final TestHttp tokenHttp;
    private final Map<String, Object> registration;
    private volatile TestHttp http;
    private ScheduledExecutorService heartbeats;
    public volatile String delegateId;
    public volatile String sessionId;
    /** The session credential from the last registration. */
    public volatile String sessionToken;
    /** The lease id of each task this delegate took, by task id. */
    public final Map<String, String> leaseIds = new java.util.concurrent.ConcurrentHashMap<>();

    /** A delegate of {@code group} named {@code name} that calls the Manager at {@code url} with {@code token}. */
    public FakeDelegate(String url, String accountId, String token, String name, String group) {
        this.tokenHttp = new TestHttp(
                url,
                Map.of(
                        "Authorization",
                        "Bearer " + token,
                        DelegateApiPaths.ACCOUNT_HEADER,
                        accountId,
                        ProtocolVersion.HEADER,
                        String.valueOf(ProtocolVersion.CURRENT)));
        this.registration = registration(name, group);
        this.http = tokenHttp;
    }

    /**
     * The registration a plain shell delegate sends, as a map a caller may change: a fresh instance id,
     * profile Primary, no selectors, capacity 4, the built-in task types.
     */
    public static Map<String, Object> registration(String name, String group) {
        Map<String, Object> registration = new LinkedHashMap<>();
        registration.put("instanceId", UUID.randomUUID().toString());
        registration.put("name", name);
        registration.put("groupName", group);
        registration.put("profileName", "Primary");
        registration.put("selectors", List.of());
        registration.put("type", "SHELL");
        registration.put("identityKind", "STABLE");
        registration.put("hostname", name + ".local");
        registration.put("version", "0.1.0");
        registration.put("capacity", 4);
        registration.put("taskTypes", List.of("echo", "sleep"));
        registration.put("runningTaskIds", List.of());
        return registration;
    }

    /** Changes one registration field before {@link #register()}. */
    public FakeDelegate with(String field, Object value) {
        registration.put(field, value);
        return this;
    }

    /** The HTTP client of the session: the session credential once registered, the delegate token before. */
    public TestHttp http() {
        return http;
    }

    /** Registers with the delegate token; on success remembers the ids and the session credential. */
    public TestHttp.Response register() {
        return registerWith(tokenHttp);
    }

    /** Registers again with the session credential instead of the delegate token. */
    public TestHttp.Response registerWithSession() {
        return registerWith(http);
    }

    private TestHttp.Response registerWith(TestHttp client) {
        TestHttp.Response r = client.post(DelegateApiPaths.REGISTER, registration);
        if (r.status() == 200) {
            delegateId = r.json().get("delegateId").asText();
            sessionId = r.json().get("sessionId").asText();
            sessionToken = r.json().get("sessionToken").asText();
            http = tokenHttp.withHeader("Authorization", "Bearer " + sessionToken);
        }
        return r;
    }

    public TestHttp.Response heartbeat(String... runningTaskIds) {
        return http.post(
                DelegateApiPaths.HEARTBEAT,
                Map.of("delegateId", delegateId, "sessionId", sessionId, "runningTaskIds", List.of(runningTaskIds)));
    }

    /** Polls once; remembers the lease id of every assignment in the answer. */
    public TestHttp.Response poll(int freeSlots) {
        TestHttp.Response r = http.post(
                DelegateApiPaths.POLL,
                Map.of("delegateId", delegateId, "sessionId", sessionId, "freeSlots", freeSlots));
        if (r.status() == 200) {
            r.json()
                    .path("assignments")
                    .forEach(a -> leaseIds.put(
                            a.path("taskId").asText(), a.path("leaseId").asText()));
        }
        return r;
    }

    /** The lease id this delegate got with a task, or "" when it never took the task. */
    public String leaseId(String taskId) {
        return leaseIds.getOrDefault(taskId, "");
    }

    /** Polls until an assignment arrives; returns it. */
    public JsonNode take() {
        for (int i = 0; i < 20; i++) {
            TestHttp.Response r = poll(1);
            if (r.status() != 200) {
                throw new AssertionError("poll failed: " + r);
            }
            if (r.json().get("assignments").size() > 0) {
                return r.json().get("assignments").get(0);
            }
        }
        throw new AssertionError("no task was assigned");
    }

    public TestHttp.Response progress(String taskId, long fencingToken, String... lines) {
        List<Map<String, Object>> logLines = new ArrayList<>();
        for (String line : lines) {
            logLines.add(Map.of("at", java.time.Instant.now().toString(), "text", line));
        }
        return progressLines(taskId, fencingToken, logLines);
    }

    /**
     * Numbered lines, as a delegate with sequence numbers sends them: line {@code i} of {@code lines} gets
     * number {@code firstSeq + i}, written to {@code stream} ({@code stdout}, {@code stderr}, or null).
     */
    public TestHttp.Response progressNumbered(
            String taskId, long fencingToken, long firstSeq, String stream, String... lines) {
        List<Map<String, Object>> logLines = new ArrayList<>();
        for (int i = 0; i < lines.length; i++) {
            Map<String, Object> line = new java.util.HashMap<>();
            line.put("at", java.time.Instant.now().toString());
            line.put("text", lines[i]);
            line.put("seq", firstSeq + i);
            if (stream != null) {
                line.put("stream", stream);
            }
            logLines.add(line);
        }
        return progressLines(taskId, fencingToken, logLines);
    }

    private TestHttp.Response progressLines(String taskId, long fencingToken, List<Map<String, Object>> logLines) {
        return http.post(
                DelegateApiPaths.taskProgress(taskId),
                Map.of(
                        "delegateId",
                        delegateId,
                        "sessionId",
                        sessionId,
                        "fencingToken",
                        fencingToken,
                        "leaseId",
                        leaseId(taskId),
                        "lines",
                        logLines));
    }

    /** Reports a success; returns what the Manager did with it ({@code disposition}, {@code detail}). */
    public JsonNode succeed(String taskId, long fencingToken, Object result) {
        return deliver(Map.of(
                "taskId",
                taskId,
                "fencingToken",
                fencingToken,
                "leaseId",
                leaseId(taskId),
                "status",
                "SUCCEEDED",
                "result",
                result));
    }

    public JsonNode fail(String taskId, long fencingToken, String kind, String message) {
        return deliver(Map.of(
                "taskId",
                taskId,
                "fencingToken",
                fencingToken,
                "leaseId",
                leaseId(taskId),
                "status",
                "FAILED",
                "error",
                Map.of("kind", kind, "message", message)));
    }

    public JsonNode report(String taskId, long fencingToken, String status) {
        return deliver(
                Map.of("taskId", taskId, "fencingToken", fencingToken, "leaseId", leaseId(taskId), "status", status));
    }

    /** Sends an outcome report with one outcome, as the delegate's reporting loop does; the raw answer. */
    public TestHttp.Response outcomes(Map<String, Object> outcome) {
        return http.post(
                DelegateApiPaths.OUTCOMES,
                Map.of("delegateId", delegateId, "sessionId", sessionId, "outcomes", List.of(outcome)));
    }

    /** Sends an outcome report with one outcome, as the delegate's reporting loop does. */
    private JsonNode deliver(Map<String, Object> outcome) {
        TestHttp.Response r = outcomes(outcome);
        if (r.status() != 200) {
            throw new AssertionError("the outcome report was refused: " + r);
        }
        return r.json().get("results").get(0);
    }

    /** Reports a profile run with new output lines, as a delegate does while it runs a profile script. */
    public TestHttp.Response profileRun(
            String profileId,
            int version,
            String runId,
            String status,
            Integer exitCode,
            java.time.Instant startedAt,
            long firstLine,
            String... lines) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("delegateId", delegateId);
        body.put("sessionId", sessionId);
        body.put("profileId", profileId);
        body.put("version", version);
        body.put("runId", runId);
        body.put("status", status);
        body.put("exitCode", exitCode);
        body.put("startedAt", startedAt.toString());
        body.put(
                "finishedAt",
                "RUNNING".equals(status) ? null : startedAt.plusSeconds(1).toString());
        body.put("firstLine", firstLine);
        List<Map<String, Object>> logLines = new ArrayList<>();
        for (String line : lines) {
            logLines.add(Map.of("at", startedAt.toString(), "text", line));
        }
        body.put("lines", logLines);
        body.values().removeIf(v -> v == null);
        return http.post(DelegateApiPaths.PROFILE_RUN, body);
    }

    public TestHttp.Response deregister() {
        return http.post(
                DelegateApiPaths.DEREGISTER,
                Map.of("delegateId", delegateId, "sessionId", sessionId, "reason", "test"));
    }

    /** Heartbeats every {@code interval} from a thread of its own until {@link #close()}, as a connected delegate does. */
    public synchronized FakeDelegate keepAlive(Duration interval) {
        if (heartbeats == null) {
            heartbeats = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "fake-delegate-heartbeat");
                t.setDaemon(true);
                return t;
            });
            var unused = heartbeats.scheduleWithFixedDelay(
                    this::heartbeat, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
        }
        return this;
    }

    /** Stops the heartbeats, as when the process is killed. */
    @Override
    public synchronized void close() {
        if (heartbeats != null) {
            heartbeats.shutdownNow();
        }
    }
}
