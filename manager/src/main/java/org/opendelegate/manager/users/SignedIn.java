package org.opendelegate.manager.users;

import org.opendelegate.manager.security.Permission;
import org.opendelegate.manager.security.Principal;
import org.opendelegate.manager.security.Role;
import org.opendelegate.manager.store.ConsoleUser;

/**
 * The person behind a console session: who, in which role, and the CSRF token of their session.
 *
 * @param sessionHash the stored hash of the session id, to end the session on sign-out
 */
public record SignedIn(
        String userId, String accountId, String username, Role role, String csrfToken, String sessionHash) {

    static SignedIn of(ConsoleUser user, String csrfToken, String sessionHash) {
        return new SignedIn(user.id(), user.accountId(), user.username(), user.role(), csrfToken, sessionHash);
    }

    /** The same person as the services see every caller. */
    public Principal principal() {
        return new Principal(accountId, "user:" + username, role);
    }

    /** True when the console should offer account management (the services check again on every change). */
    public boolean canAdminister() {
        return role.may(Permission.ADMINISTER);
    }

    /** True when the console should offer running and cancelling tasks (the services check again). */
    public boolean canRunTasks() {
        return role.may(Permission.RUN_TASKS);
    }

    /** True when the console should offer the audit trail (the service checks again). */
    public boolean canReadAudit() {
        return role.may(Permission.READ_AUDIT);
    }

    public String roleLabel() {
        return role.label();
    }
}
