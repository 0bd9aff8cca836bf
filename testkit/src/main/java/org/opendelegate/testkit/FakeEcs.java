package org.opendelegate.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An AWS endpoint on loopback in front of {@code moto_server} that plays what moto does not: an ECS
 * service's rollout. Every request goes on to moto, which checks it as AWS's API defines it and keeps the
 * state (task definitions, the service's task definition and count); this layer then rewrites ECS answers
 * for the scenario the test scripts:
 * <ul>
 *   <li>after each UpdateService or CreateService, the next {@link Rollout} (or {@link Rollout#completesAfter
 *       completes after 1 poll}): the new primary deployment is {@code IN_PROGRESS} for N DescribeServices
 *       calls, with an {@code ACTIVE} deployment of the old task definition beside it, then {@code COMPLETED},
 *       {@code FAILED} (with stopped tasks that ListTasks and DescribeTasks answer) or never done;</li>
 *   <li>the rollout's service events appear one more per poll, newest first as ECS lists them;</li>
 *   <li>{@link #throttle} the next K calls of an action; {@link #deny} an action;</li>
 *   <li>a record of every call ({@link #calls()}): action, time, User-Agent, access key id, body, status, and
 *       whether it reached moto.</li>
 * </ul>
 * A service no UpdateService or CreateService went through this fake for (created directly in moto) shows one
 * {@code COMPLETED} deployment with running = desired: it runs steady.
 * Point the SDK at {@link #endpoint()} ({@code aws.endpointUrl} or {@code AWS_ENDPOINT_URL}); STS, IAM and the
 * rest pass through untouched.
 */
public final class FakeEcs implements AutoCloseable {
    /** The ECS JSON protocol's target prefix. */
    public static final String ECS_TARGET = "AmazonEC2ContainerServiceV20141113.";
    /** The ECS actions that change something. */
    public static final Set<String> ECS_MUTATING = Set.of(
            "RegisterTaskDefinition",
            "DeregisterTaskDefinition",
            "CreateService",
            "UpdateService",
            "DeleteService",
            "RunTask",
            "StopTask",
            "TagResource");

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern ACCESS_KEY = Pattern.compile("Credential=([^/,\\s]+)/");
    private static final Set<String> HOP_HEADERS =
            Set.of("host", "content-length", "connection", "expect", "upgrade", "transfer-encoding");

    private final String moto;
    private final HttpServer server;
    private final HttpClient client;
    private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
        Thread thread = new Thread(r, "fake-ecs");
        thread.setDaemon(true);
        return thread;
    });
    private final List<Call> calls = new CopyOnWriteArrayList<>();
    private final ConcurrentLinkedQueue<Rollout> scripted = new ConcurrentLinkedQueue<>();
    private final Map<String, AtomicInteger> throttled = new ConcurrentHashMap<>();
    private final Set<String> denied = ConcurrentHashMap.newKeySet();
    private final Map<String, java.util.concurrent.CountDownLatch> held = new ConcurrentHashMap<>();
    private final Map<String, ServiceRollout> rollouts = new ConcurrentHashMap<>();
    private final Map<String, List<ObjectNode>> stoppedTasks = new ConcurrentHashMap<>();
    private final AtomicInteger ids = new AtomicInteger(1000);

    /** One request as it arrived. */
    public record Call(
            String action,
            Instant at,
            String userAgent,
            String accessKeyId,
            String body,
            int status,
            boolean reachedMoto) {
        /** Whether this is an ECS call that changes something and moto accepted it. */
        public boolean mutated() {
            return reachedMoto && status / 100 == 2 && ECS_MUTATING.contains(action);
        }
    }

    /** A task of the new revision that stopped, as DescribeTasks reports it. */
    public record StoppedTask(String stoppedReason, String container, Integer exitCode, String containerReason) {}

    /** What ECS does after one UpdateService or CreateService. */
    public record Rollout(
            Kind kind,
            int pollsInProgress,
            List<String> events,
            List<StoppedTask> stoppedTasks,
            String reason,
            boolean withRolloutState) {
        public enum Kind {
            COMPLETES,
            FAILS,
            NEVER_COMPLETES
        }

        /** {@code IN_PROGRESS} for {@code polls} DescribeServices calls, then {@code COMPLETED}, running = desired. */
        public static Rollout completesAfter(int polls) {
            return new Rollout(Kind.COMPLETES, polls, List.of(), List.of(), null, true);
        }

        /** {@code IN_PROGRESS} for {@code polls} calls, then {@code FAILED} with {@code reason}. */
        public static Rollout failsAfter(int polls, String reason) {
            return new Rollout(Kind.FAILS, polls, List.of(), List.of(), reason, true);
        }

        /** {@code IN_PROGRESS} for ever (a steady-state timeout). */
        public static Rollout neverCompletes() {
            return new Rollout(Kind.NEVER_COMPLETES, Integer.MAX_VALUE, List.of(), List.of(), null, true);
        }

        /** Service events that appear one per poll, in this order. */
        public Rollout withEvents(String... messages) {
            return new Rollout(kind, pollsInProgress, List.of(messages), stoppedTasks, reason, withRolloutState);
        }

        /** A task of the new revision that stopped; listed once the rollout has failed. */
        public Rollout withStoppedTask(String stoppedReason, String container, Integer exitCode, String why) {
            List<StoppedTask> more = new ArrayList<>(stoppedTasks);
            more.add(new StoppedTask(stoppedReason, container, exitCode, why));
            return new Rollout(kind, pollsInProgress, events, List.copyOf(more), reason, withRolloutState);
        }

        /** Deployments without {@code rolloutState}, as services without the circuit breaker once had. */
        public Rollout withoutRolloutState() {
            return new Rollout(kind, pollsInProgress, events, stoppedTasks, reason, false);
        }
    }

    private static final class ServiceRollout {
        final Rollout script;
        final String cluster;
        final String newTaskDefinition;
        final String oldTaskDefinition;
        final int oldCount;
        final String deploymentId;
        final String oldDeploymentId;
        final double startedAt;
        int polls;

        ServiceRollout(
                Rollout script,
                String cluster,
                String newTaskDefinition,
                String oldTaskDefinition,
                int oldCount,
                String deploymentId,
                String oldDeploymentId) {
            this.script = script;
            this.cluster = cluster;
            this.newTaskDefinition = newTaskDefinition;
            this.oldTaskDefinition = oldTaskDefinition;
            this.oldCount = oldCount;
            this.deploymentId = deploymentId;
            this.oldDeploymentId = oldDeploymentId;
            this.startedAt = Instant.now().toEpochMilli() / 1000.0;
        }
    }

    private FakeEcs(String motoEndpoint) {
        this.moto = motoEndpoint;
        this.client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    /** A fake in front of the moto at {@code motoEndpoint} (e.g. {@link MotoProcess#endpoint()}). */
    public static FakeEcs inFrontOf(String motoEndpoint) {
        return new FakeEcs(motoEndpoint);
    }

    /** {@code http://127.0.0.1:<port>}: the endpoint to give the AWS SDK or CLI. */
    public String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Queues what the next UpdateService/CreateService calls do, in order. */
    public FakeEcs script(Rollout... next) {
        scripted.addAll(List.of(next));
        return this;
    }

    /** The next {@code times} calls of {@code action} (e.g. {@code DescribeServices}) answer ThrottlingException. */
    public FakeEcs throttle(String action, int times) {
        throttled.computeIfAbsent(action, a -> new AtomicInteger()).addAndGet(times);
        return this;
    }

    /** Every call of {@code action} answers AccessDeniedException until {@link #allow}. */
    public FakeEcs deny(String action) {
        denied.add(action);
        return this;
    }

    public FakeEcs allow(String action) {
        denied.remove(action);
        return this;
    }

    /**
     * Calls of {@code action} still go to moto and are recorded, but their answers wait until {@link #release}
     * (at most a minute): a test can stop the caller between a change and its answer.
     */
    public FakeEcs hold(String action) {
        held.putIfAbsent(action, new java.util.concurrent.CountDownLatch(1));
        return this;
    }

    /** Sends the answers {@link #hold} kept back, and stops holding {@code action}. */
    public FakeEcs release(String action) {
        java.util.concurrent.CountDownLatch latch = held.remove(action);
        if (latch != null) {
            latch.countDown();
        }
        return this;
    }

    /** Every call so far, in order of arrival. */
    public List<Call> calls() {
        return List.copyOf(calls);
    }

    /** The calls of one action (e.g. {@code UpdateService}) that moto accepted. */
    public List<Call> accepted(String action) {
        return calls.stream()
                .filter(c -> c.action().equals(action) && c.reachedMoto() && c.status() / 100 == 2)
                .toList();
    }

    /** The ECS calls that changed something in moto. */
    public List<Call> mutatingCalls() {
        return calls.stream().filter(Call::mutated).toList();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try {
            byte[] body = exchange.getRequestBody().readAllBytes();
            String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
            String text = new String(body, StandardCharsets.UTF_8);
            String action = action(target, text);
            boolean ecs = target != null && target.startsWith(ECS_TARGET);
            String userAgent = exchange.getRequestHeaders().getFirst("User-Agent");
            String authorization = exchange.getRequestHeaders().getFirst("Authorization");
            Matcher key = ACCESS_KEY.matcher(authorization == null ? "" : authorization);
            String accessKeyId = key.find() ? key.group(1) : null;
            Answer answer = answer(exchange, action, ecs, text, body);
            calls.add(new Call(action, Instant.now(), userAgent, accessKeyId, text, answer.status, answer.reachedMoto));
            java.util.concurrent.CountDownLatch hold = held.get(action);
            if (hold != null) {
                hold.await(1, java.util.concurrent.TimeUnit.MINUTES);
            }
            byte[] out = answer.body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", answer.contentType);
            exchange.getResponseHeaders().set("x-amzn-RequestId", "fake-ecs-" + ids.incrementAndGet());
            exchange.sendResponseHeaders(answer.status, out.length == 0 ? -1 : out.length);
            if (out.length > 0) {
                exchange.getResponseBody().write(out);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            exchange.sendResponseHeaders(503, -1);
        } catch (RuntimeException e) {
            byte[] out = ("{\"__type\":\"ServerException\",\"message\":\"fake ECS: " + e + "\"}")
                    .replace('\n', ' ')
                    .getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(500, out.length);
            exchange.getResponseBody().write(out);
        } finally {
            exchange.close();
        }
    }

    private record Answer(int status, String contentType, String body, boolean reachedMoto) {}

    private Answer answer(HttpExchange exchange, String action, boolean ecs, String text, byte[] body)
            throws IOException, InterruptedException {
        AtomicInteger throttle = throttled.get(action);
        if (throttle != null && throttle.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            return ecs
                    ? error(400, "ThrottlingException", "Rate exceeded")
                    : new Answer(
                            400,
                            "text/xml",
                            "<ErrorResponse><Error><Type>Sender</Type><Code>Throttling</Code><Message>Rate exceeded"
                                    + "</Message></Error><RequestId>t</RequestId></ErrorResponse>",
                            false);
        }
        if (denied.contains(action)) {
            return error(
                    400,
                    "AccessDeniedException",
                    "User: arn:aws:sts::123456789012:assumed-role/fake/delegate is not authorized to perform: "
                            + (ecs ? "ecs:" : "") + action + " on resource: " + resourceOf(text)
                            + " because no identity-based policy allows the " + (ecs ? "ecs:" : "") + action
                            + " action");
        }
        if (ecs) {
            Answer stopped = stoppedTaskAnswer(action, text);
            if (stopped != null) {
                return stopped;
            }
        }
        ServiceBefore before = ecs && action.equals("UpdateService") ? describeBefore(exchange, text) : null;
        HttpResponse<String> reply = forward(exchange, body);
        String type = reply.headers().firstValue("Content-Type").orElse("application/x-amz-json-1.1");
        if (!ecs || reply.statusCode() / 100 != 2) {
            return new Answer(reply.statusCode(), type, reply.body(), true);
        }
        String rewritten = switch (action) {
            case "UpdateService", "CreateService" -> started(text, reply.body(), before);
            case "DescribeServices" -> describeServices(reply.body());
            default -> reply.body();
        };
        return new Answer(reply.statusCode(), type, rewritten, true);
    }

    private record ServiceBefore(String taskDefinition, int desiredCount) {}

    /** Asks moto for the service's task definition and count before an update changes them. */
    private ServiceBefore describeBefore(HttpExchange exchange, String text) throws IOException, InterruptedException {
        JsonNode request = JSON.readTree(text);
        ObjectNode describe = JSON.createObjectNode();
        if (request.hasNonNull("cluster")) {
            describe.put("cluster", request.get("cluster").asText());
        }
        describe.putArray("services").add(request.path("service").asText());
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(moto + "/"))
                .POST(HttpRequest.BodyPublishers.ofString(describe.toString()));
        copyHeaders(exchange, builder);
        builder.setHeader("X-Amz-Target", ECS_TARGET + "DescribeServices");
        HttpResponse<String> reply = client.send(builder.build(), HttpResponse.BodyHandlers.ofString());
        JsonNode service = JSON.readTree(reply.body()).path("services").path(0);
        return service.isMissingNode()
                ? null
                : new ServiceBefore(
                        service.path("taskDefinition").asText(null),
                        service.path("desiredCount").asInt());
    }

    private HttpResponse<String> forward(HttpExchange exchange, byte[] body) throws IOException, InterruptedException {
        HttpRequest.Builder builder = HttpRequest.newBuilder(
                        URI.create(moto + exchange.getRequestURI().toString()))
                .method(exchange.getRequestMethod(), HttpRequest.BodyPublishers.ofByteArray(body));
        copyHeaders(exchange, builder);
        return client.send(builder.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void copyHeaders(HttpExchange exchange, HttpRequest.Builder builder) {
        exchange.getRequestHeaders().forEach((name, values) -> {
            if (!HOP_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
                values.forEach(v -> builder.header(name, v));
            }
        });
    }

    /** Starts the next scripted rollout for the service moto just updated or created. */
    private String started(String request, String reply, ServiceBefore before) throws IOException {
        ObjectNode answer = (ObjectNode) JSON.readTree(reply);
        JsonNode service = answer.path("service");
        String arn = service.path("serviceArn").asText();
        Rollout script = scripted.poll();
        ServiceRollout previous = rollouts.get(arn);
        ServiceRollout rollout = new ServiceRollout(
                script == null ? Rollout.completesAfter(1) : script,
                JSON.readTree(request).path("cluster").asText("default"),
                service.path("taskDefinition").asText(),
                before == null ? null : before.taskDefinition(),
                before == null ? 0 : before.desiredCount(),
                "ecs-svc/" + (7_000_000_000L + ids.incrementAndGet()),
                previous == null ? "ecs-svc/" + (6_000_000_000L + ids.incrementAndGet()) : previous.deploymentId);
        rollouts.put(arn, rollout);
        rewrite((ObjectNode) service, rollout, false);
        return answer.toString();
    }

    private String describeServices(String reply) throws IOException {
        ObjectNode answer = (ObjectNode) JSON.readTree(reply);
        for (JsonNode service : answer.path("services")) {
            String arn = service.path("serviceArn").asText();
            if (!"ACTIVE".equals(service.path("status").asText())) {
                continue;
            }
            // A service no update of this fake touched runs steady on its task definition.
            ServiceRollout rollout = rollouts.computeIfAbsent(
                    arn,
                    a -> new ServiceRollout(
                            Rollout.completesAfter(0),
                            service.path("clusterArn").asText("default"),
                            service.path("taskDefinition").asText(),
                            null,
                            0,
                            "ecs-svc/" + (6_000_000_000L + ids.incrementAndGet()),
                            null));
            rewrite((ObjectNode) service, rollout, true);
        }
        return answer.toString();
    }

    /** The service as ECS would show it at this point of the rollout; a poll moves the rollout on. */
    private synchronized void rewrite(ObjectNode service, ServiceRollout rollout, boolean poll) {
        if (poll) {
            rollout.polls++;
        }
        Rollout script = rollout.script;
        int desired = service.path("desiredCount").asInt();
        boolean over = rollout.polls > script.pollsInProgress();
        String state = !over
                ? "IN_PROGRESS"
                : switch (script.kind()) {
                    case COMPLETES -> "COMPLETED";
                    case FAILS -> "FAILED";
                    case NEVER_COMPLETES -> "IN_PROGRESS";
                };
        int newRunning =
                state.equals("COMPLETED") ? desired : state.equals("FAILED") ? 0 : Math.min(desired, rollout.polls / 2);
        ArrayNode deployments = service.putArray("deployments");
        ObjectNode primary = deployments
                .addObject()
                .put("id", rollout.deploymentId)
                .put("status", "PRIMARY")
                .put("taskDefinition", rollout.newTaskDefinition)
                .put("desiredCount", desired)
                .put("pendingCount", state.equals("IN_PROGRESS") ? desired - newRunning : 0)
                .put("runningCount", newRunning)
                .put(
                        "failedTasks",
                        state.equals("FAILED") ? script.stoppedTasks().size() : 0)
                .put("createdAt", rollout.startedAt)
                .put("updatedAt", Instant.now().toEpochMilli() / 1000.0);
        if (script.withRolloutState()) {
            primary.put("rolloutState", state);
            primary.put(
                    "rolloutStateReason",
                    switch (state) {
                        case "COMPLETED" -> "ECS deployment " + rollout.deploymentId + " completed.";
                        case "FAILED" -> script.reason() == null ? "ECS deployment failed." : script.reason();
                        default -> "ECS deployment " + rollout.deploymentId + " in progress.";
                    });
        }
        boolean oldStays = !state.equals("COMPLETED") && rollout.oldTaskDefinition != null;
        if (oldStays) {
            ObjectNode old = deployments
                    .addObject()
                    .put("id", rollout.oldDeploymentId)
                    .put("status", "ACTIVE")
                    .put("taskDefinition", rollout.oldTaskDefinition)
                    .put("desiredCount", rollout.oldCount)
                    .put("pendingCount", 0)
                    .put("runningCount", rollout.oldCount)
                    .put("failedTasks", 0)
                    .put("createdAt", rollout.startedAt - 3600)
                    .put("updatedAt", rollout.startedAt);
            if (script.withRolloutState()) {
                old.put("rolloutState", "COMPLETED");
            }
        }
        service.put("runningCount", newRunning + (oldStays ? rollout.oldCount : 0));
        service.put("pendingCount", primary.path("pendingCount").asInt());
        service.put("taskDefinition", rollout.newTaskDefinition);
        ArrayNode events = service.putArray("events");
        List<ObjectNode> shown = new ArrayList<>();
        String name = service.path("serviceName").asText();
        int revealed = Math.min(rollout.polls, script.events().size());
        for (int i = 0; i < revealed; i++) {
            shown.add(event(rollout, i, script.events().get(i)));
        }
        if (over && script.kind() == Rollout.Kind.COMPLETES) {
            shown.add(event(rollout, 900, "(service " + name + ") has reached a steady state."));
        }
        if (over && script.kind() == Rollout.Kind.FAILS) {
            List<ObjectNode> tasks = stoppedTasks.computeIfAbsent(name, n -> new CopyOnWriteArrayList<>());
            if (tasks.stream().noneMatch(t -> t.path("startedBy").asText().equals(rollout.deploymentId))) {
                for (int i = 0; i < script.stoppedTasks().size(); i++) {
                    tasks.add(stoppedTask(rollout, i, script.stoppedTasks().get(i), name));
                }
            }
        }
        for (int i = shown.size() - 1; i >= 0; i--) {
            events.add(shown.get(i));
        }
    }

    private static ObjectNode event(ServiceRollout rollout, int index, String message) {
        return JSON.createObjectNode()
                .put("id", rollout.deploymentId.substring("ecs-svc/".length()) + "-" + index)
                .put("createdAt", rollout.startedAt + index + 1)
                .put("message", message);
    }

    private ObjectNode stoppedTask(ServiceRollout rollout, int index, StoppedTask stopped, String service) {
        String clusterName = rollout.cluster.substring(rollout.cluster.lastIndexOf('/') + 1);
        String arn = "arn:aws:ecs:us-east-1:123456789012:task/" + clusterName + "/"
                + rollout.deploymentId.substring("ecs-svc/".length()) + "0" + index;
        ObjectNode task = JSON.createObjectNode()
                .put("taskArn", arn)
                .put("taskDefinitionArn", rollout.newTaskDefinition)
                .put("group", "service:" + service)
                .put("startedBy", rollout.deploymentId)
                .put("lastStatus", "STOPPED")
                .put("desiredStatus", "STOPPED")
                .put("stopCode", "EssentialContainerExited")
                .put("stoppedReason", stopped.stoppedReason());
        ObjectNode container = task.putArray("containers")
                .addObject()
                .put("name", stopped.container())
                .put("lastStatus", "STOPPED");
        if (stopped.exitCode() != null) {
            container.put("exitCode", stopped.exitCode());
        }
        if (stopped.containerReason() != null) {
            container.put("reason", stopped.containerReason());
        }
        return task;
    }

    /** ListTasks for stopped tasks of a service, and DescribeTasks of those tasks, come from the scenario. */
    private Answer stoppedTaskAnswer(String action, String text) throws IOException {
        JsonNode request = JSON.readTree(text.isEmpty() ? "{}" : text);
        if (action.equals("ListTasks")
                && "STOPPED".equals(request.path("desiredStatus").asText())) {
            ArrayNode arns = JSON.createArrayNode();
            stoppedTasks
                    .getOrDefault(request.path("serviceName").asText(), List.of())
                    .forEach(t -> arns.add(t.get("taskArn")));
            return new Answer(
                    200,
                    "application/x-amz-json-1.1",
                    JSON.createObjectNode().set("taskArns", arns).toString(),
                    false);
        }
        if (action.equals("DescribeTasks")) {
            ObjectNode answer = JSON.createObjectNode();
            ArrayNode tasks = answer.putArray("tasks");
            answer.putArray("failures");
            for (JsonNode arn : request.path("tasks")) {
                stoppedTasks.values().stream()
                        .flatMap(List::stream)
                        .filter(t -> t.path("taskArn").asText().equals(arn.asText()))
                        .findFirst()
                        .ifPresent(tasks::add);
            }
            if (tasks.size() > 0 && tasks.size() == request.path("tasks").size()) {
                return new Answer(200, "application/x-amz-json-1.1", answer.toString(), false);
            }
        }
        return null;
    }

    private static Answer error(int status, String type, String message) {
        ObjectNode body = JSON.createObjectNode().put("__type", type).put("message", message);
        return new Answer(status, "application/x-amz-json-1.1", body.toString(), false);
    }

    private static String action(String target, String body) {
        if (target != null) {
            return target.substring(target.indexOf('.') + 1);
        }
        Matcher m = Pattern.compile("(?:^|&)Action=([A-Za-z]+)").matcher(body);
        return m.find() ? m.group(1) : "?";
    }

    private static String resourceOf(String body) {
        try {
            JsonNode request = JSON.readTree(body);
            String service =
                    request.path("service").asText(request.path("serviceName").asText(""));
            String cluster = request.path("cluster").asText("default");
            if (!service.isEmpty()) {
                return service.startsWith("arn:")
                        ? service
                        : "arn:aws:ecs:us-east-1:123456789012:service/"
                                + cluster.substring(cluster.lastIndexOf('/') + 1) + "/" + service;
            }
            return "*";
        } catch (IOException e) {
            return "*";
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
