package org.opendelegate.bench;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One account with a large fleet (10,000 simulated delegates that heartbeat every 10 s): how big and how
 * fast the Delegates page and {@code GET /api/v1/delegates} answer, and the dispatch latency of a task
 * routed among the whole fleet to one of five delegates parked on long polls.
 *
 * <p>Arguments: managerUrl apiKey accountId delegateToken adminPassword fleetSize samples
 */
public final class FleetBench {
    private static final Pattern FORM_TOKEN = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");

    private FleetBench() {}

    public static void main(String[] args) throws Exception {
        try {
            run(args);
        } catch (Exception e) {
            // The simulated delegates' threads would keep the process alive: a failed run must end.
            e.printStackTrace();
            System.exit(1);
        }
    }

    private static void run(String[] args) throws Exception {
        String url = args[0];
        int fleet = Integer.parseInt(args[5]);
        int samples = Integer.parseInt(args[6]);
        ManagerClient client = ManagerClient.fromArgs(args);
        ScheduledExecutorService timer = Executors.newScheduledThreadPool(2, BenchThreads.daemon("bench-timer"));
        long start = System.nanoTime();
        List<SimulatedDelegate> delegates = register(client, timer, fleet);
        System.out.printf("%d delegates registered in %.1f s%n", delegates.size(), (System.nanoTime() - start) / 1e9);
        TimeUnit.SECONDS.sleep(10); // one heartbeat period to settle
        Console console = Console.signIn(url, args[4]);
        measure("console GET /setup/delegates (page 1)", samples, () -> console.get("/setup/delegates"));
        measure(
                "console live refresh of page 100",
                samples,
                () -> console.get(
                        "/setup/delegates/board",
                        "HX-Request",
                        "true",
                        "HX-Current-URL",
                        url + "/setup/delegates?page=100"));
        measure("console filtered (q=sim-99)", samples, () -> console.get("/setup/delegates?q=sim-99"));
        measure("API GET /api/v1/delegates (limit 100)", samples, () -> console.api("/api/v1/delegates", args[1]));
        measure(
                "API GET /api/v1/delegates?limit=500",
                samples,
                () -> console.api("/api/v1/delegates?limit=500", args[1]));
        System.out.println("dispatch latency among " + (fleet + 5) + " delegates, 5 asking: "
                + dispatch(client, timer, samples).summary());
        delegates.forEach(SimulatedDelegate::stop);
        System.exit(0);
    }

    private static List<SimulatedDelegate> register(ManagerClient client, ScheduledExecutorService timer, int n)
            throws InterruptedException {
        Semaphore inFlight = new Semaphore(16);
        ExecutorService pool = Executors.newFixedThreadPool(16, BenchThreads.daemon("bench-client"));
        List<CompletableFuture<Void>> registrations = new ArrayList<>();
        List<SimulatedDelegate> delegates = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            SimulatedDelegate d = new SimulatedDelegate(client, "sim-" + i, "fleet-" + (i % 10), 4, (t, at) -> {});
            inFlight.acquire();
            registrations.add(CompletableFuture.runAsync(() -> registerRetrying(d), pool)
                    .whenComplete((r, e) -> inFlight.release())
                    .thenRun(() -> d.start(timer, 10_000, false)));
            delegates.add(d);
        }
        CompletableFuture.allOf(registrations.toArray(new CompletableFuture<?>[0]))
                .join();
        return delegates;
    }

    // Registers a delegate, trying again a moment later when the Manager answers busy (its delegate API
    // budget is taken, as it may be while thousands register and heartbeat on a shared machine).
    private static void registerRetrying(SimulatedDelegate d) {
        for (int attempt = 1; ; attempt++) {
            try {
                d.register().join();
                return;
            } catch (CompletionException e) {
                if (attempt >= 30) {
                    throw e;
                }
            }
            try {
                TimeUnit.MILLISECONDS.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while registering", e);
            }
        }
    }

    // Times one call n times after a warm-up of as many; prints the latency and the answer's size.
    private static void measure(String what, int n, Call call) throws Exception {
        int size = 0;
        for (int i = 0; i < n; i++) {
            size = call.bytes();
        }
        long[] samples = new long[n];
        for (int i = 0; i < n; i++) {
            long t = System.nanoTime();
            size = call.bytes();
            samples[i] = System.nanoTime() - t;
        }
        System.out.printf("%s: %d bytes; %s%n", what, size, new Stats(samples).summary());
    }

    private static Stats dispatch(ManagerClient client, ScheduledExecutorService timer, int n) throws Exception {
        Map<String, CompletableFuture<Long>> assigned = new ConcurrentHashMap<>();
        List<SimulatedDelegate> asking = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            SimulatedDelegate d = new SimulatedDelegate(
                    client,
                    "target-" + i,
                    "target",
                    4,
                    (taskId, at) -> assigned.computeIfAbsent(taskId, id -> new CompletableFuture<>())
                            .complete(at));
            registerRetrying(d);
            d.start(timer, 10_000, true);
            asking.add(d);
        }
        TimeUnit.MILLISECONDS.sleep(500); // let every poll park before measuring
        long[] samples = new long[n];
        for (int i = 0; i < n * 2; i++) {
            long start = System.nanoTime();
            String id = client.api("POST", "/api/v1/tasks", Map.of("type", "echo", "selectors", List.of("target")))
                    .get("id")
                    .asText();
            long at =
                    assigned.computeIfAbsent(id, x -> new CompletableFuture<>()).get(10, TimeUnit.SECONDS);
            if (i >= n) {
                samples[i - n] = at - start; // the first n warm up
            }
        }
        asking.forEach(SimulatedDelegate::stop);
        return new Stats(samples);
    }

    @FunctionalInterface
    private interface Call {
        int bytes() throws Exception;
    }

    // A signed-in console session: cookies kept by hand, as a browser would.
    private record Console(HttpClient http, String url, Map<String, String> cookies) {
        static Console signIn(String url, String password) throws Exception {
            Console c = new Console(
                    HttpClient.newBuilder()
                            .connectTimeout(Duration.ofSeconds(10))
                            .build(),
                    url,
                    new LinkedHashMap<>());
            String login = c.send(c.request("/login").GET()).body();
            Matcher m = FORM_TOKEN.matcher(login);
            if (!m.find()) {
                throw new IllegalStateException("no sign-in form token");
            }
            String form = "_csrf=" + enc(m.group(1)) + "&username=admin&password=" + enc(password) + "&next=%2F";
            HttpResponse<String> r = c.send(c.request("/login")
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(form)));
            if (r.statusCode() != 302 && r.statusCode() != 303) {
                throw new IllegalStateException("sign-in answered " + r.statusCode());
            }
            return c;
        }

        int get(String path, String... headers) throws Exception {
            HttpRequest.Builder b = request(path);
            for (int i = 0; i < headers.length; i += 2) {
                b.header(headers[i], headers[i + 1]);
            }
            return checked(send(b.GET()));
        }

        int api(String path, String apiKey) throws Exception {
            HttpRequest.Builder b =
                    HttpRequest.newBuilder(URI.create(url + path)).header("Authorization", "Bearer " + apiKey);
            return checked(http.send(b.GET().build(), HttpResponse.BodyHandlers.ofString()));
        }

        private static int checked(HttpResponse<String> r) {
            if (r.statusCode() != 200) {
                throw new IllegalStateException(r.uri() + " answered " + r.statusCode());
            }
            return r.body().getBytes(StandardCharsets.UTF_8).length;
        }

        private HttpRequest.Builder request(String path) {
            HttpRequest.Builder b =
                    HttpRequest.newBuilder(URI.create(url + path)).timeout(Duration.ofSeconds(30));
            if (!cookies.isEmpty()) {
                StringJoiner j = new StringJoiner("; ");
                cookies.forEach((k, v) -> j.add(k + "=" + v));
                b.header("Cookie", j.toString());
            }
            return b;
        }

        private HttpResponse<String> send(HttpRequest.Builder b) throws Exception {
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            for (String c : r.headers().allValues("Set-Cookie")) {
                String pair = c.split(";", 2)[0];
                int eq = pair.indexOf('=');
                cookies.put(pair.substring(0, eq), pair.substring(eq + 1));
            }
            return r;
        }

        private static String enc(String s) {
            return URLEncoder.encode(s, StandardCharsets.UTF_8);
        }
    }
}
