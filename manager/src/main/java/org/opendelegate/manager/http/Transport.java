package org.opendelegate.manager.http;

import io.javalin.config.JavalinConfig;
import org.eclipse.jetty.server.ConnectionFactory;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.opendelegate.manager.config.TransportConfig;

/**
 * The transport settings against slow and abusive clients, in one place: the thread pool, the header
 * size, the guards in front of the handlers and the plain HTTP connector. Another connector (HTTPS, say)
 * gets the same protection through {@link #guard}.
 */
final class Transport {
    private final TransportConfig config;
    private final ConnectionGuard connections;

    Transport(TransportConfig config) {
        this.config = config;
        this.connections = new ConnectionGuard(config.maxConnectionsPerAddress(), config.headerTimeout());
    }

    /**
     * Applies everything to Javalin's Jetty and listens on {@code host:port}: over HTTPS when {@code tls} is
     * given, else over plain HTTP.
     */
    void applyTo(JavalinConfig javalin, String host, int port, TlsConnector tls) {
        QueuedThreadPool threads = new QueuedThreadPool(config.maxThreads(), 8);
        threads.setName("http");
        javalin.jetty.threadPool = threads;
        javalin.jetty.modifyHttpConfiguration(this::configure);
        javalin.jetty.modifyServer(server -> {
            server.addBean(connections);
            server.setErrorHandler(new ProblemErrorHandler());
            // insertHandler puts each one outermost: the body guard runs first, then the budgets.
            server.insertHandler(new ThreadBudgets(config.delegateThreads(), config.consoleThreads()));
            server.insertHandler(new BodyGuard(connections, config.bodyTimeout(), config.minBodyRate()));
        });
        javalin.jetty.addConnector((server, http) -> {
            ServerConnector connector =
                    tls == null ? guard(server, new HttpConnectionFactory(http)) : guard(server, tls.factories(http));
            connector.setHost(host);
            connector.setPort(port);
            return connector;
        });
    }

    /** The HTTP settings every connector shares. */
    private void configure(HttpConfiguration http) {
        // Larger request lines and headers answer 431 before any handler runs.
        http.setRequestHeaderSize(config.maxHeaderBytes());
        // Jetty's header field cache is built per connection: a 1,024-entry trie of ~100 KB that every
        // delegate's heartbeat and poll connection kept, 2 GB for 10,000 delegates, and the collector's long
        // pauses with it. Parsing a few repeated headers again costs next to nothing.
        http.setHeaderCacheSize(0);
    }

    /** A connector whose connections the per-address cap and the header deadline watch. */
    ServerConnector guard(Server server, ConnectionFactory... factories) {
        ServerConnector connector = new ServerConnector(server, factories);
        connector.addBean(connections, false);
        return connector;
    }
}
