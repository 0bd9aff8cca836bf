package org.opendelegate.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * Script logs end to end, with a real delegate process running real scripts: (1) latency from a line written by
 * a script to the same line arriving at a Server-Sent-Events follower of the task's log; (2) sustained
 * throughput of one script's output into the store, checked line for line (nothing lost, nothing twice).
 *
 * <p>Arguments: manager URL, API key, account id, delegate token (unused here), lines for the latency run,
 * megabytes for the throughput run.
 */
public final class ScriptLogBench {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private ScriptLogBench() {}

    public static void main(String[] args) throws Exception {
        String url = args[0];
        String key = args[1];
        int latencyLines = Integer.parseInt(args[4]);
        int megabytes = Integer.parseInt(args[5]);
        int lineBytes = args.length > 6 ? Integer.parseInt(args[6]) : 1000;
        latency(url, key, latencyLines);
        throughput(url, key, megabytes, lineBytes);
    }

    /** One line every 20 ms, each carrying the wall-clock time it was written; the follower subtracts. */
    private static void latency(String url, String key, int lines) throws Exception {
        String script = "for i in $(seq 1 " + lines + "); do echo \"L $i $(date +%s%N)\"; sleep 0.02; done";
        String id = submit(url, key, script, 600);
        long[] samples = new long[lines];
        int seen = 0;
        HttpRequest follow = HttpRequest.newBuilder(URI.create(url + "/api/v1/tasks/" + id + "/log?follow=true"))
                .header("Authorization", "Bearer " + key)
                .header("Accept", "text/event-stream")
                .build();
        HttpResponse<InputStream> stream = HTTP.send(follow, HttpResponse.BodyHandlers.ofInputStream());
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8))) {
            String line;
            while (seen < lines && (line = reader.readLine()) != null) {
                if (!line.startsWith("data:")) {
                    continue;
                }
                long now = System.currentTimeMillis() * 1_000_000L;
                String text =
                        JSON.readTree(line.substring(5).trim()).path("text").asText("");
                String[] parts = text.split(" ");
                if (parts.length == 3 && parts[0].equals("L")) {
                    samples[seen++] = now - Long.parseLong(parts[2]);
                }
            }
        }
        long[] got = new long[seen];
        System.arraycopy(samples, 0, got, 0, seen);
        System.out.println("line written -> SSE follower: " + new Stats(got).summary() + " (" + seen + " of " + lines
                + " lines; millisecond clock at the follower)");
    }

    /** {@code megabytes} of numbered lines of {@code lineBytes} bytes, as fast as the script can write them. */
    private static void throughput(String url, String key, int megabytes, int lineBytes) throws Exception {
        int lines = (int) (megabytes * 1_000_000L / lineBytes);
        String script = "awk 'BEGIN { pad = sprintf(\"%" + (lineBytes - 10) + "s\", \"\"); gsub(/ /, \"x\", pad);"
                + " for (i = 1; i <= " + lines + "; i++) printf \"%08d %s\\n\", i, pad }'";
        String id = submit(url, key, script, 1800);
        JsonNode task;
        do {
            Thread.sleep(200);
            task = get(url, key, "/api/v1/tasks/" + id);
        } while (task.path("state").asText().matches("QUEUED|RUNNING"));
        Instant started = Instant.parse(task.path("startedAt").asText());
        Instant finished = Instant.parse(task.path("finishedAt").asText());
        double seconds = Duration.between(started, finished).toMillis() / 1000.0;
        long[] check = checkLog(url, key, id);
        double mb = check[1] / 1_000_000.0;
        System.out.printf(
                "throughput (" + lineBytes
                        + "-byte lines): %s, %d of %d lines stored in order (%d out of order or repeated), %.1f MB in %.2f s ="
                        + " %.1f MB/s (task start to end, store included)%n",
                task.path("state").asText(),
                check[0],
                lines,
                check[2],
                mb,
                seconds,
                mb / seconds);
    }

    /** Reads log.txt: how many numbered lines, how many bytes, how many out of order or repeated. */
    private static long[] checkLog(String url, String key, String id) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url + "/api/v1/tasks/" + id + "/log.txt"))
                .header("Authorization", "Bearer " + key)
                .build();
        HttpResponse<InputStream> answer = HTTP.send(request, HttpResponse.BodyHandlers.ofInputStream());
        long count = 0;
        long bytes = 0;
        long wrong = 0;
        long expected = 1;
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(answer.body(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.length() < 9 || !line.substring(0, 8).chars().allMatch(Character::isDigit)) {
                    continue;
                }
                long n = Long.parseLong(line.substring(0, 8));
                wrong += n == expected ? 0 : 1;
                expected = n + 1;
                count++;
                bytes += line.length() + 1;
            }
        }
        return new long[] {count, bytes, wrong};
    }

    private static String submit(String url, String key, String script, int timeoutSeconds) throws Exception {
        String body = JSON.writeValueAsString(
                Map.of("type", "shell.script", "timeoutSeconds", timeoutSeconds, "payload", Map.of("script", script)));
        HttpRequest request = HttpRequest.newBuilder(URI.create(url + "/api/v1/tasks"))
                .header("Authorization", "Bearer " + key)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        HttpResponse<String> answer = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        if (answer.statusCode() != 201) {
            throw new IllegalStateException("submit: " + answer.statusCode() + " " + answer.body());
        }
        return JSON.readTree(answer.body()).path("id").asText();
    }

    private static JsonNode get(String url, String key, String path) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url + path))
                .header("Authorization", "Bearer " + key)
                .build();
        return JSON.readTree(
                HTTP.send(request, HttpResponse.BodyHandlers.ofString()).body());
    }
}
