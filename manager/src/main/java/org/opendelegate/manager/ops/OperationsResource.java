package org.opendelegate.manager.ops;

import io.javalin.config.RoutesConfig;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.opendelegate.manager.http.Routes;
import org.opendelegate.manager.metrics.ManagerMetrics;

/**
 * Unauthenticated operational endpoints: {@code /healthz} (the process answers), {@code /readyz} (the
 * store answers too), {@code /metrics} (Prometheus text) and the API description.
 */
public final class OperationsResource implements Routes {
    private final BooleanSupplier storeReachable;
    private final ManagerMetrics metrics;
    private final String version;

    /** @param storeReachable asks the store whether it answers (for {@code /readyz}) */
    public OperationsResource(BooleanSupplier storeReachable, ManagerMetrics metrics, String version) {
        this.storeReachable = storeReachable;
        this.metrics = metrics;
        this.version = version;
    }

    @Override
    public void addTo(RoutesConfig routes) {
        routes.get("/healthz", ctx -> ctx.json(Map.of("status", "UP", "version", version)));
        routes.get("/readyz", ctx -> {
            boolean store = storeReachable.getAsBoolean();
            ctx.status(store ? 200 : 503)
                    .json(Map.of("status", store ? "UP" : "DOWN", "store", store ? "reachable" : "unreachable"));
        });
        routes.get(
                "/metrics",
                ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8")
                        .result(metrics.scrape()));
        routes.get("/api/openapi.yaml", ctx -> {
            try (var in = OperationsResource.class.getResourceAsStream("/api/openapi.yaml")) {
                ctx.contentType("application/yaml; charset=utf-8").result(in.readAllBytes());
            }
        });
    }
}
