package org.opendelegate.manager.config;

import java.time.Duration;

/**
 * How the HTTP server protects itself from slow and abusive clients.
 *
 * @param headerTimeout a request's headers must all arrive within this time of their first byte
 * @param bodyTimeout a request's body must all arrive within this time of its headers
 * @param minBodyRate after a short grace, a body still arriving must have come at least this fast on
 *     average (bytes per second); 0 turns the rate check off (the total time still applies)
 * @param maxHeaderBytes the largest request line and headers accepted (larger ones answer 431)
 * @param maxConnectionsPerAddress open connections one client address may hold; more are closed at once
 * @param delegateThreads requests of the delegate protocol handled at once; more wait in no queue but
 *     answer 503 with {@code Retry-After}
 * @param consoleThreads requests of people (console, sign-in, user API) handled at once; likewise
 */
public record TransportConfig(
        Duration headerTimeout,
        Duration bodyTimeout,
        long minBodyRate,
        int maxHeaderBytes,
        int maxConnectionsPerAddress,
        int delegateThreads,
        int consoleThreads) {

    /** Read by {@link ManagerConfig#fromEnvironment}; every value is checked against its range there. */
    static TransportConfig read(Settings s) {
        TransportConfig config = new TransportConfig(
                s.duration(
                        "OPENDELEGATE_HTTP_HEADER_TIMEOUT",
                        Duration.ofSeconds(10),
                        Duration.ofSeconds(1),
                        Duration.ofMinutes(5)),
                s.duration(
                        "OPENDELEGATE_HTTP_BODY_TIMEOUT",
                        Duration.ofSeconds(30),
                        Duration.ofSeconds(1),
                        Duration.ofMinutes(10)),
                s.integer("OPENDELEGATE_HTTP_MIN_BODY_RATE", 4096, 0, 100 * 1024 * 1024),
                s.integer("OPENDELEGATE_HTTP_MAX_HEADER_BYTES", 16 * 1024, 1024, 1024 * 1024),
                s.integer("OPENDELEGATE_HTTP_MAX_CONNECTIONS_PER_ADDRESS", 5000, 1, 1_000_000),
                s.integer("OPENDELEGATE_HTTP_DELEGATE_THREADS", 128, 1, 2000),
                s.integer("OPENDELEGATE_HTTP_CONSOLE_THREADS", 64, 1, 2000));
        return config;
    }

    /**
     * The server's whole thread pool: both budgets plus room for Jetty's own selector and acceptor threads
     * and for the cheap operational endpoints, which no budget limits.
     */
    public int maxThreads() {
        return delegateThreads + consoleThreads + 32;
    }
}
