import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A minimal Manager for the footprint benchmark: answers register, heartbeat, poll (holding it like the
 * real Manager), progress, outcome and deregister on 127.0.0.1 with the protocol's JSON, and never
 * assigns work, so the delegate idles. Run with the JDK's source launcher:
 *
 * <pre>java bench/FakeManager.java PORT [HEARTBEAT_MS] [POLL_WAIT_MS] [PKCS12_KEYSTORE PASSWORD]</pre>
 *
 * With a keystore it serves HTTPS, as a real Manager does.
 */
public final class FakeManager {
    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        long heartbeat = args.length > 1 ? Long.parseLong(args[1]) : 10_000;
        long pollWait = args.length > 2 ? Long.parseLong(args[2]) : 25_000;
        AtomicInteger sessions = new AtomicInteger();
        InetSocketAddress address = new InetSocketAddress("127.0.0.1", port);
        HttpServer server = args.length > 4 ? https(address, args[3], args[4]) : HttpServer.create(address, 64);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/", exchange -> {
            try (exchange) {
                exchange.getRequestBody().readAllBytes();
                String path = exchange.getRequestURI().getPath();
                if (path.endsWith("/register")) {
                    respond(exchange, "{\"delegateId\":\"d-bench\",\"sessionId\":\"s-" + sessions.incrementAndGet()
                            + "\",\"groupId\":\"g-1\",\"name\":\"bench\",\"heartbeatIntervalMillis\":" + heartbeat
                            + ",\"pollWaitMillis\":" + pollWait + ",\"leaseMillis\":60000,\"effectiveSelectors\":[]}");
                } else if (path.endsWith("/heartbeat")) {
                    respond(exchange, "{\"heartbeatIntervalMillis\":" + heartbeat + ",\"cancelTaskIds\":[],\"lostTaskIds\":[]}");
                } else if (path.endsWith("/poll")) {
                    Thread.sleep(pollWait);
                    respond(exchange, "{\"assignments\":[],\"cancelTaskIds\":[]}");
                } else if (path.endsWith("/progress")) {
                    respond(exchange, "{\"cancelRequested\":false}");
                } else if (path.endsWith("/outcomes")) {
                    respond(exchange, "{\"results\":[]}"); // never reached: this Manager hands out no work
                } else {
                    exchange.sendResponseHeaders(204, -1);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        server.start();
        System.out.println("fake manager listening on 127.0.0.1:" + port);
    }

    private static HttpServer https(InetSocketAddress address, String keystore, String password) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = new FileInputStream(keystore)) {
            store.load(in, password.toCharArray());
        }
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(store, password.toCharArray());
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(keys.getKeyManagers(), null, null);
        HttpsServer server = HttpsServer.create(address, 64);
        server.setHttpsConfigurator(new HttpsConfigurator(tls));
        return server;
    }

    private static void respond(HttpExchange exchange, String json) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, body.length);
        exchange.getResponseBody().write(body);
    }
}
