package org.opendelegate.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.opendelegate.protocol.DelegateApiPaths;
import org.opendelegate.testkit.FakeDelegate;

/**
 * A delegate that speaks the real protocol but runs nothing: it registers, heartbeats on its own
 * schedule, keeps a long poll open, and answers every task at once with its payload. Cheap enough to
 * run thousands in one JVM.
 *
 * <p>Like the real delegate, it gives a task's slot back when the task ends, not when the Manager acknowledges
 * the outcome: the report goes out on its own. So every poll offers all its slots. (It used to hold the slot
 * until the report was answered; a poll sent while reports were in flight then asked for no work, and, unlike
 * the real delegate, nothing cut it when they were answered: the delegate took no task for a whole poll wait.)
 */
// A load generator fires calls and forgets them; each callback deals with its own result.
@SuppressWarnings("FutureReturnValueIgnored")
final class SimulatedDelegate {
    private final ManagerClient client;
    private final String name;
    private final String group;
    private final int capacity;
    private final BiConsumer<String, Long> onAssigned;
    private volatile boolean stopped;
    private volatile Consumer<String> onReported = taskId -> {};
    private String delegateId;
    private String sessionId;
    private String sessionToken;

    SimulatedDelegate(
            ManagerClient client, String name, String group, int capacity, BiConsumer<String, Long> onAssigned) {
        this.client = client;
        this.name = name;
        this.group = group;
        this.capacity = capacity;
        this.onAssigned = onAssigned;
    }

    CompletableFuture<Void> register() {
        Map<String, Object> registration = FakeDelegate.registration(name, group);
        registration.put("hostname", name);
        registration.put("version", "bench");
        registration.put("capacity", capacity);
        registration.put("taskTypes", List.of("echo"));
        return registerOnce(registration);
    }

    /** How many registrations were refused busy (503) or over a rate (429) and sent again, as real delegates do. */
    static final AtomicInteger REGISTRATIONS_RETRIED = new AtomicInteger();
    /** How many registrations lost their connection (reset, closed) and were sent again, as real delegates do. */
    static final AtomicInteger REGISTRATIONS_RECONNECTED = new AtomicInteger();

    private CompletableFuture<Void> registerOnce(Map<String, Object> registration) {
        return client.delegate(DelegateApiPaths.REGISTER, registration)
                .handle((r, e) -> {
                    if (e == null) {
                        delegateId = r.get("delegateId").asText();
                        sessionId = r.get("sessionId").asText();
                        sessionToken = r.get("sessionToken").asText();
                        return CompletableFuture.<Void>completedFuture(null);
                    }
                    Throwable cause = e instanceof java.util.concurrent.CompletionException ? e.getCause() : e;
                    String message = String.valueOf(cause.getMessage());
                    if (cause instanceof java.io.IOException) {
                        REGISTRATIONS_RECONNECTED.incrementAndGet();
                    } else if (message.startsWith("503 ") || message.startsWith("429 ")) {
                        REGISTRATIONS_RETRIED.incrementAndGet();
                    } else {
                        return CompletableFuture.<Void>failedFuture(cause);
                    }
                    // The answer's Retry-After is 1 s; a real delegate waits about as long after a lost connection.
                    return CompletableFuture.runAsync(() -> {}, CompletableFuture.delayedExecutor(1, TimeUnit.SECONDS))
                            .thenCompose(unused -> registerOnce(registration));
                })
                .thenCompose(f -> f);
    }

    /** Its heartbeat and poll as raw requests, once registered, for a {@link RawDelegateFleet} to send. */
    RawDelegateFleet.Member member(String managerUrl, String accountId) {
        return RawDelegateFleet.member(managerUrl, accountId, delegateId, sessionId, sessionToken);
    }

    /** Called with a task's id once the Manager answered its outcome report (or the report failed). */
    SimulatedDelegate onReported(Consumer<String> callback) {
        this.onReported = callback;
        return this;
    }

    /** Starts heartbeats (with jitter, as real delegates do) and, if asked, the poll loop. */
    void start(ScheduledExecutorService timer, long heartbeatMillis, boolean poll) {
        long first = ThreadLocalRandom.current().nextLong(heartbeatMillis);
        timer.schedule(() -> heartbeat(timer, heartbeatMillis), first, TimeUnit.MILLISECONDS);
        if (poll) {
            poll();
        }
    }

    void stop() {
        stopped = true;
    }

    private void heartbeat(ScheduledExecutorService timer, long heartbeatMillis) {
        if (stopped) {
            return;
        }
        client.delegate(
                        DelegateApiPaths.HEARTBEAT,
                        Map.of("delegateId", delegateId, "sessionId", sessionId, "runningTaskIds", List.of()),
                        sessionToken)
                .whenComplete((r, e) -> {
                    long jitter = (long) (heartbeatMillis
                            * (0.9 + 0.2 * ThreadLocalRandom.current().nextDouble()));
                    timer.schedule(() -> heartbeat(timer, heartbeatMillis), jitter, TimeUnit.MILLISECONDS);
                });
    }

    private void poll() {
        if (stopped) {
            return;
        }
        client.delegate(
                        DelegateApiPaths.POLL,
                        Map.of("delegateId", delegateId, "sessionId", sessionId, "freeSlots", capacity),
                        sessionToken)
                .whenComplete((r, e) -> {
                    if (e == null) {
                        for (JsonNode a : r.get("assignments")) {
                            onAssigned.accept(a.get("taskId").asText(), System.nanoTime());
                            complete(a);
                        }
                    }
                    poll();
                });
    }

    private void complete(JsonNode assignment) {
        String taskId = assignment.get("taskId").asText();
        client.delegate(
                        DelegateApiPaths.OUTCOMES,
                        Map.of(
                                "delegateId",
                                delegateId,
                                "sessionId",
                                sessionId,
                                "outcomes",
                                List.of(Map.of(
                                        "taskId",
                                        taskId,
                                        "fencingToken",
                                        assignment.get("fencingToken").asLong(),
                                        "leaseId",
                                        assignment.get("leaseId").asText(),
                                        "status",
                                        "SUCCEEDED",
                                        "result",
                                        assignment.get("payload")))),
                        sessionToken)
                .whenComplete((r, e) -> onReported.accept(taskId));
    }
}
