package org.opendelegate.manager.web;

import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import org.opendelegate.manager.problems.DomainProblem;

/**
 * Cross-site request forgery protection. Every session has its own random token; pages put it in a
 * {@code <meta name="csrf-token">} (htmx sends it as {@value #HEADER}, set by console.js) and in a hidden
 * {@value #FIELD} field of every form. A state-changing request without the session's token is refused.
 */
final class Csrf {
    static final String HEADER = "X-CSRF-Token";
    static final String FIELD = "_csrf";

    private Csrf() {}

    static boolean changesState(Context ctx) {
        String method = ctx.method().name();
        return !method.equals("GET") && !method.equals("HEAD") && !method.equals("OPTIONS");
    }

    /** Throws 403 unless the request carries the expected token. */
    static void check(Context ctx, String expected) {
        String presented = ctx.header(HEADER);
        if (presented == null || presented.isBlank()) {
            presented = formField(ctx);
        }
        if (presented == null || presented.isBlank()) {
            throw DomainProblem.forbidden("This request has no CSRF token, so it may not come from the console. "
                    + "Reload the page and try again.");
        }
        if (!same(presented, expected)) {
            throw DomainProblem.forbidden("This form is out of date or did not come from the console (wrong CSRF "
                    + "token). Reload the page and try again.");
        }
    }

    /** Constant-time comparison, so the answer time tells nothing about how much of a guess was right. */
    static boolean same(String a, String b) {
        return a != null
                && b != null
                && MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }

    private static String formField(Context ctx) {
        String type = ctx.contentType();
        if (type == null
                || !(type.startsWith("application/x-www-form-urlencoded") || type.startsWith("multipart/form-data"))) {
            return null;
        }
        return ctx.formParam(FIELD);
    }
}
