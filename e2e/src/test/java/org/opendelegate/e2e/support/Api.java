package org.opendelegate.e2e.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.opendelegate.protocol.ProtocolJson;

/** The Manager's REST API from an end-to-end test, as a user with an API key. */
public final class Api {
    private static final HttpClient CLIENT = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(3))
            .build();

    private final String baseUrl;
    private final String apiKey;
    private final HttpClient client;

    public Api(String baseUrl, String apiKey) {
        this.baseUrl = baseUrl;
        this.apiKey = apiKey;
        this.client = CLIENT;
    }

    /** The API of a Manager serving HTTPS with a certificate {@code tls} trusts. */
    public Api(String baseUrl, String apiKey, javax.net.ssl.SSLContext tls) {
        this.baseUrl = baseUrl;
        this.apiKey = apiKey;
        this.client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(3))
                .sslContext(tls)
                .build();
    }

    /** A status and a JSON body. */
    public record Response(int status, JsonNode json) {}

    public Response get(String path) {
        return send(request(path).GET());
    }

    public Response post(String path, Object body) {
        return send(request(path).header("Content-Type", "application/json").POST(json(body)));
    }

    public Response put(String path, Object body) {
        return send(request(path).header("Content-Type", "application/json").PUT(json(body)));
    }

    public Response patch(String path, Object body) {
        return send(request(path).header("Content-Type", "application/json").method("PATCH", json(body)));
    }

    public Response delete(String path) {
        return send(request(path).DELETE());
    }

    /** A plain-text answer's body (the metrics); fails on any status but 200. */
    public String text(String path) {
        try {
            HttpResponse<String> r = client.send(request(path).GET().build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new AssertionError(path + " answered " + r.statusCode() + ": " + r.body());
            }
            return r.body();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Every delegate as the API lists it. */
    public List<JsonNode> delegates() {
        List<JsonNode> result = new ArrayList<>();
        get("/api/v1/delegates").json().get("delegates").forEach(result::add);
        return result;
    }

    /** The delegate with this name, or null. */
    public JsonNode delegate(String name) {
        return delegates().stream()
                .filter(d -> d.get("name").asText().equals(name))
                .findFirst()
                .orElse(null);
    }

    public JsonNode task(String id) {
        return get("/api/v1/tasks/" + id).json();
    }

    /**
     * Submits a task and returns its id. A repeat with the same idempotency key answers 200 with the first
     * task (e.g. a retry after the Manager died between storing the task and answering): that is success.
     */
    public String submit(Object request) {
        Response r = post("/api/v1/tasks", request);
        if (r.status() != 201 && r.status() != 200) {
            throw new AssertionError("submit failed: " + r.status() + " " + r.json());
        }
        return r.json().get("id").asText();
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(baseUrl + path))
                .timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + apiKey);
    }

    private static HttpRequest.BodyPublisher json(Object body) {
        try {
            return HttpRequest.BodyPublishers.ofString(ProtocolJson.mapper().writeValueAsString(body));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Response send(HttpRequest.Builder builder) {
        try {
            HttpResponse<String> r = client.send(builder.build(), HttpResponse.BodyHandlers.ofString());
            JsonNode json = r.body().isEmpty()
                    ? MissingNode.getInstance()
                    : ProtocolJson.mapper().readTree(r.body());
            return new Response(r.statusCode(), json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
