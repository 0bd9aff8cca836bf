package org.opendelegate.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.opendelegate.protocol.DelegateApiPaths;
import org.opendelegate.testkit.FakeDelegate;

/**
 * The slow-body attack: {@code attackers} connections to {@code POST /login} that each declare a 100 KB
 * body and send one byte of it every 5 s (a connection the Manager closes is opened again at once), for
 * {@code seconds}. Meanwhile, as a person and a delegate would, it measures {@code /healthz} (5 a second),
 * a new delegate registration and a heartbeat (1 a second each). Loopback only, bounded in count and time.
 *
 * <p>Usage: {@code SlowBodyAttackBench URL API_KEY ACCOUNT_ID DELEGATE_TOKEN [attackers] [seconds]}
 */
public final class SlowBodyAttackBench {
    private static final long CALL_TIMEOUT_SECONDS = 10;

    private SlowBodyAttackBench() {}

    public static void main(String[] args) throws Exception {
        String url = args[0];
        int attackers = args.length > 4 ? Integer.parseInt(args[4]) : 300;
        int seconds = args.length > 5 ? Integer.parseInt(args[5]) : 60;
        var executor = Executors.newFixedThreadPool(8, BenchThreads.daemon("bench-client"));
        ManagerClient client = new ManagerClient(url, args[1], args[2], args[3], executor);

        System.out.println("quiet (10 s, no attack):");
        measure(client, 10);

        Attack attack = new Attack(URI.create(url), attackers);
        Thread attacker = new Thread(() -> attack.run(seconds + 5), "attack");
        attacker.setDaemon(true);
        attacker.start();
        Thread.sleep(5_000); // every attacker connected and sending
        System.out.printf("under attack (%d connections, one byte every 5 s, %d s):%n", attackers, seconds);
        measure(client, seconds);
        attack.stop();
        attacker.join(10_000);
        System.out.printf(
                "attack: %d connections opened, %d answered (408/503/...), %d closed without an answer%n",
                attack.opened.get(), attack.answered.get(), attack.closed.get());
        executor.shutdownNow();
        System.exit(0);
    }

    private static void measure(ManagerClient client, int seconds) throws InterruptedException {
        LatencyRecorder healthz = new LatencyRecorder(100_000);
        LatencyRecorder register = new LatencyRecorder(100_000);
        LatencyRecorder heartbeat = new LatencyRecorder(100_000);
        healthz.start();
        register.start();
        heartbeat.start();
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        int tick = 0;
        while (System.nanoTime() < end) {
            timed(healthz, client.healthz());
            if (tick % 5 == 0) {
                String name = "attack-bench-" + System.nanoTime();
                Map<String, Object> registration = FakeDelegate.registration(name, "attack-bench");
                long started = System.nanoTime();
                JsonNode registered = timed(register, client.delegate(DelegateApiPaths.REGISTER, registration));
                if (registered != null) {
                    timed(
                            heartbeat,
                            client.delegate(
                                    DelegateApiPaths.HEARTBEAT,
                                    Map.of(
                                            "delegateId",
                                                    registered.get("delegateId").asText(),
                                            "sessionId",
                                                    registered.get("sessionId").asText(),
                                            "runningTaskIds", List.of()),
                                    registered.get("sessionToken").asText()));
                }
                tick += (int) ((System.nanoTime() - started) / 200_000_000L);
            }
            tick++;
            Thread.sleep(200);
        }
        report("/healthz ", healthz);
        report("register ", register);
        report("heartbeat", heartbeat);
    }

    private static <T> T timed(LatencyRecorder recorder, CompletableFuture<T> call) {
        long started = System.nanoTime();
        try {
            T result = call.get(CALL_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            recorder.record(System.nanoTime() - started);
            return result;
        } catch (Exception e) {
            call.cancel(true);
            recorder.failed();
            return null;
        }
    }

    private static void report(String what, LatencyRecorder recorder) {
        int failures = recorder.failures();
        System.out.printf(
                "  %s %s, failed or over %d s: %d%n", what, recorder.stop().summary(), CALL_TIMEOUT_SECONDS, failures);
    }

    /** The attacking connections, driven by one thread. */
    private static final class Attack {
        private final URI target;
        private final int count;
        private final List<Socket> sockets = new ArrayList<>();
        final AtomicInteger opened = new AtomicInteger();
        final AtomicInteger answered = new AtomicInteger();
        final AtomicInteger closed = new AtomicInteger();
        private volatile boolean stopped;

        Attack(URI target, int count) {
            this.target = target;
            this.count = count;
        }

        void run(int seconds) {
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
            for (int i = 0; i < count; i++) {
                sockets.add(open());
            }
            while (!stopped && System.nanoTime() < end) {
                for (int i = 0; i < sockets.size(); i++) {
                    Socket s = sockets.get(i);
                    if (s == null || !trickle(s)) {
                        close(s);
                        sockets.set(i, open());
                    }
                }
                try {
                    Thread.sleep(5_000);
                } catch (InterruptedException e) {
                    break;
                }
            }
            sockets.forEach(Attack::close);
        }

        void stop() {
            stopped = true;
        }

        private Socket open() {
            try {
                Socket s = new Socket();
                s.connect(new InetSocketAddress(target.getHost(), target.getPort()), 5_000);
                s.getOutputStream()
                        .write(("POST /login HTTP/1.1\r\nHost: " + target.getHost()
                                        + "\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                                        + "Content-Length: 102400\r\n\r\nu")
                                .getBytes(StandardCharsets.ISO_8859_1));
                opened.incrementAndGet();
                return s;
            } catch (IOException e) {
                closed.incrementAndGet();
                return null;
            }
        }

        /** Sends one more byte; false when the Manager answered or closed the connection. */
        private boolean trickle(Socket s) {
            try {
                if (s.getInputStream().available() > 0) {
                    answered.incrementAndGet();
                    return false;
                }
                OutputStream out = s.getOutputStream();
                out.write('u');
                out.flush();
                return true;
            } catch (IOException e) {
                closed.incrementAndGet();
                return false;
            }
        }

        private static void close(Socket s) {
            if (s != null) {
                try {
                    s.close();
                } catch (IOException e) {
                    // the attacker does not care
                }
            }
        }
    }
}
