package org.opendelegate.manager.web;

import io.javalin.http.Context;
import java.util.Locale;

/**
 * The console's cookies. {@code od_session} carries the session id: {@code HttpOnly} (no script reads
 * it), {@code SameSite=Lax} (no cross-site POST carries it), {@code Secure} when the browser reached us
 * over HTTPS, directly or through a proxy that says so with {@code X-Forwarded-Proto}. No
 * {@code Max-Age}: it ends with the browser, and the server ends it earlier (idle or absolute expiry).
 */
final class SessionCookie {
    static final String SESSION = "od_session";
    /** The pre-session token of the sign-in form (double-submit): only this origin can set and send it. */
    static final String SIGN_IN = "od_signin";

    private SessionCookie() {}

    static String session(Context ctx) {
        return ctx.cookie(SESSION);
    }

    static void setSession(Context ctx, String value) {
        set(ctx, SESSION, value, "/", "Lax", -1);
    }

    static void clearSession(Context ctx) {
        set(ctx, SESSION, "", "/", "Lax", 0);
    }

    static String signInToken(Context ctx) {
        return ctx.cookie(SIGN_IN);
    }

    static void setSignIn(Context ctx, String value) {
        set(ctx, SIGN_IN, value, "/login", "Strict", 3600);
    }

    static void clearSignIn(Context ctx) {
        set(ctx, SIGN_IN, "", "/login", "Strict", 0);
    }

    /** True when the browser talks HTTPS to us or to the proxy in front of us. */
    static boolean overTls(Context ctx) {
        String forwarded = ctx.header("X-Forwarded-Proto");
        if (forwarded != null && !forwarded.isBlank()) {
            return forwarded.split(",")[0].trim().toLowerCase(Locale.ROOT).equals("https");
        }
        return "https".equalsIgnoreCase(ctx.scheme());
    }

    private static void set(Context ctx, String name, String value, String path, String sameSite, int maxAge) {
        StringBuilder header = new StringBuilder(name)
                .append('=')
                .append(value)
                .append("; Path=")
                .append(path)
                .append("; HttpOnly; SameSite=")
                .append(sameSite);
        if (maxAge >= 0) {
            header.append("; Max-Age=").append(maxAge);
        }
        if (overTls(ctx)) {
            header.append("; Secure");
        }
        ctx.res().addHeader("Set-Cookie", header.toString());
    }
}
