package org.opendelegate.manager.http;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import java.util.UUID;
import java.util.concurrent.RejectedExecutionException;
import org.opendelegate.manager.problems.DomainProblem;
import org.opendelegate.manager.problems.ProblemKind;
import org.opendelegate.protocol.Problem;
import org.opendelegate.protocol.ProblemCodes;
import org.opendelegate.protocol.ProtocolJson;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place that turns failures into {@code application/problem+json}. A 500 is always a bug: it is
 * logged with an error id the user can quote, and the body says nothing internal.
 */
public final class ProblemRenderer {
    private static final Logger LOG = LoggerFactory.getLogger(ProblemRenderer.class);

    private ProblemRenderer() {}

    /** Installs the exception and error handlers; {@code pages} answers people's browsers. */
    public static void install(RoutesConfig routes, ProblemPage pages) {
        routes.exception(DomainProblem.class, (e, ctx) -> {
            if (e.extensions().get("retryAfterSeconds") instanceof Long seconds) {
                ctx.header("Retry-After", String.valueOf(seconds));
            }
            if (e.extensions().isEmpty() || pages.wants(ctx)) {
                render(ctx, toProblem(e), pages);
            } else {
                renderWith(ctx, toProblem(e), e.extensions());
            }
        });
        routes.exception(HttpResponseException.class, (e, ctx) -> render(ctx, fromJavalin(e, ctx), pages));
        // Work refused because the Manager is stopping (a store writer already closed): try again shortly,
        // another replica or the restarted Manager will take it.
        routes.exception(
                RejectedExecutionException.class,
                (e, ctx) -> render(
                        ctx,
                        problem(
                                "Shutting down",
                                503,
                                "The Manager is shutting down; send the request again in a moment.",
                                "SHUTTING_DOWN"),
                        pages));
        routes.exception(Exception.class, (e, ctx) -> {
            if (ClientFailures.hungUp(e, ctx)) {
                return;
            }
            Problem clients = ClientFailures.answer(e, ctx);
            if (clients != null) {
                render(ctx, clients, pages);
                return;
            }
            if (storeUnreachable(e)) {
                // Not a bug: this replica lost its database for a moment; another replica (or this one, soon) serves.
                LOG.warn("Store unreachable on {} {}: {}", ctx.method(), ctx.path(), e.getMessage());
                ctx.header("Retry-After", "1");
                render(
                        ctx,
                        problem(
                                "Store unreachable",
                                503,
                                "This Manager replica cannot reach its database right now; nothing was changed by this"
                                        + " request. Send it again in a moment.",
                                "STORE_UNREACHABLE"),
                        pages);
                return;
            }
            String errorId = UUID.randomUUID().toString();
            LOG.error("Unexpected error {} on {} {}", errorId, ctx.method(), ctx.path(), e);
            render(
                    ctx,
                    problem(
                            "Internal error",
                            500,
                            "The Manager failed unexpectedly; this is a bug. Quote error id " + errorId
                                    + " when reporting it.",
                            "INTERNAL_ERROR"),
                    pages);
        });
        routes.error(404, ctx -> {
            if (!isProblem(ctx) && !isPage(ctx)) {
                render(ctx, notFound(ctx), pages);
            }
        });
        // Jetty's idle timeout while a body is awaited: Javalin sets 408 without a body.
        routes.error(408, ctx -> {
            if (!isProblem(ctx)) {
                render(
                        ctx,
                        problem(
                                "Request too slow",
                                408,
                                "The request body did not arrive in time. Send the whole request at once.",
                                "REQUEST_TOO_SLOW"),
                        pages);
            }
        });
        // A request Javalin refuses before any route runs (a path that is not valid UTF-8) has its own 400 body.
        routes.error(400, ctx -> {
            if (!isProblem(ctx) && !isPage(ctx)) {
                render(
                        ctx,
                        problem(
                                "Bad request",
                                400,
                                "The request could not be read: its path is not well-formed UTF-8. Check its escapes"
                                        + " (%XX) and resend.",
                                ProblemCodes.INVALID_REQUEST),
                        pages);
            }
        });
        routes.error(405, ctx -> {
            if (!isProblem(ctx) && !isPage(ctx)) {
                render(ctx, methodNotAllowed(ctx), pages);
            }
        });
    }

    private static void render(Context ctx, Problem problem, ProblemPage pages) {
        if (pages.wants(ctx)) {
            pages.render(ctx, problem);
        } else {
            render(ctx, problem);
        }
    }

    /** True when a page was already rendered as the answer (its own 404, say). */
    private static boolean isPage(Context ctx) {
        String type = ctx.res().getContentType();
        return type != null && (type.startsWith("text/html") || type.startsWith("text/plain"));
    }

    /** Writes a problem as the response. */
    public static void render(Context ctx, Problem problem) {
        try {
            ctx.status(problem.status())
                    .contentType(Problem.MEDIA_TYPE)
                    .result(ProtocolJson.mapper().writeValueAsString(problem));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("a Problem is always serialisable", e);
        }
    }

    /** Writes a problem with extension members after its standard ones. */
    private static void renderWith(Context ctx, Problem problem, java.util.Map<String, Object> extensions) {
        var body = ProtocolJson.mapper().valueToTree(problem);
        if (body instanceof com.fasterxml.jackson.databind.node.ObjectNode object) {
            extensions.forEach((k, v) -> object.set(k, ProtocolJson.mapper().valueToTree(v)));
        }
        ctx.status(problem.status()).contentType(Problem.MEDIA_TYPE).result(body.toString());
    }

    /** The problem+json body of a domain problem. */
    public static Problem toProblem(DomainProblem e) {
        return new Problem(
                "about:blank",
                e.title(),
                status(e.kind()),
                e.detail(),
                e.code(),
                e.errors().isEmpty() ? null : e.errors());
    }

    /** The one mapping from what went wrong to an HTTP status. */
    public static int status(ProblemKind kind) {
        return switch (kind) {
            case INVALID -> 400;
            case UNRESOLVED_REFERENCE -> 422;
            case UNAUTHORIZED -> 401;
            case FORBIDDEN -> 403;
            case NOT_FOUND -> 404;
            case CONFLICT -> 409;
            case TOO_LARGE -> 413;
            case UNSUPPORTED_FORMAT -> 415;
            case REFUSED_OUTSIDE -> 422;
            case DEPENDENCY_MISSING -> 424;
            case OUTSIDE_FAILED -> 502;
            case UNAVAILABLE -> 503;
            case OUTSIDE_TIMED_OUT -> 504;
            case LIMIT_REACHED -> 429;
            case QUOTA_REACHED -> 409;
        };
    }

    private static boolean isProblem(Context ctx) {
        String type = ctx.res().getContentType();
        return type != null && type.startsWith(Problem.MEDIA_TYPE);
    }

    private static Problem fromJavalin(HttpResponseException e, Context ctx) {
        int status = e.getStatus();
        return switch (status) {
            case 413 ->
                problem(
                        "Payload too large",
                        413,
                        "The request body is too large; send at most 1 MiB.",
                        "PAYLOAD_TOO_LARGE");
            case 404 -> notFound(ctx);
            case 405 -> methodNotAllowed(ctx);
            default -> problem("HTTP " + status, status, e.getMessage(), "HTTP_" + status);
        };
    }

    /** Only a caller of the API is pointed to its description; a console page is not an API call. */
    private static Problem notFound(Context ctx) {
        String detail = "There is nothing at " + ctx.method() + " " + ctx.path() + "."
                + (ctx.path().startsWith("/api/") ? " The API is described at /api/openapi.yaml." : "");
        return problem("Not found", 404, detail, "NOT_FOUND");
    }

    private static Problem methodNotAllowed(Context ctx) {
        return problem(
                "Method not allowed",
                405,
                ctx.method() + " is not supported on " + ctx.path() + ".",
                "METHOD_NOT_ALLOWED");
    }

    /**
     * True when the failure is the store's connection: none could be had from the pool in time, or one broke
     * (SQL states of class 08, "connection exception", or 57P, "operator intervention", as when PostgreSQL shuts
     * down).
     */
    static boolean storeUnreachable(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.sql.SQLTransientConnectionException
                    || t instanceof java.sql.SQLNonTransientConnectionException
                    || (t instanceof java.sql.SQLException sql
                            && sql.getSQLState() != null
                            && (sql.getSQLState().startsWith("08")
                                    || sql.getSQLState().startsWith("57P")))) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }

    /** A problem of no particular type and without field errors. */
    private static Problem problem(String title, int status, String detail, String code) {
        return new Problem("about:blank", title, status, detail, code, null);
    }
}
