package org.opendelegate.delegate.ecs;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;

/** The ECS agent's task metadata endpoint v4, serving AWS-shaped documents from test resources. */
final class FakeMetadataEndpoint implements AutoCloseable {
    private final HttpServer server;

    FakeMetadataEndpoint(String containerResource, String taskResource) throws IOException {
        byte[] container = read(containerResource);
        byte[] task = read(taskResource);
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 4);
        server.createContext("/v4/7f3e2d1c", exchange -> {
            try (exchange) {
                String path = exchange.getRequestURI().getPath();
                byte[] body = path.endsWith("/task") ? task : path.equals("/v4/7f3e2d1c") ? container : null;
                if (body == null) {
                    exchange.sendResponseHeaders(404, -1);
                    return;
                }
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
            }
        });
        server.start();
    }

    /** What ECS puts into {@code ECS_CONTAINER_METADATA_URI_V4}. */
    String uri() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v4/7f3e2d1c";
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private static byte[] read(String resource) throws IOException {
        try (InputStream in = FakeMetadataEndpoint.class.getResourceAsStream("/ecs/" + resource)) {
            return in.readAllBytes();
        }
    }
}
