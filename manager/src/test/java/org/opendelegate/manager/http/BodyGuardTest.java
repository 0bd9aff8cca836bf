package org.opendelegate.manager.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The body guard judges the client, not the Manager: a handler that starts reading late (a busy Manager: its
 * requests waited for a store connection) must not get a body that had all arrived refused as "too slow", while
 * a body that really trickles in is still refused. On a bare Jetty with only the guard, so that the handler's
 * delay is the test's to choose.
 */
class BodyGuardTest {
    /** Longer than the rate's grace: the guard would judge the rate at the handler's first read. */
    private static final Duration READ_LATE = BodyGuard.RATE_GRACE.plusMillis(700);

    private Server server;

    @AfterEach
    void stop() throws Exception {
        server.stop();
    }

    @Test
    void aBodyThatHadArrivedIsNotRefusedThoughTheHandlerReadsItLate() {
        String url = start();
        String body = "{\"delegateId\":\"d-1\",\"sessionId\":\"s-1\",\"freeSlots\":4}";
        try (SlowClient client = new SlowClient(url)) {
            client.postHeaders("/poll", "application/json", body.length()).send(body);

            assertThat(client.statusLine()).startsWith("HTTP/1.1 200");
        }
    }

    @Test
    void aBodyTricklingInIsStillRefusedWhenTheHandlerReadsItLate() {
        String url = start();
        try (SlowClient client = new SlowClient(url)) {
            client.postHeaders("/poll", "application/json", 100).trickle("x", 60, Duration.ofSeconds(1));

            String answer = client.answer();

            assertThat(answer).startsWith("HTTP/1.1 408").contains("bytes/s");
        }
    }

    private String start() {
        server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        BodyGuard guard = new BodyGuard(new ConnectionGuard(100, Duration.ofSeconds(10)), Duration.ofSeconds(30), 1000);
        guard.setHandler(new LateReader());
        server.setHandler(guard);
        try {
            server.start();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return "http://127.0.0.1:" + connector.getLocalPort();
    }

    /** Waits {@link #READ_LATE} before it reads the body; answers 200, or 408 with the guard's reason. */
    private static final class LateReader extends Handler.Abstract {
        @Override
        public boolean handle(Request request, Response response, Callback callback) throws InterruptedException {
            Thread.sleep(READ_LATE.toMillis());
            int status;
            String text;
            try {
                text = "read " + Content.Source.asString(request).length() + " bytes";
                status = 200;
            } catch (IOException e) {
                text = e.getMessage();
                status = 408;
            }
            response.setStatus(status);
            response.getHeaders().put(HttpHeader.CONNECTION, "close");
            response.write(true, java.nio.ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)), callback);
            return true;
        }
    }
}
