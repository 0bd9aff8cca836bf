package org.opendelegate.manager.http;

import io.javalin.http.Context;
import org.opendelegate.manager.security.Role;

/**
 * Who is calling the user API: an account, a name for the audit trail, and a role.
 *
 * @param actor e.g. {@code api-key:bootstrap} or {@code user:alice}
 */
public record Principal(String accountId, String actor, Role role) {
    static final String ATTRIBUTE = "opendelegate.principal";

    /** The principal the authentication filter put on this request. */
    public static Principal of(Context ctx) {
        Principal principal = ctx.attribute(ATTRIBUTE);
        if (principal == null) {
            throw ApiException.unauthorized("Sign in or send `Authorization: Bearer <api key>`.");
        }
        return principal;
    }

    /** Puts this principal on the request (an authentication filter does this). */
    public void attachTo(Context ctx) {
        ctx.attribute(ATTRIBUTE, this);
    }

    /** Throws 403 unless the principal is an admin. */
    public Principal requireAdmin() {
        if (role != Role.ADMIN) {
            throw ApiException.forbidden("This needs the admin role; " + actor + " has the "
                    + role.name().toLowerCase(java.util.Locale.ROOT) + " role, which can look but not change.");
        }
        return this;
    }
}
