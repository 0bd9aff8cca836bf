package org.opendelegate.delegate.health;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import org.opendelegate.protocol.ProtocolJson;

/**
 * The local health endpoint for ECS container health checks and load balancers: {@code GET /healthz}
 * (liveness) and {@code GET /readyz} (connected to the Manager). Runs on the JDK's built-in server with
 * its single dispatcher thread, which is plenty for a probe every few seconds.
 */
public final class HealthServer {
    private final HttpServer server;
    private final HealthState state;

    private HealthServer(HttpServer server, HealthState state) {
        this.server = server;
        this.state = state;
    }

    /** Binds and starts the server; the dispatcher thread runs the handlers. */
    public static HealthServer start(InetSocketAddress address, HealthState state) throws IOException {
        HttpServer server = HttpServer.create(address, 8);
        HealthServer health = new HealthServer(server, state);
        server.createContext("/healthz", exchange -> health.answer(exchange, state.live()));
        server.createContext("/readyz", exchange -> health.answer(exchange, state.ready()));
        server.setExecutor(null);
        server.start();
        return health;
    }

    /** The bound port. */
    public int port() {
        return server.getAddress().getPort();
    }

    /** Stops at once; probes after this get connection refused, which is right for a process on its way out. */
    public void stop() {
        server.stop(0);
    }

    private void answer(HttpExchange exchange, boolean ok) throws IOException {
        try (exchange) {
            if (!"GET".equals(exchange.getRequestMethod()) && !"HEAD".equals(exchange.getRequestMethod())) {
                exchange.getResponseHeaders().set("Allow", "GET, HEAD");
                exchange.sendResponseHeaders(405, -1);
                return;
            }
            byte[] body = json(ok);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.getResponseHeaders().set("Cache-Control", "no-store");
            boolean head = "HEAD".equals(exchange.getRequestMethod());
            exchange.sendResponseHeaders(ok ? 200 : 503, head ? -1 : body.length);
            if (!head) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
        }
    }

    private byte[] json(boolean ok) throws IOException {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("status", state.isStopping() ? "STOPPING" : ok ? "UP" : "DOWN");
        body.put("delegateId", state.delegateId());
        body.put("connected", state.isConnected());
        body.put("runningTasks", state.runningTaskCount());
        return ProtocolJson.mapper().writeValueAsBytes(body);
    }
}
