package org.opendelegate.manager.http;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Makes a request body arrive within a total time and, after a short grace, at a minimum average rate.
 * A body that falls behind fails its read with {@link BodyTooSlow}, which {@link ProblemRenderer}
 * answers with 408. It is judged only when a read finds no bytes waiting, i.e. when the handler would wait on
 * the client: a body that has arrived is never refused, however long the Manager took to read it. A client that
 * sends nothing at all is woken by the connection's idle timeout, which this guard shortens to the time left. It
 * also tells the {@link ConnectionGuard} when a request reaches the handlers and when it is answered.
 */
final class BodyGuard extends Handler.Wrapper {
    /** Slow starts are normal (TCP slow start, a busy client): the rate counts only after this. */
    static final Duration RATE_GRACE = Duration.ofSeconds(3);

    private final ConnectionGuard connections;
    private final long timeoutNanos;
    private final long minBytesPerSecond;

    BodyGuard(ConnectionGuard connections, Duration bodyTimeout, long minBytesPerSecond) {
        this.connections = connections;
        this.timeoutNanos = bodyTimeout.toNanos();
        this.minBytesPerSecond = minBytesPerSecond;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        Connection connection = request.getConnectionMetaData().getConnection();
        connections.requestStarted(connection);
        Callback ended = Callback.from(callback, () -> connections.requestEnded(connection));
        Request guarded = hasBody(request) ? new TimedBody(request) : request;
        try {
            if (super.handle(guarded, response, ended)) {
                return true;
            }
        } catch (Exception | Error e) {
            connections.requestEnded(connection);
            throw e;
        }
        connections.requestEnded(connection);
        return false;
    }

    private static boolean hasBody(Request request) {
        return request.getLength() > 0 || request.getHeaders().contains(HttpHeader.TRANSFER_ENCODING);
    }

    /** The request with its body's clock. */
    private final class TimedBody extends Request.Wrapper {
        private final long started = System.nanoTime();
        private final EndPoint endPoint;
        private final long usualIdleTimeout;
        private long received;
        private Content.Chunk refused;

        TimedBody(Request request) {
            super(request);
            this.endPoint = request.getConnectionMetaData().getConnection().getEndPoint();
            this.usualIdleTimeout =
                    request.getConnectionMetaData().getConnector().getIdleTimeout();
            endPoint.setIdleTimeout(Math.min(usualIdleTimeout, TimeUnit.NANOSECONDS.toMillis(timeoutNanos)));
        }

        @Override
        public Content.Chunk read() {
            if (refused != null) {
                return refused;
            }
            Content.Chunk chunk = super.read();
            if (chunk != null && (Content.Chunk.isFailure(chunk) || chunk.isLast())) {
                endPoint.setIdleTimeout(usualIdleTimeout);
                return chunk;
            }
            if (chunk != null && chunk.hasRemaining()) {
                // Bytes were waiting: the client is not what this read waits on, however late the handler reads
                // (a busy Manager can start reading seconds after the headers; that is not the client's delay).
                received += chunk.remaining();
                return chunk;
            }
            // Nothing waiting: from here the handler waits on the client, so this is where it is judged.
            long elapsed = System.nanoTime() - started;
            String tooSlow = tooSlow(elapsed);
            if (tooSlow != null) {
                if (chunk != null) {
                    chunk.release();
                }
                endPoint.setIdleTimeout(usualIdleTimeout);
                refused = Content.Chunk.from(new BodyTooSlow(tooSlow), true);
                return refused;
            }
            long leftMillis = Math.max(1, TimeUnit.NANOSECONDS.toMillis(timeoutNanos - elapsed));
            endPoint.setIdleTimeout(Math.min(usualIdleTimeout, leftMillis));
            return chunk;
        }

        private String tooSlow(long elapsed) {
            if (elapsed > timeoutNanos) {
                return "the request body did not arrive within " + TimeUnit.NANOSECONDS.toSeconds(timeoutNanos) + " s";
            }
            if (minBytesPerSecond > 0 && elapsed > RATE_GRACE.toNanos()) {
                long rate = received * 1_000_000_000L / elapsed;
                if (rate < minBytesPerSecond) {
                    return "the request body arrived at " + rate + " bytes/s, slower than the " + minBytesPerSecond
                            + " bytes/s required";
                }
            }
            return null;
        }
    }
}
