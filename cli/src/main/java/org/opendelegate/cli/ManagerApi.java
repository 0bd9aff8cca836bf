package org.opendelegate.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import org.opendelegate.protocol.ProtocolJson;

/**
 * The Manager's REST API as the commands use it: one method per call, JSON in and out, every failure turned
 * into an {@link ApiException} that says what went wrong and how the command should exit.
 */
final class ManagerApi {
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(40);
    private static final ObjectMapper JSON = ProtocolJson.mapper();

    private final String baseUrl;
    private final String apiKey;
    private final HttpClient http;

    ManagerApi(String baseUrl, String apiKey) {
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.apiKey = apiKey;
        this.http = HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(10))
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    JsonNode submitTask(JsonNode request) {
        return call("POST", "/api/v1/tasks", request);
    }

    JsonNode task(String id) {
        return call("GET", "/api/v1/tasks/" + segment(id), null);
    }

    JsonNode cancelTask(String id) {
        return call("POST", "/api/v1/tasks/" + segment(id) + "/cancel", null);
    }

    /** The log lines after {@code after}; waits up to {@code waitSeconds} for new ones. */
    JsonNode logPage(String id, long after, int waitSeconds) {
        return call("GET", "/api/v1/tasks/" + segment(id) + "/log?after=" + after + "&wait=" + waitSeconds, null);
    }

    JsonNode tasks(Map<String, String> filters) {
        return call("GET", "/api/v1/tasks" + query(filters), null);
    }

    /** One page of delegates; {@code filters} may hold {@code status}, {@code selector}, {@code cursor}, {@code limit}. */
    JsonNode delegates(Map<String, String> filters) {
        return call("GET", "/api/v1/delegates" + query(filters), null);
    }

    private JsonNode call(String method, String path, JsonNode body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .timeout(CALL_TIMEOUT)
                .header("Authorization", "Bearer " + apiKey)
                .header("Accept", "application/json");
        if (body != null) {
            request.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8));
        } else {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        }
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new ApiException(
                    "cannot reach the Manager at " + baseUrl + " (" + describe(e) + "); check OPENDELEGATE_URL",
                    ExitCodes.UNAVAILABLE);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException("interrupted while calling the Manager", ExitCodes.CANCELLED);
        }
        if (response.statusCode() >= 400) {
            throw new ApiException(
                    Problems.describe(response.statusCode(), response.body()),
                    ExitCodes.ofStatus(response.statusCode()));
        }
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new ApiException(
                    "the Manager at " + baseUrl + " answered something that is not JSON: is "
                            + "OPENDELEGATE_URL the Manager's address?",
                    ExitCodes.UNAVAILABLE);
        }
    }

    private static String describe(IOException e) {
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
    }

    private static String segment(String id) {
        return URLEncoder.encode(id, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static String query(Map<String, String> filters) {
        Map<String, String> present = new LinkedHashMap<>();
        filters.forEach((k, v) -> {
            if (v != null && !v.isBlank()) {
                present.put(k, v);
            }
        });
        if (present.isEmpty()) {
            return "";
        }
        return present.entrySet().stream()
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&", "?", ""));
    }
}
