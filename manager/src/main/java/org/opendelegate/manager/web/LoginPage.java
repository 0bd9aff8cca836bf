package org.opendelegate.manager.web;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.time.Duration;
import java.util.Optional;
import org.opendelegate.manager.http.Routes;
import org.opendelegate.manager.security.Secrets;
import org.opendelegate.manager.users.ConsoleSessions;
import org.opendelegate.manager.users.SignInThrottle;
import org.opendelegate.manager.users.SignedIn;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sign-in and sign-out. The sign-in form is protected against login CSRF (an attacker signing a victim
 * into the attacker's account) twice: a pre-session token in a {@code SameSite=Strict} cookie that must
 * equal the form's hidden field (another site can neither read nor set it), and the browser's
 * {@code Origin} header, which must be this Manager when present.
 */
public final class LoginPage implements Routes {
    private static final Logger LOG = LoggerFactory.getLogger(LoginPage.class);
    static final String WRONG = "Wrong username or password.";

    /** The model of the sign-in page. */
    public record LoginModel(String token, String next, String username, String error, String notice, String version) {
        /**
         * True when the form comes back after a refused attempt with the username kept: the password is what
         * to type again, so it gets the focus.
         */
        public boolean retry() {
            return error != null && !username.isEmpty();
        }
    }

    private final ConsoleSessions sessions;
    private final SignInThrottle throttle;
    private final SameOrigin sameOrigin;
    private final Pages pages;

    public LoginPage(ConsoleSessions sessions, SignInThrottle throttle, SameOrigin sameOrigin, Pages pages) {
        this.sessions = sessions;
        this.throttle = throttle;
        this.sameOrigin = sameOrigin;
        this.pages = pages;
    }

    @Override
    public void addTo(RoutesConfig routes) {
        routes.get("/", ctx -> ctx.redirect("/setup/delegates", HttpStatus.SEE_OTHER));
        routes.get("/login", this::show);
        routes.post("/login", this::signIn);
        routes.post("/logout", this::signOut);
    }

    private void show(Context ctx) {
        String next = ConsoleRequests.safeNext(ctx.queryParam("next"));
        if (sessions.find(SessionCookie.session(ctx), true).isPresent()) {
            ctx.redirect(next, HttpStatus.SEE_OTHER);
            return;
        }
        String notice = ctx.queryParam("expired") != null
                ? "Your session ended. Sign in again to continue."
                : ctx.queryParam("signedOut") != null ? "You are signed out." : null;
        form(ctx, next, "", null, notice);
    }

    private void signIn(Context ctx) {
        FormBody.check(ctx);
        // Bounded, so that the throttle's memory is too; no username is longer than 64 characters.
        String username = Optional.ofNullable(ctx.formParam("username"))
                .map(u -> u.length() > 100 ? u.substring(0, 100) : u)
                .orElse("");
        String next = ConsoleRequests.safeNext(ctx.formParam("next"));
        if (!sameOrigin.test(ctx) || !Csrf.same(ctx.formParam(Csrf.FIELD), SessionCookie.signInToken(ctx))) {
            ctx.status(403);
            form(
                    ctx,
                    next,
                    username,
                    "This sign-in form has expired or did not come from this Manager. "
                            + "It has been reloaded: sign in again.",
                    null);
            return;
        }
        String address = ctx.ip();
        Duration wait = throttle.waitFor(username, address);
        if (!wait.isZero()) {
            ctx.status(429).header("Retry-After", seconds(wait));
            form(ctx, next, username, "Too many failed sign-ins. Wait " + seconds(wait) + " s, then try again.", null);
            return;
        }
        Optional<ConsoleSessions.Started> started =
                sessions.signIn(username, ctx.formParam("password"), SessionCookie.session(ctx), address);
        if (started.isEmpty()) {
            Duration nextWait = throttle.failed(username, address);
            LOG.info("Console sign-in failed for username {} from {}", UserNames.forLog(username), address);
            ctx.status(401);
            if (!nextWait.isZero()) {
                ctx.header("Retry-After", seconds(nextWait));
            }
            form(
                    ctx,
                    next,
                    username,
                    WRONG,
                    nextWait.isZero()
                            ? null
                            : "After several failed attempts, the next one is possible in " + seconds(nextWait)
                                    + " s.");
            return;
        }
        throttle.succeeded(username, address);
        SessionCookie.setSession(ctx, started.get().cookieValue());
        SessionCookie.clearSignIn(ctx);
        ctx.redirect(next, HttpStatus.SEE_OTHER);
    }

    private void signOut(Context ctx) {
        Optional<SignedIn> signedIn = sessions.find(SessionCookie.session(ctx), false);
        if (signedIn.isPresent()) {
            Csrf.check(ctx, signedIn.get().csrfToken());
            sessions.signOut(signedIn.get(), ctx.ip());
        }
        SessionCookie.clearSession(ctx);
        ctx.redirect("/login?signedOut=1", HttpStatus.SEE_OTHER);
    }

    private void form(Context ctx, String next, String username, String error, String notice) {
        String token = Secrets.generate("");
        SessionCookie.setSignIn(ctx, token);
        pages.render(ctx, "login.jte", new LoginModel(token, next, username, error, notice, pages.version()));
    }

    private static String seconds(Duration d) {
        return String.valueOf(Math.max(1, (d.toMillis() + 999) / 1000));
    }
}
