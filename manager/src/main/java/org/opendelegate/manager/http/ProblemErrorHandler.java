package org.opendelegate.manager.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;
import org.opendelegate.protocol.Problem;
import org.opendelegate.protocol.ProtocolJson;

/**
 * Jetty's answer to a request it refuses before Javalin sees it (a path with a NUL or an ambiguous escape,
 * headers over the size limit, a path that is not UTF-8): a problem+json like every other refusal, instead of
 * Jetty's HTML page — for every method (Jetty's own handler writes no body for PUT, PATCH or DELETE).
 */
final class ProblemErrorHandler extends ErrorHandler {
    @Override
    public boolean errorPageForMethod(String method) {
        return true;
    }

    @Override
    protected void generateResponse(
            Request request, Response response, int status, String message, Throwable cause, Callback callback) {
        String detail = switch (status) {
            case 431 -> "The request's headers are larger than the Manager accepts. Send fewer or shorter headers.";
            case 400 ->
                "The request could not be read"
                        + (message == null || message.isBlank() ? "" : " (" + message + ")")
                        + ". Check its path and escapes (%XX) and resend.";
            default -> message == null || message.isBlank() ? "The request was refused." : message + ".";
        };
        Problem problem = new Problem(
                "about:blank",
                status == 431 ? "Request headers too large" : "Bad request",
                status,
                detail,
                status == 431 ? "HEADERS_TOO_LARGE" : "INVALID_REQUEST",
                null);
        byte[] body;
        try {
            body = ProtocolJson.mapper().writeValueAsBytes(problem);
        } catch (JsonProcessingException e) {
            body = new byte[0];
        }
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/problem+json");
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        response.write(true, ByteBuffer.wrap(body), callback);
    }
}
