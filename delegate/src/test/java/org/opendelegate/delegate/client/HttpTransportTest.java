package org.opendelegate.delegate.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HttpTransportTest {
    private HttpServer server;
    private HttpTransport transport;

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newCachedThreadPool());
        // Answers after a moment, like a long poll that a freed slot cuts short.
        server.createContext("/slow", exchange -> {
            try {
                Thread.sleep(ThreadLocalRandom.current().nextInt(3));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        URI url = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
        transport = new HttpTransport(url, Proxy.NO_PROXY, "token", "acc-1", "test");
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
    }

    /**
     * A cut from another thread can land at any point of the call; whatever the JDK's connection throws
     * then, the caller sees an IOException (a call that broke off), never an unchecked exception that
     * would crash the poll loop.
     */
    @Test
    void aCallCutAtAnyMomentFailsWithAnIOExceptionOnly() throws Exception {
        List<Throwable> unexpected = new ArrayList<>();
        for (int i = 0; i < 150; i++) {
            AbortHandle handle = new AbortHandle();
            Thread cutter = new Thread(() -> {
                busyWaitMicros(ThreadLocalRandom.current().nextInt(2000));
                handle.cut();
            });
            cutter.start();
            try {
                transport.post("/slow", "{}".getBytes(StandardCharsets.UTF_8), Duration.ofSeconds(5), handle, "token");
            } catch (IOException expected) {
                // the call broke off: fine
            } catch (RuntimeException e) {
                unexpected.add(e);
            }
            cutter.join();
        }
        assertThat(unexpected).isEmpty();
    }

    private static void busyWaitMicros(long micros) {
        long end = System.nanoTime() + micros * 1000;
        while (System.nanoTime() < end) {
            Thread.onSpinWait();
        }
    }
}
