package org.opendelegate.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import org.opendelegate.protocol.DelegateApiPaths;
import org.opendelegate.protocol.ProtocolJson;
import org.opendelegate.protocol.ProtocolVersion;

/** HTTP calls to a Manager from a load driver: the user API with an API key, the delegate API with a token. */
final class ManagerClient {
    private final HttpClient http;
    private final String baseUrl;
    private final String apiKey;
    private final String accountId;
    private final String delegateToken;

    ManagerClient(String baseUrl, String apiKey, String accountId, String delegateToken, Executor executor) {
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .executor(executor)
                .connectTimeout(Duration.ofSeconds(10))
                .build();
        this.baseUrl = baseUrl;
        this.apiKey = apiKey;
        this.accountId = accountId;
        this.delegateToken = delegateToken;
    }

    /**
     * A client for a bench whose first four arguments are managerUrl apiKey accountId delegateToken, answering
     * on a pool of four daemon threads.
     */
    static ManagerClient fromArgs(String[] args) {
        return new ManagerClient(
                args[0],
                args[1],
                args[2],
                args[3],
                Executors.newFixedThreadPool(4, BenchThreads.daemon("bench-client")));
    }

    JsonNode api(String method, String path, Object body) {
        return join(apiAsync(method, path, body));
    }

    CompletableFuture<JsonNode> apiAsync(String method, String path, Object body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + apiKey);
        return send(
                body == null
                        ? b.GET()
                        : b.header("Content-Type", "application/json")
                                .method(method, HttpRequest.BodyPublishers.ofString(json(body))));
    }

    /** A delegate call with the delegate token: a registration. */
    CompletableFuture<JsonNode> delegate(String path, Object body) {
        return delegate(path, body, delegateToken);
    }

    /** A delegate call with a credential: the session credential for every call after registration. */
    CompletableFuture<JsonNode> delegate(String path, Object body, String credential) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + credential)
                .header(DelegateApiPaths.ACCOUNT_HEADER, accountId)
                .header(ProtocolVersion.HEADER, String.valueOf(ProtocolVersion.CURRENT))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json(body)));
        return send(b);
    }

    /** A bare round trip on the same server, for comparison. */
    CompletableFuture<Integer> healthz() {
        return http.sendAsync(
                        HttpRequest.newBuilder(URI.create(baseUrl + "/healthz")).build(),
                        HttpResponse.BodyHandlers.discarding())
                .thenApply(HttpResponse::statusCode);
    }

    /** The Prometheus text. */
    CompletableFuture<String> metricsText() {
        return http.sendAsync(
                        HttpRequest.newBuilder(URI.create(baseUrl + "/metrics")).build(),
                        HttpResponse.BodyHandlers.ofString())
                .thenApply(HttpResponse::body);
    }

    private CompletableFuture<JsonNode> send(HttpRequest.Builder builder) {
        return http.sendAsync(builder.build(), HttpResponse.BodyHandlers.ofString())
                .thenApply(r -> {
                    try {
                        JsonNode json = r.body().isEmpty()
                                ? ProtocolJson.mapper().createObjectNode()
                                : ProtocolJson.mapper().readTree(r.body());
                        if (r.statusCode() >= 400) {
                            throw new IllegalStateException(r.statusCode() + " " + r.body());
                        }
                        return json;
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
    }

    static <T> T join(CompletableFuture<T> future) {
        return future.join();
    }

    private static String json(Object body) {
        try {
            return ProtocolJson.mapper().writeValueAsString(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
