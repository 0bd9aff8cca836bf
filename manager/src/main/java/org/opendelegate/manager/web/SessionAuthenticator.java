package org.opendelegate.manager.web;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.opendelegate.manager.http.Routes;
import org.opendelegate.manager.problems.DomainProblem;
import org.opendelegate.manager.users.ConsoleSessions;
import org.opendelegate.manager.users.SignedIn;

/**
 * The before-handler of console pages: finds the session behind the cookie, puts the signed-in user and
 * their {@link org.opendelegate.manager.security.Principal} on the request, and checks the CSRF token of
 * every state-changing request. Without a session, a page load goes to the sign-in page and an htmx
 * request is told to go there.
 */
public final class SessionAuthenticator implements Routes {
    /** Sent by requests the page makes by itself (live refresh); they do not count as activity. */
    static final String LIVE_HEADER = "X-Console-Live";

    private final ConsoleSessions sessions;

    public SessionAuthenticator(ConsoleSessions sessions) {
        this.sessions = sessions;
    }

    /** Every console page lives under {@code /setup}, {@code /tasks} or {@code /deployments}; all of it needs a session. */
    @Override
    public void addTo(RoutesConfig routes) {
        for (String root : List.of("/setup", "/tasks", "/deployments")) {
            Routes.beforeUnder(routes, root, this::authenticate);
        }
    }

    public void authenticate(Context ctx) {
        boolean active = ctx.header(LIVE_HEADER) == null;
        Optional<SignedIn> signedIn = sessions.find(SessionCookie.session(ctx), active);
        if (signedIn.isEmpty()) {
            refuse(ctx);
            return;
        }
        if (Csrf.changesState(ctx)) {
            FormBody.check(ctx);
            Csrf.check(ctx, signedIn.get().csrfToken());
        }
        ConsoleRequests.attach(ctx, signedIn.get());
    }

    private static void refuse(Context ctx) {
        if (ConsoleRequests.isHtmx(ctx)) {
            // A live refresh or a click on a page whose session ended: back to that page after signing in.
            ctx.header("HX-Redirect", "/login?expired=1" + nextOf(ctx.header("HX-Current-URL")));
            throw DomainProblem.unauthorized("Your session has ended; sign in again.");
        }
        if (ctx.method().name().equals("GET")) {
            String next = URLEncoder.encode(ctx.path(), StandardCharsets.UTF_8);
            ctx.redirect("/login?next=" + next, HttpStatus.SEE_OTHER);
            ctx.skipRemainingHandlers();
            return;
        }
        throw DomainProblem.unauthorized("Sign in to the console first.");
    }

    /**
     * The {@code next} parameter for the page htmx says the browser shows (its path and query only), or nothing
     * when it names none; {@code LoginPage} checks it again before following it.
     */
    static String nextOf(String currentUrl) {
        if (currentUrl == null) {
            return "";
        }
        try {
            URI uri = new URI(currentUrl);
            String path = uri.getRawPath();
            if (path == null || !path.startsWith("/") || path.startsWith("/login")) {
                return "";
            }
            String page = uri.getRawQuery() == null ? path : path + "?" + uri.getRawQuery();
            return "&next=" + URLEncoder.encode(page, StandardCharsets.UTF_8);
        } catch (URISyntaxException e) {
            return "";
        }
    }
}
