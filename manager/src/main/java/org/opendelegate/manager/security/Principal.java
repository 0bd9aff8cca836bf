package org.opendelegate.manager.security;

import java.util.Locale;
import org.opendelegate.manager.problems.DomainProblem;

/**
 * Who is calling a service: an account, a name for the audit trail, and a role. The HTTP adapters find it
 * on the request (an API key or a console session); services take it as a plain value.
 *
 * @param actor e.g. {@code api-key:bootstrap} or {@code user:alice}
 */
public record Principal(String accountId, String actor, Role role) {

    /** Refuses (forbidden) unless the principal is an admin. */
    public Principal requireAdmin() {
        if (role != Role.ADMIN) {
            throw DomainProblem.forbidden("This needs the admin role; " + actor + " has the "
                    + role.name().toLowerCase(Locale.ROOT) + " role, which can look but not change.");
        }
        return this;
    }
}
