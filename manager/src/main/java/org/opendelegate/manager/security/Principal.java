package org.opendelegate.manager.security;

import java.util.List;
import java.util.Locale;
import org.opendelegate.manager.problems.DomainProblem;

/**
 * Who is calling a service: an account, a name for the audit trail, and a role. The HTTP adapters find it
 * on the request (an API key or a console session); services take it as a plain value.
 *
 * @param actor e.g. {@code api-key:bootstrap} or {@code user:alice}
 */
public record Principal(String accountId, String actor, Role role) {

    /** Refuses (forbidden) unless the principal may administer the account. */
    public Principal requireAdmin() {
        return require(Permission.ADMINISTER);
    }

    /** Refuses (forbidden) unless the principal may run and cancel tasks (admins and operators). */
    public Principal requireTaskRunner() {
        return require(Permission.RUN_TASKS);
    }

    /** Whether the principal has the permission. */
    public boolean may(Permission permission) {
        return role.may(permission);
    }

    /** Refuses (forbidden) unless the principal has the permission; the message names the roles that have it. */
    public Principal require(Permission permission) {
        if (!role.may(permission)) {
            throw DomainProblem.forbidden("This needs the " + roles(permission) + " role (to "
                    + permission.description() + "); " + actor + " has the "
                    + role.name().toLowerCase(Locale.ROOT) + " role, which "
                    + role.summary() + ".");
        }
        return this;
    }

    private static String roles(Permission permission) {
        List<String> names = Role.with(permission).stream()
                .map(r -> r.name().toLowerCase(Locale.ROOT))
                .toList();
        return names.size() == 1 ? names.get(0) : String.join(" or ", names);
    }
}
