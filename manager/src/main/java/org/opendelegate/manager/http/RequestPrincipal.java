package org.opendelegate.manager.http;

import io.javalin.http.Context;
import org.opendelegate.manager.problems.DomainProblem;
import org.opendelegate.manager.security.Principal;

/** The {@link Principal} of an HTTP request: an authentication filter puts it on, resources read it. */
public final class RequestPrincipal {
    private static final String ATTRIBUTE = "opendelegate.principal";

    private RequestPrincipal() {}

    /** The principal the authentication filter put on this request. */
    public static Principal of(Context ctx) {
        Principal principal = ctx.attribute(ATTRIBUTE);
        if (principal == null) {
            throw DomainProblem.unauthorized("Sign in or send `Authorization: Bearer <api key>`.");
        }
        return principal;
    }

    /** True when a filter already authenticated this request (a console session, say). */
    static boolean isPresent(Context ctx) {
        return ctx.attribute(ATTRIBUTE) != null;
    }

    /** Puts a principal on the request (an authentication filter does this). */
    public static void attach(Context ctx, Principal principal) {
        ctx.attribute(ATTRIBUTE, principal);
    }
}
