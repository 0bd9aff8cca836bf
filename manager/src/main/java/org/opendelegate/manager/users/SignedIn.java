package org.opendelegate.manager.users;

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

    /** True when the console should offer changes (the services check again on every change). */
    public boolean canChange() {
        return role == Role.ADMIN;
    }

    public String roleLabel() {
        return role.label();
    }
}
