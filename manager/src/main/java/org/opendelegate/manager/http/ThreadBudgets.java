package org.opendelegate.manager.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Semaphore;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.opendelegate.protocol.DelegateApiPaths;
import org.opendelegate.protocol.Problem;
import org.opendelegate.protocol.ProtocolJson;

/**
 * Separate thread budgets for delegates and for people, so that a flood on one side (slow sign-in
 * bodies, say) cannot take the threads the other needs. A budget counts the threads inside the handlers:
 * a parked long poll has returned its thread and counts for nothing. A request over its budget is
 * answered 503 at once rather than queued, since a queue would hold its connection and a thread later.
 * The operational endpoints ({@code /healthz}, {@code /readyz}, {@code /metrics}) answer from memory and
 * have no budget.
 */
final class ThreadBudgets extends Handler.Wrapper {
    private final Semaphore delegates;
    private final Semaphore people;

    ThreadBudgets(int delegateThreads, int consoleThreads) {
        this.delegates = new Semaphore(delegateThreads);
        this.people = new Semaphore(consoleThreads);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        Semaphore budget = budgetOf(Request.getPathInContext(request));
        if (budget == null) {
            return super.handle(request, response, callback);
        }
        if (!budget.tryAcquire()) {
            busy(response, callback, budget == delegates);
            return true;
        }
        try {
            return super.handle(request, response, callback);
        } finally {
            budget.release();
        }
    }

    private Semaphore budgetOf(String path) {
        if (path.equals(DelegateApiPaths.ROOT) || path.startsWith(DelegateApiPaths.ROOT + "/")) {
            return delegates;
        }
        if (path.equals("/healthz") || path.equals("/readyz") || path.equals("/metrics")) {
            return null;
        }
        return people;
    }

    private static void busy(Response response, Callback callback, boolean delegate) throws JsonProcessingException {
        Problem problem = new Problem(
                "about:blank",
                "Busy",
                503,
                (delegate
                                ? "The Manager is handling as many delegate calls as it is configured for"
                                : "The Manager is handling as many console and API requests as it is configured for")
                        + "; send the request again in a moment.",
                "BUSY",
                null);
        response.setStatus(503);
        response.getHeaders().put(HttpHeader.RETRY_AFTER, "1");
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, Problem.MEDIA_TYPE);
        byte[] body = ProtocolJson.mapper().writeValueAsString(problem).getBytes(StandardCharsets.UTF_8);
        response.write(true, ByteBuffer.wrap(body), callback);
    }
}
