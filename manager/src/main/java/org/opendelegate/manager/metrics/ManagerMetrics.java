package org.opendelegate.manager.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.function.Supplier;
import org.opendelegate.manager.store.TaskState;

/**
 * The Manager's metrics, scraped at {@code /metrics} in Prometheus format. Gauges are computed when
 * scraped, from suppliers the composition root hands in. The JVM's collector is in them too ({@code jvm_gc_*}:
 * its pauses, which every call waits out, and the memory allocated between them); closing stops following it.
 */
public final class ManagerMetrics implements AutoCloseable {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final JvmGcMetrics collector = new JvmGcMetrics();
    private final Counter registrations;
    private final Counter heartbeats;
    private final Counter heartbeatsFlushed;
    private final Timer routingDecisions;
    // One timer per route and status, built once: building a meter on every request costs more than timing it.
    private final java.util.Map<String, Timer> requestTimers = new java.util.concurrent.ConcurrentHashMap<>();

    public ManagerMetrics() {
        registrations = Counter.builder("opendelegate_delegate_registrations")
                .description("Delegate registrations accepted")
                .register(registry);
        heartbeats = Counter.builder("opendelegate_delegate_heartbeats")
                .description("Delegate heartbeats accepted")
                .register(registry);
        heartbeatsFlushed = Counter.builder("opendelegate_delegate_heartbeats_flushed")
                .description("Delegates' last heartbeats written to the store by the bulk liveness flush")
                .register(registry);
        routingDecisions = Timer.builder("opendelegate_routing_decisions")
                .description("Routing decisions (the best delegate of the account for one task, and the selection log"
                        + " that explains it), by the time each took")
                .register(registry);
        collector.bindTo(registry);
    }

    /** Publishes the number of connected delegates. */
    public void connectedDelegates(Supplier<Number> count) {
        Gauge.builder("opendelegate_delegates_connected", count)
                .description("Delegates connected now")
                .register(registry);
    }

    /** Publishes the task counts by state that {@code counts} keeps; a scrape reads them, never the store. */
    public void tasksByState(TaskCounts counts) {
        for (TaskState state : TaskState.values()) {
            Gauge.builder("opendelegate_tasks", () -> counts.of(state))
                    .tag("state", state.name())
                    .description("Tasks by state, across accounts: QUEUED and RUNNING counted every second, the"
                            + " ended states by a pass over the store that comes less often as the history grows")
                    .register(registry);
        }
        Gauge.builder("opendelegate_tasks_ended_counted_timestamp_seconds", counts::endedCountedAt)
                .description("When the pass over the store that counted the ended states began, in Unix time")
                .register(registry);
    }

    public void registered() {
        registrations.increment();
    }

    public void heartbeat() {
        heartbeats.increment();
    }

    /** Counts the delegates whose last heartbeat one liveness flush wrote. */
    public void heartbeatsFlushed(int delegates) {
        heartbeatsFlushed.increment(delegates);
    }

    /** Records how long one routing decision took; its cost grows with the delegates of the task's account. */
    public void routingDecision(long nanos) {
        routingDecisions.record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
    }

    /** Counts one refusal by a quota or rate, as {@code opendelegate_limit_refusals_total{limit="<setting>"}}. */
    public void limitRefused(String limit) {
        Counter.builder("opendelegate_limit_refusals")
                .description("Calls refused by a quota or rate limit, by the setting that holds the limit")
                .tag("limit", limit)
                .register(registry)
                .increment();
    }

    /** Records one HTTP request by route pattern (never the raw path, which would explode cardinality). */
    public void request(String method, String route, int status, Duration took) {
        requestTimers
                .computeIfAbsent(
                        method + " " + route + " " + status,
                        key -> Timer.builder("opendelegate_http_requests")
                                .description("HTTP requests by route")
                                .tag("method", method)
                                .tag("route", route)
                                .tag("status", String.valueOf(status))
                                .publishPercentileHistogram(false)
                                .register(registry))
                .record(took);
    }

    /** Any other meter a component wants to register. */
    public PrometheusMeterRegistry registry() {
        return registry;
    }

    /** The Prometheus text exposition. */
    public String scrape() {
        return registry.scrape();
    }

    /** Stops listening to the JVM's collector (a JVM that runs several Managers, as the tests do, keeps running). */
    @Override
    public void close() {
        collector.close();
    }
}
