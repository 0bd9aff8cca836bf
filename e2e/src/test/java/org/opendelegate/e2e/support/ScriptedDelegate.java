package org.opendelegate.e2e.support;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.opendelegate.protocol.DelegateApiPaths;
import org.opendelegate.protocol.ProtocolJson;
import org.opendelegate.protocol.ProtocolVersion;

/**
 * A delegate played by the test at the protocol level: it registers with whatever it is given (names a
 * real delegate would never send, ECS identities without ECS) and heartbeats until it is stopped.
 */
public final class ScriptedDelegate implements AutoCloseable {
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(3)).build();

    private final String managerUrl;
    private final Map<String, Object> registration = new LinkedHashMap<>();
    private final ScheduledExecutorService heartbeats = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "scripted-delegate-heartbeat");
        t.setDaemon(true);
        return t;
    });
    private String delegateId;
    private String sessionId;

    public ScriptedDelegate(String managerUrl, String name, String group) {
        this.managerUrl = managerUrl;
        registration.put("instanceId", UUID.randomUUID().toString());
        registration.put("name", name);
        registration.put("groupName", group);
        registration.put("profileName", "Primary");
        registration.put("selectors", List.of());
        registration.put("type", "SHELL");
        registration.put("identityKind", "STABLE");
        registration.put("hostname", name);
        registration.put("ip", "10.0.1.20");
        registration.put("version", "0.1.0");
        registration.put("capacity", 4);
        registration.put("taskTypes", List.of("echo"));
        registration.put("runningTaskIds", List.of());
    }

    public ScriptedDelegate with(String field, Object value) {
        registration.put(field, value);
        return this;
    }

    /** An ECS task: {@code launchType} EC2 or FARGATE; Fargate names are container ids, so ephemeral. */
    public ScriptedDelegate ecs(String launchType) {
        return with("type", "ECS").with("launchType", launchType)
                .with("identityKind", "FARGATE".equals(launchType) ? "EPHEMERAL" : "STABLE");
    }

    /** Registers and heartbeats every 500 ms until {@link #stopHeartbeats()} or {@link #deregister()}. */
    public ScriptedDelegate start() {
        JsonNode answer = post(DelegateApiPaths.REGISTER, registration);
        delegateId = answer.get("delegateId").asText();
        sessionId = answer.get("sessionId").asText();
        heartbeats.scheduleWithFixedDelay(() -> post(DelegateApiPaths.HEARTBEAT, Map.of("delegateId", delegateId,
                "sessionId", sessionId, "runningTaskIds", List.of())), 500, 500, TimeUnit.MILLISECONDS);
        return this;
    }

    /** Goes silent, as a killed process does. */
    public void stopHeartbeats() {
        heartbeats.shutdownNow();
    }

    /** Says goodbye, as a stopped process does. */
    public void deregister() {
        stopHeartbeats();
        post(DelegateApiPaths.DEREGISTER, Map.of("delegateId", delegateId, "sessionId", sessionId,
                "reason", "task stopped"));
    }

    public String id() {
        return delegateId;
    }

    @Override
    public void close() {
        stopHeartbeats();
    }

    private JsonNode post(String path, Object body) {
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create(managerUrl + path)).timeout(Duration.ofSeconds(10))
                    .header("Authorization", "Bearer " + ManagerProcess.DELEGATE_TOKEN)
                    .header(DelegateApiPaths.ACCOUNT_HEADER, ManagerProcess.ACCOUNT_ID)
                    .header(ProtocolVersion.HEADER, "1")
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(ProtocolJson.mapper().writeValueAsString(body)))
                    .build();
            HttpResponse<String> r = CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() >= 300) {
                throw new IllegalStateException(path + " answered " + r.statusCode() + ": " + r.body());
            }
            return r.body().isEmpty() ? null : ProtocolJson.mapper().readTree(r.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
