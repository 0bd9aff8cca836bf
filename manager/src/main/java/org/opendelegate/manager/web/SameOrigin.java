package org.opendelegate.manager.web;

import io.javalin.http.Context;
import java.net.URI;
import java.util.Locale;

/**
 * Checks the browser's {@code Origin} header on the sign-in form: it must be this Manager, as the
 * browser reached it (scheme and Host) or as configured ({@code OPENDELEGATE_EXTERNAL_URL}). A request
 * without the header (not a browser) passes; browsers always send it on a POST.
 */
public final class SameOrigin {
    private final String externalOrigin;

    public SameOrigin(URI externalUrl) {
        this.externalOrigin = origin(externalUrl.getScheme(), externalUrl.getRawAuthority());
    }

    public boolean test(Context ctx) {
        String origin = ctx.header("Origin");
        if (origin == null) {
            return true;
        }
        String presented = origin.trim().toLowerCase(Locale.ROOT);
        String host = ctx.header("Host");
        String scheme = SessionCookie.overTls(ctx) ? "https" : "http";
        return presented.equals(externalOrigin) || (host != null && presented.equals(origin(scheme, host)));
    }

    private static String origin(String scheme, String authority) {
        String a = authority == null ? "" : authority.toLowerCase(Locale.ROOT);
        if (scheme.equals("http") && a.endsWith(":80")) {
            a = a.substring(0, a.length() - 3);
        } else if (scheme.equals("https") && a.endsWith(":443")) {
            a = a.substring(0, a.length() - 4);
        }
        return scheme.toLowerCase(Locale.ROOT) + "://" + a;
    }
}
