package org.opendelegate.e2e.support;

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
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small reverse proxy on loopback in front of the AWS emulator that injects the failures AWS produces and
 * moto does not: access denied, throttling (a number of times, then the calls pass), an expired token. Its
 * error bodies are EC2's (query protocol, XML), since the EC2 endpoint is what the tests point at it with
 * {@code AWS_ENDPOINT_URL_EC2}; STS keeps going straight to the emulator.
 */
public final class FaultProxy implements AutoCloseable {
    private static final Set<String> HOP_BY_HOP =
            Set.of("host", "content-length", "connection", "transfer-encoding", "expect", "upgrade", "keep-alive");

    /** What the proxy answers instead of passing a call on. */
    public enum Fault {
        NONE,
        ACCESS_DENIED,
        EXPIRED_TOKEN
    }

    private final HttpServer server;
    private final String upstream;
    private final HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    private volatile Fault fault = Fault.NONE;
    private final AtomicInteger throttlesLeft = new AtomicInteger();
    private final AtomicInteger throttled = new AtomicInteger();
    private final AtomicInteger passed = new AtomicInteger();

    private FaultProxy(String upstream) throws IOException {
        this.upstream = upstream;
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    /** Starts a proxy to {@code upstream} (e.g. moto's endpoint). */
    public static FaultProxy start(String upstream) {
        try {
            return new FaultProxy(upstream);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public void fault(Fault fault) {
        this.fault = fault;
    }

    /** The next {@code times} calls are throttled (EC2's RequestLimitExceeded), the ones after pass. */
    public void throttle(int times) {
        throttlesLeft.set(times);
    }

    /** How many calls were throttled so far. */
    public int throttledCount() {
        return throttled.get();
    }

    /** How many calls went through to the emulator. */
    public int passedCount() {
        return passed.get();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            if (throttlesLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                throttled.incrementAndGet();
                error(exchange, 503, "RequestLimitExceeded", "Request limit exceeded.");
                return;
            }
            switch (fault) {
                case ACCESS_DENIED ->
                    error(exchange, 403, "UnauthorizedOperation", "You are not authorized to perform this operation.");
                case EXPIRED_TOKEN ->
                    error(exchange, 400, "ExpiredToken", "The security token included in the request is expired");
                default -> forward(exchange, body);
            }
        }
    }

    private void forward(HttpExchange exchange, byte[] body) throws IOException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(upstream + exchange.getRequestURI()))
                .timeout(Duration.ofSeconds(30))
                .method(exchange.getRequestMethod(), HttpRequest.BodyPublishers.ofByteArray(body));
        exchange.getRequestHeaders().forEach((name, values) -> {
            if (!HOP_BY_HOP.contains(name.toLowerCase(java.util.Locale.ROOT))) {
                values.forEach(v -> request.header(name, v));
            }
        });
        HttpResponse<byte[]> response;
        try {
            response = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
        passed.incrementAndGet();
        response.headers().map().forEach((name, values) -> {
            if (!HOP_BY_HOP.contains(name.toLowerCase(java.util.Locale.ROOT)) && !name.startsWith(":")) {
                exchange.getResponseHeaders().put(name, values);
            }
        });
        exchange.sendResponseHeaders(response.statusCode(), response.body().length == 0 ? -1 : response.body().length);
        exchange.getResponseBody().write(response.body());
    }

    private static void error(HttpExchange exchange, int status, String code, String message) throws IOException {
        byte[] bytes = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response><Errors><Error><Code>" + code + "</Code>"
                        + "<Message>" + message
                        + "</Message></Error></Errors><RequestID>fault-proxy</RequestID></Response>")
                .getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/xml;charset=UTF-8");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
