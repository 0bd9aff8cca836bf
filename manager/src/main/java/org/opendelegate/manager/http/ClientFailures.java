package org.opendelegate.manager.http;

import io.javalin.http.Context;
import java.nio.channels.ClosedChannelException;
import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.io.EofException;
import org.opendelegate.protocol.Problem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Failures the client caused on the wire, not bugs: a client that hung up mid-request, a body that came
 * too slowly, a message Jetty could not parse. Each is one line in the log, never a stack trace.
 */
final class ClientFailures {
    private static final Logger LOG = LoggerFactory.getLogger(ClientFailures.class);

    private ClientFailures() {}

    /** The problem to answer {@code e} with; null when nobody is listening or {@code e} is not the client's doing. */
    static Problem answer(Exception e, Context ctx) {
        BodyTooSlow slow = causeOf(e, BodyTooSlow.class);
        if (slow != null) {
            LOG.info("Refused {} {} from {}: {}", ctx.method(), ctx.path(), ctx.ip(), slow.getMessage());
            return new Problem(
                    "about:blank",
                    "Request too slow",
                    408,
                    "The request arrived too slowly: " + slow.getMessage()
                            + ". Send the whole request at once; a slow network in between can cause this too.",
                    "REQUEST_TOO_SLOW",
                    null);
        }
        HttpException bad = causeOf(e, HttpException.class);
        if (bad != null && bad.getCode() >= 400 && bad.getCode() < 500) {
            LOG.info("Refused {} {} from {}: {}", ctx.method(), ctx.path(), ctx.ip(), bad.getReason());
            return new Problem(
                    "about:blank",
                    "Bad request",
                    bad.getCode(),
                    "The request could not be read: " + bad.getReason() + ".",
                    "BAD_MESSAGE",
                    null);
        }
        return null;
    }

    /** True when the client is gone; the failure has been logged as one line. */
    static boolean hungUp(Exception e, Context ctx) {
        if (recycled(e)) {
            // The client hung up and Jetty already recycled the exchange (a long poll or a log stream that
            // ended after it): there is nobody to answer, and the request cannot even be named any more.
            LOG.info("A request ended after its client had gone ({})", e.getMessage());
            return true;
        }
        Throwable gone = causeOf(e, EofException.class);
        if (gone == null) {
            gone = causeOf(e, ClosedChannelException.class);
        }
        if (gone == null) {
            return false;
        }
        LOG.info("The client at {} hung up during {} {} ({})", ctx.ip(), ctx.method(), ctx.path(), gone.getMessage());
        return true;
    }

    /** Jetty's "Request/Response does not exist (likely recycled)": the exchange is over. */
    private static boolean recycled(Exception e) {
        IllegalStateException over = causeOf(e, IllegalStateException.class);
        return over != null && over.getMessage() != null && over.getMessage().contains("recycled");
    }

    private static <T> T causeOf(Throwable e, Class<T> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }
}
