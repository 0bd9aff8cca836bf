package org.opendelegate.delegate.client;

import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import javax.net.ssl.SSLException;
import org.opendelegate.protocol.Problem;
import org.opendelegate.protocol.ProblemCodes;
import org.opendelegate.protocol.ProtocolJson;

/**
 * The one place that decides what a failed Manager call means. The problem {@code code} wins over
 * the HTTP status, because a load balancer in front of the Manager can produce the same statuses
 * without a code. Every server-side failure (5xx, 408, 429) and every network failure is retryable:
 * the delegate keeps its tasks running and reconnects by itself.
 */
public final class FailureClassifier {
    private FailureClassifier() {}

    /** Classifies a call that got no answer. */
    public static ManagerCallException fromIo(IOException e) {
        String reason = reason(e);
        return new ManagerCallException(
                FailureKind.RETRYABLE, "Manager unreachable (" + reason + ")", reason, Duration.ZERO, e);
    }

    /** Classifies a non-2xx answer. */
    public static ManagerCallException fromReply(HttpReply reply) {
        Problem problem = problem(reply);
        String code = problem == null || problem.code() == null ? "" : problem.code();
        FailureKind kind = kind(reply.status(), code);
        String answer = answer(reply, problem);
        return new ManagerCallException(
                kind, describe(kind, reply, answer), answer, retryAfter(reply.retryAfter()), null);
    }

    /** Classifies a 2xx answer whose body is not what the protocol promises. */
    public static ManagerCallException badBody(HttpReply reply, Exception e) {
        String answer = "HTTP " + reply.status() + " with " + reply.contentType() + " that is not the OpenDelegate"
                + " protocol ("
                + String.valueOf(e.getMessage()).lines().findFirst().orElse("") + ")";
        return new ManagerCallException(
                FailureKind.RETRYABLE,
                "Unexpected answer from the Manager: " + answer + "; check that MANAGER_URL points at the Manager",
                answer,
                Duration.ZERO,
                e);
    }

    static FailureKind kind(int status, String code) {
        FailureKind byCode = switch (code) {
            // A session credential the Manager does not know (it lost its state, or a call of a session this
            // delegate just replaced): register again, as for an unknown session.
            case ProblemCodes.UNKNOWN_SESSION, ProblemCodes.SESSION_INVALID -> FailureKind.UNKNOWN_SESSION;
            case ProblemCodes.SESSION_REPLACED -> FailureKind.SESSION_REPLACED;
            case ProblemCodes.LEASE_LOST, ProblemCodes.LEASE_NOT_YOURS -> FailureKind.LEASE_LOST;
            case ProblemCodes.TOKEN_ALREADY_USED -> FailureKind.TOKEN_ALREADY_USED;
            case ProblemCodes.UNAUTHORIZED, ProblemCodes.UNSUPPORTED_PROTOCOL -> FailureKind.UNAUTHORIZED;
            default -> null;
        };
        if (byCode != null) {
            return byCode;
        }
        if (status == 401 || status == 403) {
            return FailureKind.UNAUTHORIZED;
        }
        if (status == 408 || status == 429 || status >= 500) {
            return FailureKind.RETRYABLE;
        }
        return FailureKind.REJECTED;
    }

    private static String answer(HttpReply reply, Problem problem) {
        String detail = problem != null && problem.detail() != null ? problem.detail() : snippet(reply.body());
        if (problem != null && problem.errors() != null && !problem.errors().isEmpty()) {
            StringBuilder fields = new StringBuilder(detail).append(" [");
            problem.errors()
                    .forEach(e -> fields.append(e.field())
                            .append(": ")
                            .append(e.message())
                            .append("; "));
            detail = fields.substring(0, fields.length() - 2) + "]";
        }
        return "HTTP " + reply.status() + (detail.isEmpty() ? "" : ": " + detail);
    }

    private static String describe(FailureKind kind, HttpReply reply, String answer) {
        if (reply.status() >= 300 && reply.status() < 400) {
            return "The Manager answered with a redirect to " + reply.location()
                    + "; set MANAGER_URL to the address it redirects to";
        }
        return switch (kind) {
            case RETRYABLE -> "Manager unavailable (" + answer + ")";
            case UNAUTHORIZED -> "The Manager refused the delegate (" + answer + ")";
            default -> "The Manager refused the call (" + answer + ")";
        };
    }

    private static Problem problem(HttpReply reply) {
        String type = reply.contentType() == null ? "" : reply.contentType().toLowerCase(Locale.ROOT);
        if (!type.contains("json") || reply.body().length == 0) {
            return null;
        }
        try {
            return ProtocolJson.tolerantReader().forType(Problem.class).readValue(reply.body());
        } catch (IOException e) {
            return null;
        }
    }

    private static String snippet(byte[] body) {
        String text = new String(body, 0, Math.min(body.length, 200), StandardCharsets.UTF_8).strip();
        return text.replaceAll("\\s+", " ");
    }

    private static Duration retryAfter(String header) {
        try {
            return header == null
                    ? Duration.ZERO
                    : Duration.ofSeconds(Math.max(0, Math.min(60, Long.parseLong(header.trim()))));
        } catch (NumberFormatException e) {
            return Duration.ZERO; // an HTTP date: rare for APIs, and the backoff still applies
        }
    }

    private static String reason(IOException e) {
        if (e instanceof ConnectException) {
            return e.getMessage() != null && e.getMessage().contains("timed out")
                    ? "connect timed out"
                    : "connection refused";
        }
        if (e instanceof UnknownHostException) {
            return "unknown host " + e.getMessage();
        }
        if (e instanceof NoRouteToHostException) {
            return "no route to host";
        }
        if (e instanceof SocketTimeoutException) {
            return e.getMessage() == null ? "timed out" : e.getMessage().toLowerCase(Locale.ROOT);
        }
        if (e instanceof SSLException) {
            return "TLS failed: " + e.getMessage()
                    + "; if the Manager uses a private CA or a self-signed certificate, set MANAGER_CA_CERT or"
                    + " MANAGER_CERT_SHA256";
        }
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return message.toLowerCase(Locale.ROOT).startsWith("connection reset") ? "connection reset" : message;
    }
}
