package org.opendelegate.manager.web;

import io.javalin.http.Context;
import java.util.Locale;
import java.util.Optional;
import org.opendelegate.manager.http.RequestPrincipal;
import org.opendelegate.manager.users.SignedIn;

/** What kind of console request this is, and who made it. */
final class ConsoleRequests {
    private static final String SIGNED_IN = "opendelegate.signedIn";

    private ConsoleRequests() {}

    /** The signed-in user of this request; the session filter guarantees one on console pages. */
    static SignedIn signedIn(Context ctx) {
        SignedIn signedIn = ctx.attribute(SIGNED_IN);
        if (signedIn == null) {
            throw new IllegalStateException("console page without a session: the route is outside the filter");
        }
        return signedIn;
    }

    /** The signed-in user of this request, if the session filter attached one. */
    static Optional<SignedIn> signedInIfAny(Context ctx) {
        return Optional.ofNullable(ctx.attribute(SIGNED_IN));
    }

    /** Puts the signed-in user, and the principal the services see, on the request. */
    static void attach(Context ctx, SignedIn signedIn) {
        ctx.attribute(SIGNED_IN, signedIn);
        RequestPrincipal.attach(ctx, signedIn.principal());
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
        if (path.startsWith("/api/") || path.equals("/healthz") || path.equals("/readyz") || path.equals("/metrics")) {
            return false;
        }
        String accept = ctx.header("Accept");
        return isHtmx(ctx) || (accept != null && accept.toLowerCase(Locale.ROOT).contains("text/html"));
    }

    /** A local path to return to after sign-in; anything else (other hosts, odd schemes) goes home. */
    static String safeNext(String next) {
        return NextPath.orHome(next);
    }
}
