package org.opendelegate.manager.web;

import io.javalin.http.Context;
import org.opendelegate.manager.security.Principal;
import org.opendelegate.manager.security.Role;
import org.opendelegate.manager.store.ConsoleUser;

/**
 * The person behind a console request: who, in which role, and the CSRF token of their session.
 *
 * @param sessionHash the stored hash of the session id, to end the session on sign-out
 */
public record SignedIn(String userId, String accountId, String username, Role role, String csrfToken,
        String sessionHash) {
    static final String ATTRIBUTE = "opendelegate.signedIn";

    static SignedIn of(ConsoleUser user, String csrfToken, String sessionHash) {
        return new SignedIn(user.id(), user.accountId(), user.username(), user.role(), csrfToken, sessionHash);
    }

    /** The signed-in user of this request; the session filter guarantees one on console pages. */
    static SignedIn of(Context ctx) {
        SignedIn signedIn = ctx.attribute(ATTRIBUTE);
        if (signedIn == null) {
            throw new IllegalStateException("console page without a session: the route is outside the filter");
        }
        return signedIn;
    }

    /** The same person as the services see every caller. */
    public Principal principal() {
        return new Principal(accountId, "user:" + username, role);
    }

    /** True when the console should offer changes (the server checks again on every change). */
    public boolean canChange() {
        return role == Role.ADMIN;
    }

    public String roleLabel() {
        return role == Role.ADMIN ? "Admin" : "Viewer";
    }
}
