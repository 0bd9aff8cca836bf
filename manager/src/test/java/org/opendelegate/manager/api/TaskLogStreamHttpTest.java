package org.opendelegate.manager.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.opendelegate.manager.security.Role;
import org.opendelegate.manager.testing.TestManager;
import org.opendelegate.testkit.FakeDelegate;
import org.opendelegate.testkit.TestHttp;

/**
 * Logs you can watch, against a real Manager: numbered lines are stored once (a progress call sent again after
 * its answer was lost stores nothing twice), the log follows as Server-Sent Events that resume after
 * {@code Last-Event-ID}, and {@code log.txt} downloads the whole log with standard error marked.
 */
class TaskLogStreamHttpTest {
    private static final String OTHER_KEY = "odk_other-account-key-0123456789";
    private TestManager manager;
    private FakeDelegate delegate;
    private String taskId;
    private final List<InputStream> open = new ArrayList<>();

    @BeforeEach
    void start() {
        manager = TestManager.start(Map.of("OPENDELEGATE_LEASE_DURATION", "60s"));
        manager.seedAccount("acct-logs-other", OTHER_KEY, Role.ADMIN, null);
        delegate = manager.delegate("d1", "g");
        delegate.register();
        delegate.keepAlive(Duration.ofMillis(300));
        TestHttp.Response r = manager.api().post("/api/v1/tasks", Map.of("type", "echo", "timeoutSeconds", 3600));
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        taskId = r.json().get("id").asText();
        delegate.take();
    }

    @AfterEach
    void stop() throws Exception {
        for (InputStream in : open) {
            in.close();
        }
        delegate.close();
        manager.close();
    }

    @Test
    void aProgressCallSentAgainStoresNothingTwiceAndLateLinesAreIgnored() {
        assertThat(delegate.progressNumbered(taskId, 1, 1, "stdout", "one", "two")
                        .status())
                .isEqualTo(200);
        // The answer was lost: the delegate sends the same lines again, then the next ones.
        assertThat(delegate.progressNumbered(taskId, 1, 1, "stdout", "one", "two")
                        .status())
                .isEqualTo(200);
        assertThat(delegate.progressNumbered(taskId, 1, 2, "stderr", "two", "three")
                        .status())
                .isEqualTo(200);
        assertThat(delegate.progressNumbered(taskId, 1, 1, "stdout", "late").status())
                .isEqualTo(200);

        JsonNode page = manager.api().get("/api/v1/tasks/" + taskId + "/log").json();
        assertThat(texts(page)).containsExactly("one", "two", "three");
        assertThat(page.get("lines").get(2).get("stream").asText()).isEqualTo("stderr");
    }

    @Test
    void theLogFollowsAsEventsAndResumesAfterTheLastEventId() throws Exception {
        delegate.progressNumbered(taskId, 1, 1, "stdout", "first", "second");
        BlockingQueue<String> events = follow("/api/v1/tasks/" + taskId + "/log?follow=true", null);
        String first = next(events);
        assertThat(first).startsWith("id: ").contains("\"text\":\"first\"").contains("\"stream\":\"stdout\"");
        String second = next(events);
        assertThat(second).contains("\"text\":\"second\"");

        // A line written while the follower watches reaches it.
        delegate.progressNumbered(taskId, 1, 3, "stderr", "third");
        assertThat(next(events)).contains("\"text\":\"third\"").contains("\"stream\":\"stderr\"");

        // A client that reconnects with the id of the first event gets the rest, nothing twice.
        BlockingQueue<String> resumed = follow("/api/v1/tasks/" + taskId + "/log?follow=true", idOf(first));
        assertThat(next(resumed)).contains("\"text\":\"second\"");
        assertThat(next(resumed)).contains("\"text\":\"third\"");
        BlockingQueue<String> byQuery =
                follow("/api/v1/tasks/" + taskId + "/log?follow=true&lastEventId=" + idOf(second), null);
        assertThat(next(byQuery)).contains("\"text\":\"third\"");

        delegate.succeed(taskId, 1, Map.of("ok", true));
        assertThat(next(resumed)).startsWith("event: end").contains("\"state\":\"SUCCEEDED\"");
    }

    @Test
    void theWholeLogDownloadsAsTextWithStandardErrorMarked() {
        delegate.progressNumbered(taskId, 1, 1, "stdout", "out line");
        delegate.progressNumbered(taskId, 1, 2, "stderr", "err line");
        delegate.progress(taskId, 1, "delegate line");

        TestHttp.Response r = manager.api().get("/api/v1/tasks/" + taskId + "/log.txt");

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.header("Content-Type")).startsWith("text/plain");
        assertThat(r.header("Content-Disposition")).isEqualTo("attachment; filename=\"task-" + taskId + ".log\"");
        assertThat(r.body()).isEqualTo("out line\n[stderr] err line\ndelegate line\n");
    }

    @Test
    void anotherAccountsTaskIsNotFoundAndBadInputIsNamed() {
        TestHttp other = manager.api(OTHER_KEY);
        assertThat(other.get("/api/v1/tasks/" + taskId + "/log.txt").status()).isEqualTo(404);
        assertThat(other.get("/api/v1/tasks/" + taskId + "/log?follow=true").status())
                .isEqualTo(404);
        assertThat(manager.anonymous()
                        .get("/api/v1/tasks/" + taskId + "/log.txt")
                        .status())
                .isEqualTo(401);

        TestHttp.Response bad = manager.api().get("/api/v1/tasks/" + taskId + "/log?follow=true&lastEventId=x");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.body()).contains("lastEventId");
        assertThat(manager.api()
                        .get("/api/v1/tasks/" + taskId + "/log?follow=maybe")
                        .status())
                .isEqualTo(400);
    }

    private static List<String> texts(JsonNode page) {
        List<String> texts = new ArrayList<>();
        page.get("lines").forEach(l -> texts.add(l.get("text").asText()));
        return texts;
    }

    private static String idOf(String event) {
        return event.substring("id: ".length(), event.indexOf('\n'));
    }

    /** The events of a stream, one string each (comments and the retry hint left out). */
    private BlockingQueue<String> follow(String path, String lastEventId) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(manager.url() + path))
                .header("Authorization", "Bearer " + TestManager.API_KEY)
                .header("Accept", "text/event-stream");
        if (lastEventId != null) {
            request.header("Last-Event-ID", lastEventId);
        }
        HttpResponse<InputStream> response =
                HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("text/event-stream");
        open.add(response.body());
        BlockingQueue<String> events = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> read(response.body(), events), "sse-reader");
        reader.setDaemon(true);
        reader.start();
        return events;
    }

    private static void read(InputStream body, BlockingQueue<String> events) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
            StringBuilder event = new StringBuilder();
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                if (!line.isEmpty()) {
                    event.append(line).append('\n');
                    continue;
                }
                String done = event.toString();
                event.setLength(0);
                if (!done.startsWith(":") && !done.startsWith("retry:")) {
                    events.add(done);
                }
            }
        } catch (java.io.IOException e) {
            // the test closed the stream
        }
    }

    private static String next(BlockingQueue<String> events) throws InterruptedException {
        String event = events.poll(20, TimeUnit.SECONDS);
        assertThat(event).as("an event within 20 s").isNotNull();
        return event;
    }
}
