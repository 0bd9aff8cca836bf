package org.opendelegate.manager.web;

import io.javalin.http.Context;
import java.util.Locale;

/** What kind of console request this is. */
final class ConsoleRequests {
    private ConsoleRequests() {
    }

    /** True for requests htmx makes (it marks them with {@code HX-Request}). */
    static boolean isHtmx(Context ctx) {
        return "true".equals(ctx.header("HX-Request"));
    }

    /**
     * True for requests a person's browser makes to the console, which get HTML errors; the APIs and the
     * operational endpoints keep problem+json.
     */
    static boolean wantsHtml(Context ctx) {
        String path = ctx.path();
        if (path.startsWith("/api/") || path.equals("/healthz") || path.equals("/readyz")
                || path.equals("/metrics")) {
            return false;
        }
        String accept = ctx.header("Accept");
        return isHtmx(ctx) || (accept != null && accept.toLowerCase(Locale.ROOT).contains("text/html"));
    }

    /** A local path to return to after sign-in; anything else (other hosts, odd schemes) goes home. */
    static String safeNext(String next) {
        if (next == null || !next.startsWith("/") || next.startsWith("//") || next.contains("\\")
                || next.length() > 200 || next.startsWith("/login")) {
            return "/setup/delegates";
        }
        return next;
    }
}
