package org.opendelegate.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import javax.net.ssl.SSLContext;
import org.opendelegate.protocol.DelegateApiPaths;
import org.opendelegate.protocol.HeartbeatResponse;
import org.opendelegate.protocol.OutcomeReportResponse;
import org.opendelegate.protocol.OutcomeResponse;
import org.opendelegate.protocol.PollResponse;
import org.opendelegate.protocol.Problem;
import org.opendelegate.protocol.ProblemCodes;
import org.opendelegate.protocol.ProfileAssignment;
import org.opendelegate.protocol.ProfileRunResponse;
import org.opendelegate.protocol.ProtocolJson;
import org.opendelegate.protocol.RegisterResponse;
import org.opendelegate.protocol.TaskAssignment;
import org.opendelegate.protocol.TaskProgressResponse;

/**
 * A Manager that speaks the delegate protocol on 127.0.0.1, records every call, and can be told to
 * misbehave: refuse registration, forget sessions, lose leases, cancel tasks, or go down and come back
 * on the same port. The delegate's tests drive a real delegate against it; the footprint benchmark lets a
 * delegate idle against it, over plain HTTP or TLS. It speaks protocol 2: a registration answers a session
 * credential ({@link #sessionToken}), which every later call of that session must present.
 */
public final class FakeManager implements AutoCloseable {
    private static final ObjectMapper JSON = ProtocolJson.mapper();

    public volatile long heartbeatIntervalMillis = 200;
    public volatile long pollWaitMillis = 300;
    public volatile long leaseMillis = 60_000;
    /** The profile registration and heartbeat answers assign; null answers like a Manager without profiles. */
    public volatile ProfileAssignment profile;
    /** When set, registrations with the delegate token are refused as a single-use token already used. */
    public volatile boolean delegateTokenUsedUp;

    private final List<Call> calls = new CopyOnWriteArrayList<>();
    private final LinkedBlockingQueue<TaskAssignment> queue = new LinkedBlockingQueue<>();
    private final Set<String> sessions = ConcurrentHashMap.newKeySet();
    private final Set<String> cancelOnPoll = ConcurrentHashMap.newKeySet();
    private final Set<String> cancelOnHeartbeat = ConcurrentHashMap.newKeySet();
    private final Set<String> lostOnHeartbeat = ConcurrentHashMap.newKeySet();
    private final Set<String> cancelOnProgress = ConcurrentHashMap.newKeySet();
    private final Set<String> leaseLostOnProgress = ConcurrentHashMap.newKeySet();
    private final Set<String> leaseLostOnCheckpoint = ConcurrentHashMap.newKeySet();
    private final Map<String, List<Checkpoint>> checkpoints = new ConcurrentHashMap<>();
    private final Map<String, Set<Long>> appliedOutcomes = new ConcurrentHashMap<>();
    private final Map<String, List<String>> acceptedLines = new ConcurrentHashMap<>();
    private final Map<String, Long> lastLineNumbers = new ConcurrentHashMap<>();
    private final Map<String, Runnable> beforeOutcomeAnswers = new ConcurrentHashMap<>();
    private final Map<String, Refusal> refusals = new ConcurrentHashMap<>();
    private final AtomicInteger sessionCounter = new AtomicInteger();
    private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
        Thread thread = new Thread(r, "fake-manager");
        thread.setDaemon(true);
        return thread;
    });
    private final SSLContext tls;
    private volatile HttpServer server;
    private volatile int port;

    /** One recorded call. */
    public record Call(
            String requestUri,
            String path,
            String authorization,
            String account,
            String protocol,
            JsonNode body,
            java.time.Instant receivedAt) {}

    /**
     * A checkpoint the Manager stored.
     *
     * @param linesBefore how many of the task's log lines it had accepted when the checkpoint arrived
     */
    public record Checkpoint(JsonNode state, long fencingToken, int linesBefore) {}

    private record Refusal(int status, String code, String detail) {}

    /** A Manager on a free port, over plain HTTP. */
    public FakeManager() throws IOException {
        this(0, null);
    }

    /**
     * A Manager on {@code port} (0 picks a free one), over TLS with {@code tls}'s certificate, or over
     * plain HTTP when {@code tls} is null.
     */
    public FakeManager(int port, SSLContext tls) throws IOException {
        this.port = port;
        this.tls = tls;
        up();
    }

    /** The base URL to set as MANAGER_URL. */
    public URI url() {
        return URI.create((tls == null ? "http" : "https") + "://127.0.0.1:" + port);
    }

    /** Starts answering (again), on the same port as before. */
    public synchronized void up() throws IOException {
        InetSocketAddress address = new InetSocketAddress("127.0.0.1", port);
        HttpServer created = tls == null ? HttpServer.create(address, 64) : https(address, tls);
        created.createContext("/", this::handle);
        created.setExecutor(executor);
        created.start();
        port = created.getAddress().getPort();
        server = created;
    }

    /** Stops answering: calls get "connection refused", polls in flight are cut. */
    public synchronized void down() {
        server.stop(0);
    }

    /** Forgets every session, as a Manager that lost its state would. */
    public void forgetSessions() {
        sessions.clear();
    }

    /** Answers every call to {@code path} with a problem until {@link #clearRefusals()}. */
    public void refuse(String path, int status, String code, String detail) {
        refusals.put(path, new Refusal(status, code, detail));
    }

    public void clearRefusals() {
        refusals.clear();
    }

    /** Leases a task to the next poll with a free slot. */
    public void assign(TaskAssignment assignment) {
        queue.add(assignment);
    }

    /**
     * Runs {@code hook} once, before answering the next report that carries an outcome of the task: the
     * answer is late by as long as the hook takes (e.g. while the task is leased again).
     */
    public void beforeAnsweringOutcome(String taskId, Runnable hook) {
        beforeOutcomeAnswers.put(taskId, hook);
    }

    public void cancelOnPoll(String taskId) {
        cancelOnPoll.add(taskId);
    }

    public void cancelOnHeartbeat(String taskId) {
        cancelOnHeartbeat.add(taskId);
    }

    public void lostOnHeartbeat(String taskId) {
        lostOnHeartbeat.add(taskId);
    }

    public void cancelOnProgress(String taskId) {
        cancelOnProgress.add(taskId);
    }

    public void leaseLostOnProgress(String taskId) {
        leaseLostOnProgress.add(taskId);
    }

    /** The next progress call of the task that carries a checkpoint is answered 409 LEASE_LOST, and so on. */
    public void leaseLostOnCheckpoint(String taskId) {
        leaseLostOnCheckpoint.add(taskId);
    }

    /** The checkpoints stored for a task, in order. */
    public List<Checkpoint> checkpoints(String taskId) {
        return new ArrayList<>(checkpoints.getOrDefault(taskId, List.of()));
    }

    public List<Call> calls() {
        return new ArrayList<>(calls);
    }

    public List<Call> calls(String path) {
        return calls.stream().filter(c -> c.path().equals(path)).collect(Collectors.toList());
    }

    /** The outcomes reported for a task, each with the report's delegate and session ids. */
    public List<Call> outcomes(String taskId) {
        return calls(outcomePath(taskId));
    }

    /**
     * The path under which one outcome of a report is recorded: reports carry many outcomes, and tests
     * look at them one task at a time, in the order of all calls.
     */
    public static String outcomePath(String taskId) {
        return DelegateApiPaths.OUTCOMES + "#" + taskId;
    }

    /** The log lines the Manager accepted for a task, in order. */
    public List<String> logLines(String taskId) {
        return new ArrayList<>(acceptedLines.getOrDefault(taskId, List.of()));
    }

    /** How many outcomes for the task were applied (not counting repeats). */
    public int appliedCount(String taskId) {
        return appliedOutcomes.getOrDefault(taskId, Set.of()).size();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    private static HttpsServer https(InetSocketAddress address, SSLContext tls) throws IOException {
        HttpsServer https = HttpsServer.create(address, 64);
        https.setHttpsConfigurator(new HttpsConfigurator(tls));
        return https;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            JsonNode body = JSON.readTree(exchange.getRequestBody());
            calls.add(new Call(
                    exchange.getRequestURI().toString(),
                    path,
                    exchange.getRequestHeaders().getFirst("Authorization"),
                    exchange.getRequestHeaders().getFirst(DelegateApiPaths.ACCOUNT_HEADER),
                    exchange.getRequestHeaders().getFirst("X-OpenDelegate-Protocol"),
                    body,
                    java.time.Instant.now()));
            Refusal refusal = refusals.get(path);
            if (refusal != null) {
                problem(exchange, refusal.status(), refusal.code(), refusal.detail());
                return;
            }
            route(exchange, path, body);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void route(HttpExchange exchange, String path, JsonNode body) throws IOException, InterruptedException {
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        if (path.equals(DelegateApiPaths.REGISTER)
                && delegateTokenUsedUp
                && (authorization == null || !authorization.startsWith("Bearer ods_"))) {
            problem(exchange, 401, ProblemCodes.TOKEN_ALREADY_USED, "the single-use token was used");
            return;
        }
        if (path.equals(DelegateApiPaths.REGISTER)) {
            String session = "s-" + sessionCounter.incrementAndGet();
            sessions.add(session);
            respond(
                    exchange,
                    new RegisterResponse(
                            "d-1",
                            session,
                            "g-1",
                            body.path("name").asText(),
                            heartbeatIntervalMillis,
                            pollWaitMillis,
                            leaseMillis,
                            List.of(),
                            profile,
                            sessionToken(session)));
            return;
        }
        String sessionId = body.path("sessionId").asText();
        if (!path.equals(DelegateApiPaths.DEREGISTER) && !sessions.contains(sessionId)) {
            problem(exchange, 404, ProblemCodes.UNKNOWN_SESSION, "no such session");
            return;
        }
        if (sessions.contains(sessionId)
                && !("Bearer " + sessionToken(sessionId))
                        .equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
            problem(exchange, 401, ProblemCodes.SESSION_INVALID, "the call does not carry the session credential");
            return;
        }
        if (path.equals(DelegateApiPaths.HEARTBEAT)) {
            respond(
                    exchange,
                    new HeartbeatResponse(
                            heartbeatIntervalMillis, drain(cancelOnHeartbeat), drain(lostOnHeartbeat), profile));
        } else if (path.equals(DelegateApiPaths.PROFILE_RUN)) {
            respond(exchange, new ProfileRunResponse(true));
        } else if (path.equals(DelegateApiPaths.POLL)) {
            poll(exchange, body.path("freeSlots").asInt());
        } else if (path.endsWith("/progress")) {
            progress(exchange, taskId(path), body);
        } else if (path.equals(DelegateApiPaths.OUTCOMES)) {
            outcomes(exchange, body);
        } else if (path.equals(DelegateApiPaths.DEREGISTER)) {
            exchange.sendResponseHeaders(204, -1);
        } else {
            problem(exchange, 404, "NOT_FOUND", "no such path");
        }
    }

    private void poll(HttpExchange exchange, int freeSlots) throws IOException, InterruptedException {
        long deadline = System.currentTimeMillis() + pollWaitMillis;
        List<TaskAssignment> assignments = new ArrayList<>();
        while (System.currentTimeMillis() < deadline && assignments.isEmpty() && cancelOnPoll.isEmpty()) {
            if (freeSlots > 0) {
                TaskAssignment next = queue.poll(20, TimeUnit.MILLISECONDS);
                if (next != null) {
                    assignments.add(next);
                    queue.drainTo(assignments, freeSlots - 1);
                }
            } else {
                Thread.sleep(20); // a fake's own wait, not a test waiting on the delegate
            }
        }
        respond(exchange, new PollResponse(assignments, drain(cancelOnPoll)));
    }

    private void progress(HttpExchange exchange, String taskId, JsonNode body) throws IOException {
        JsonNode checkpoint = body.path("checkpoint");
        boolean saves = checkpoint.isObject();
        if (leaseLostOnProgress.contains(taskId) || (saves && leaseLostOnCheckpoint.contains(taskId))) {
            problem(exchange, 409, ProblemCodes.LEASE_LOST, "the lease on " + taskId + " is gone");
        } else {
            List<String> lines = acceptedLines.computeIfAbsent(taskId, k -> new CopyOnWriteArrayList<>());
            // As the Manager does: a line is stored once, so a call sent again (its answer lost) adds nothing.
            synchronized (lines) {
                // Numbers start again at 1 with each attempt, i.e. each lease's fencing token.
                String attempt = taskId + "#" + body.path("fencingToken").asLong();
                long last = lastLineNumbers.getOrDefault(attempt, 0L);
                for (JsonNode line : body.path("lines")) {
                    JsonNode seq = line.path("seq");
                    if (seq.isIntegralNumber() && seq.asLong() <= last) {
                        continue;
                    }
                    last = Math.max(last, seq.asLong());
                    lines.add(line.path("text").asText());
                }
                lastLineNumbers.put(attempt, last);
            }
            if (saves) {
                checkpoints
                        .computeIfAbsent(taskId, k -> new CopyOnWriteArrayList<>())
                        .add(new Checkpoint(
                                checkpoint, body.path("fencingToken").asLong(), lines.size()));
            }
            respond(exchange, new TaskProgressResponse(cancelOnProgress.contains(taskId)));
        }
    }

    private void outcomes(HttpExchange exchange, JsonNode report) throws IOException {
        List<OutcomeResponse> results = new ArrayList<>();
        for (JsonNode outcome : report.path("outcomes")) {
            String taskId = outcome.path("taskId").asText();
            ObjectNode recorded = outcome.deepCopy();
            recorded.set("delegateId", report.path("delegateId"));
            recorded.set("sessionId", report.path("sessionId"));
            calls.add(new Call(
                    DelegateApiPaths.OUTCOMES,
                    outcomePath(taskId),
                    null,
                    null,
                    null,
                    recorded,
                    java.time.Instant.now()));
            boolean first = appliedOutcomes
                    .computeIfAbsent(taskId, k -> ConcurrentHashMap.newKeySet())
                    .add(outcome.path("fencingToken").asLong());
            results.add(new OutcomeResponse(
                    taskId, first ? OutcomeResponse.APPLIED : OutcomeResponse.ALREADY_APPLIED, null));
        }
        for (OutcomeResponse result : results) {
            Runnable hook = beforeOutcomeAnswers.remove(result.taskId());
            if (hook != null) {
                hook.run();
            }
        }
        respond(exchange, new OutcomeReportResponse(results));
    }

    /** The session credential this fake hands out with session {@code sessionId}. */
    public static String sessionToken(String sessionId) {
        return "ods_fake-" + sessionId;
    }

    private static List<String> drain(Set<String> ids) {
        List<String> drained = new ArrayList<>(ids);
        ids.removeAll(drained);
        return drained;
    }

    private static String taskId(String path) {
        String rest = path.substring((DelegateApiPaths.ROOT + "/tasks/").length());
        return rest.substring(0, rest.indexOf('/'));
    }

    private static void respond(HttpExchange exchange, Object body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    private static void problem(HttpExchange exchange, int status, String code, String detail) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(new Problem("about:blank", "problem", status, detail, code, null));
        exchange.getResponseHeaders().set("Content-Type", Problem.MEDIA_TYPE);
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }
}
