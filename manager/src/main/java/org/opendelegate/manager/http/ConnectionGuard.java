package org.opendelegate.manager.http;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.util.component.AbstractLifeCycle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches every connection: a client address may hold at most {@code maxPerAddress} of them (one more is
 * closed as soon as it opens: nothing has been read, so there is no request to answer), and a connection
 * whose request headers have been arriving for longer than {@code headerTimeout} is closed. Jetty's idle
 * timeout cannot do the latter: a client sending one byte every few seconds is never idle.
 *
 * <p>Header time is measured from the first byte of a request that the sweeper sees (it looks twice a
 * second), until the request reaches the handlers ({@link #requestStarted}); between requests a
 * keep-alive connection waits without a deadline, up to Jetty's idle timeout.
 */
final class ConnectionGuard extends AbstractLifeCycle implements Connection.Listener {
    private static final Logger LOG = LoggerFactory.getLogger(ConnectionGuard.class);
    private static final long SWEEP_MILLIS = 500;

    /** What the guard knows of one open connection. */
    private static final class Watched {
        final InetAddress address;
        volatile boolean inRequest;
        volatile long bytesWhenIdle;
        volatile long firstByteNanos;

        Watched(InetAddress address, long bytesIn) {
            this.address = address;
            this.bytesWhenIdle = bytesIn;
        }
    }

    private final int maxPerAddress;
    private final long headerTimeoutNanos;
    private final Map<InetAddress, Integer> perAddress = new ConcurrentHashMap<>();
    private final Map<Connection, Watched> open = new ConcurrentHashMap<>();
    private ScheduledExecutorService sweeper;

    ConnectionGuard(int maxPerAddress, Duration headerTimeout) {
        this.maxPerAddress = maxPerAddress;
        this.headerTimeoutNanos = headerTimeout.toNanos();
    }

    @Override
    public void onOpened(Connection connection) {
        InetAddress address = addressOf(connection.getEndPoint().getRemoteSocketAddress());
        if (address == null) {
            return;
        }
        int count = perAddress.merge(address, 1, Integer::sum);
        if (count > maxPerAddress) {
            perAddress.merge(address, -1, ConnectionGuard::lessOrGone);
            LOG.debug("Refused a connection from {}: it already holds {} connections", address, maxPerAddress);
            connection.getEndPoint().close();
            return;
        }
        open.put(connection, new Watched(address, connection.getBytesIn()));
    }

    @Override
    public void onClosed(Connection connection) {
        Watched watched = open.remove(connection);
        if (watched != null) {
            perAddress.merge(watched.address, -1, ConnectionGuard::lessOrGone);
        }
    }

    /** The connection's request headers are complete: the handlers have it. */
    void requestStarted(Connection connection) {
        Watched watched = open.get(connection);
        if (watched != null) {
            watched.inRequest = true;
        }
    }

    /** The connection's request is answered; its next request's headers start the clock again. */
    void requestEnded(Connection connection) {
        Watched watched = open.get(connection);
        if (watched != null) {
            watched.bytesWhenIdle = connection.getBytesIn();
            watched.firstByteNanos = 0;
            watched.inRequest = false;
        }
    }

    @Override
    protected void doStart() {
        sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "http-header-deadline");
            t.setDaemon(true);
            return t;
        });
        var unused = sweeper.scheduleWithFixedDelay(this::sweep, SWEEP_MILLIS, SWEEP_MILLIS, TimeUnit.MILLISECONDS);
    }

    @Override
    protected void doStop() {
        sweeper.shutdownNow();
    }

    private void sweep() {
        long now = System.nanoTime();
        open.forEach((connection, watched) -> {
            if (watched.inRequest) {
                return;
            }
            if (watched.firstByteNanos == 0) {
                if (connection.getBytesIn() > watched.bytesWhenIdle) {
                    watched.firstByteNanos = now;
                }
            } else if (now - watched.firstByteNanos > headerTimeoutNanos) {
                LOG.info(
                        "Closed a connection from {}: its request headers took longer than {} ms",
                        watched.address.getHostAddress(),
                        TimeUnit.NANOSECONDS.toMillis(headerTimeoutNanos));
                connection.getEndPoint().close();
            }
        });
    }

    private static Integer lessOrGone(Integer count, Integer minusOne) {
        int left = count + minusOne;
        return left <= 0 ? null : left;
    }

    private static InetAddress addressOf(SocketAddress remote) {
        return remote instanceof InetSocketAddress inet ? inet.getAddress() : null;
    }
}
