package org.opendelegate.e2e.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP relay on loopback between one process and a server (a Manager replica and PostgreSQL) that a test
 * can cut: {@link #cut()} resets every relayed connection and refuses new ones (a database gone away, a
 * network path lost) until {@link #restore()}.
 */
public final class TcpProxy implements AutoCloseable {
    private final ServerSocket server;
    private final String upstreamHost;
    private final int upstreamPort;
    private final List<Socket> open = new CopyOnWriteArrayList<>();
    private final AtomicInteger accepted = new AtomicInteger();
    private volatile boolean cut;
    private volatile boolean closed;

    private TcpProxy(String upstreamHost, int upstreamPort) throws IOException {
        this.upstreamHost = upstreamHost;
        this.upstreamPort = upstreamPort;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::acceptLoop, "tcp-proxy-" + server.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public static TcpProxy start(String upstreamHost, int upstreamPort) {
        try {
            return new TcpProxy(upstreamHost, upstreamPort);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public int port() {
        return server.getLocalPort();
    }

    /** Connections relayed so far (not counting those refused while cut). */
    public int acceptedCount() {
        return accepted.get();
    }

    /** Resets every relayed connection and refuses new ones. */
    public void cut() {
        cut = true;
        for (Socket s : open) {
            reset(s);
        }
        open.clear();
    }

    /** Relays new connections again. */
    public void restore() {
        cut = false;
    }

    private void acceptLoop() {
        while (!closed) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException e) {
                return; // closed
            }
            if (cut) {
                reset(client);
                continue;
            }
            try {
                Socket upstream = new Socket();
                upstream.connect(new InetSocketAddress(upstreamHost, upstreamPort), 3000);
                client.setTcpNoDelay(true);
                upstream.setTcpNoDelay(true);
                open.add(client);
                open.add(upstream);
                accepted.incrementAndGet();
                pipe(client, upstream);
                pipe(upstream, client);
            } catch (IOException e) {
                reset(client);
            }
        }
    }

    private void pipe(Socket from, Socket to) {
        Thread t = new Thread(
                () -> {
                    byte[] buffer = new byte[16384];
                    try (InputStream in = from.getInputStream();
                            OutputStream out = to.getOutputStream()) {
                        int n;
                        while ((n = in.read(buffer)) >= 0) {
                            out.write(buffer, 0, n);
                            out.flush();
                        }
                    } catch (IOException endOfConnection) {
                        // either side closed or was reset
                    } finally {
                        reset(from);
                        reset(to);
                        open.remove(from);
                        open.remove(to);
                    }
                },
                "tcp-proxy-pipe");
        t.setDaemon(true);
        t.start();
    }

    /** Closes with an RST (SO_LINGER 0), as a lost path or a killed server looks to the other end. */
    private static void reset(Socket s) {
        try {
            if (!s.isClosed()) {
                s.setSoLinger(true, 0);
            }
        } catch (IOException ignored) {
            // already gone
        }
        try {
            s.close();
        } catch (IOException ignored) {
            // already gone
        }
    }

    @Override
    public void close() {
        closed = true;
        cut();
        try {
            server.close();
        } catch (IOException ignored) {
            // already closed
        }
    }
}
