package org.opendelegate.manager.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.opendelegate.manager.testing.TestManager;
import org.opendelegate.protocol.ProtocolJson;
import org.opendelegate.testkit.TestHttp;

/**
 * How the Manager reads a JSON body ({@link JsonBody}): by its declared length when it has one, as it arrives when
 * it is sent in chunks, and never past {@link JsonBody#MAX_BYTES}.
 */
class RequestBodyHttpTest {
    private static final HttpClient CHUNKED = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    private static TestManager manager;

    @BeforeAll
    static void start() {
        manager = TestManager.start();
    }

    @AfterAll
    static void stop() {
        manager.close();
    }

    @Test
    void aBodyDeclaredLargerThanTheLimitIsRefusedBeforeAnyOfItArrives() throws IOException {
        URI uri = URI.create(manager.url());
        try (Socket socket = new Socket(uri.getHost(), uri.getPort())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            // The headers only: a Manager that waited for the body would answer 408 when its body timeout ran out.
            out.write(("POST /api/v1/delegate-tokens HTTP/1.1\r\nHost: " + uri.getHost() + "\r\nAuthorization: Bearer "
                            + TestManager.API_KEY
                            + "\r\nContent-Type: application/json\r\nContent-Length: 2000000\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();

            String answer = readAnswer(socket.getInputStream());

            assertThat(answer).startsWith("HTTP/1.1 413");
            assertThat(answer).contains("The request body has 2000000 bytes; send at most 1048576.");
        }
        assertThat(manager.api().get("/api/v1/delegate-tokens").status()).isEqualTo(200);
    }

    @Test
    void aBodySentInChunksIsReadWholeAndHeldToTheLimit() {
        HttpResponse<String> small = chunked("{\"name\": \"sent-in-chunks\"}");
        HttpResponse<String> large = chunked("{\"name\": \"" + "x".repeat(JsonBody.MAX_BYTES) + "\"}");

        assertThat(small.statusCode()).as(small.body()).isEqualTo(201);
        assertThat(json(small).get("name").asText()).isEqualTo("sent-in-chunks");
        assertThat(large.statusCode()).as(large.body()).isEqualTo(413);
        assertThat(json(large).get("detail").asText())
                .isEqualTo("The request body has more than 1048576 bytes; send at most 1048576.");
    }

    @Test
    void aBodyLargerThanWhatIsReadAtOnceIsReadWhole() {
        // Read as it arrives, not into an array of its declared length: the whole body is parsed, so the answer is
        // about its field, not about JSON cut short.
        TestHttp.Response answer = manager.api()
                .postRaw(
                        "/api/v1/delegate-tokens",
                        "application/json",
                        "{\"name\": \"" + "x".repeat(JsonBody.READ_AT_ONCE_BYTES * 3) + "\"}");

        assertThat(answer.status()).as(answer.body()).isEqualTo(400);
        assertThat(answer.json().get("errors").get(0).get("field").asText()).isEqualTo("name");
    }

    private static HttpResponse<String> chunked(String body) {
        try {
            return CHUNKED.send(
                    HttpRequest.newBuilder(URI.create(manager.url() + "/api/v1/delegate-tokens"))
                            .header("Authorization", "Bearer " + TestManager.API_KEY)
                            .header("Content-Type", "application/json")
                            // A body of unknown length: the JDK client sends it in chunks, with no Content-Length.
                            .POST(HttpRequest.BodyPublishers.ofInputStream(
                                    () -> new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8))))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode json(HttpResponse<String> response) {
        try {
            return ProtocolJson.mapper().readTree(response.body());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The status line, headers and whatever of the body came before the Manager closed or went quiet. */
    private static String readAnswer(InputStream in) throws IOException {
        StringBuilder answer = new StringBuilder();
        byte[] buffer = new byte[4096];
        try {
            int n;
            while ((n = in.read(buffer)) > 0) {
                answer.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
                if (answer.indexOf("\r\n\r\n") > 0 && answer.indexOf("}") > 0) {
                    break;
                }
            }
        } catch (java.net.SocketTimeoutException e) {
            // Whatever came is the answer.
        }
        return answer.toString();
    }
}
