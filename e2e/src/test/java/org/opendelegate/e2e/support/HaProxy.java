package org.opendelegate.e2e.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.opendelegate.testkit.FreePorts;

/**
 * HAProxy (the Debian package) in front of Manager replicas, as {@code ./opendelegate up --replicas} runs it:
 * round-robin with no stickiness, health checks on {@code /readyz}, timeouts above the long-poll wait, a
 * refused connection sent to another replica. It logs one line per request ({@code status= server= req=})
 * so a test can count what each replica answered.
 */
public final class HaProxy implements AutoCloseable {
    /** One logged request: the answer's status, the replica that served it (or {@code <NOSRV>}), the path. */
    public record Logged(int status, String server, String method, String path, String termination) {}

    private static final Pattern LINE =
            Pattern.compile("status=(-?\\d+) server=(\\S+) term=(\\S+) req=\"(\\S+) (\\S+)");

    private final int port;
    private final Process process;
    private final Path log;

    private HaProxy(int port, Process process, Path log) {
        this.port = port;
        this.process = process;
        this.log = log;
    }

    /** Starts HAProxy on a free loopback port with one server {@code replica-<i>} per port, i from 1. */
    public static HaProxy start(List<Integer> replicaPorts, Path workDir) {
        int port = FreePorts.next();
        StringBuilder cfg = new StringBuilder()
                .append("global\n")
                .append("  maxconn 4000\n")
                .append("  log stdout format raw local0\n")
                .append("defaults\n")
                .append("  mode http\n")
                .append("  log global\n")
                .append("  log-format \"status=%ST server=%s term=%ts req=%{+Q}r\"\n")
                .append("  timeout connect 2s\n")
                .append("  timeout client 60s\n")
                .append("  timeout server 60s\n")
                .append("  timeout http-request 10s\n")
                .append("  timeout http-keep-alive 60s\n")
                // Generous: on a loaded test machine a replica may take a second or two to answer.
                .append("  timeout check 5s\n")
                .append("frontend opendelegate\n")
                .append("  bind 127.0.0.1:")
                .append(port)
                .append('\n')
                .append("  default_backend managers\n")
                .append("backend managers\n")
                .append("  balance roundrobin\n")
                .append("  option httpchk\n")
                .append("  http-check send meth GET uri /readyz\n")
                .append("  default-server inter 1s fall 2 rise 2\n")
                .append("  option redispatch\n")
                .append("  retries 2\n");
        for (int i = 0; i < replicaPorts.size(); i++) {
            cfg.append("  server replica-")
                    .append(i + 1)
                    .append(" 127.0.0.1:")
                    .append(replicaPorts.get(i))
                    .append(" check\n");
        }
        try {
            Files.createDirectories(workDir);
            Path config = workDir.resolve("haproxy.cfg");
            Files.writeString(config, cfg);
            Path log = workDir.resolve("haproxy.log");
            Process process = new ProcessBuilder("haproxy", "-db", "-f", config.toString())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .start();
            HaProxy proxy = new HaProxy(port, process, log);
            Awaitility.await("HAProxy to answer /readyz through a replica")
                    .atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> !process.isAlive() || proxy.readyzStatus() == 200);
            if (!process.isAlive()) {
                throw new AssertionError("HAProxy stopped: " + Files.readString(log));
            }
            return proxy;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start haproxy (apt-get install haproxy)", e);
        }
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    public Api api() {
        return new Api(url(), ManagerProcess.API_KEY);
    }

    /** {@code /readyz} through the balancer; 0 when nothing answers. */
    public int readyzStatus() {
        return status(url() + "/readyz");
    }

    /** Every request HAProxy logged so far. */
    public List<Logged> logged() {
        List<Logged> result = new ArrayList<>();
        Matcher m = LINE.matcher(output());
        while (m.find()) {
            result.add(new Logged(Integer.parseInt(m.group(1)), m.group(2), m.group(4), m.group(5), m.group(3)));
        }
        return result;
    }

    /** Logged answers by status, e.g. {200=5123, 502=3}. */
    public Map<Integer, Integer> statuses() {
        Map<Integer, Integer> counts = new TreeMap<>();
        logged().forEach(l -> counts.merge(l.status(), 1, Integer::sum));
        return counts;
    }

    public String output() {
        try {
            return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** GET without credentials; the status, or 0 when the connection fails. */
    public static int status(String url) {
        try {
            HttpClient client = HttpClient.newBuilder()
                    .connectTimeout(Duration.ofSeconds(2))
                    .version(HttpClient.Version.HTTP_1_1)
                    .build();
            return client.send(
                            HttpRequest.newBuilder(URI.create(url))
                                    .timeout(Duration.ofSeconds(3))
                                    .GET()
                                    .build(),
                            HttpResponse.BodyHandlers.discarding())
                    .statusCode();
        } catch (IOException e) {
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
