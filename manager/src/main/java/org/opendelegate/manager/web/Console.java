package org.opendelegate.manager.web;

import java.net.URI;
import java.time.Clock;
import java.util.List;
import org.opendelegate.manager.config.ManagerConfig;
import org.opendelegate.manager.delegates.DelegateCatalog;
import org.opendelegate.manager.delegates.DelegateTokens;
import org.opendelegate.manager.http.ProblemPage;
import org.opendelegate.manager.http.Routes;
import org.opendelegate.manager.store.SessionDao;
import org.opendelegate.manager.users.UserAccounts;

/**
 * The web console's parts, wired by hand: sessions, sign-in, the pages and their assets. The pages call
 * the same services as the REST API; nothing here decides a business rule.
 */
public final class Console {
    private final ConsoleSessions sessions;
    private final ConsoleErrors errors;
    private final List<Routes> routes;

    public Console(ManagerConfig config, UserAccounts users, SessionDao sessionDao, DelegateCatalog catalog,
            DelegateTokens tokens, String version, Clock clock) {
        Templates templates = new Templates();
        this.sessions = new ConsoleSessions(sessionDao, users, config.console(), clock);
        this.errors = new ConsoleErrors(templates);
        ShellFactory shells = new ShellFactory(version);
        String managerUrl = trimSlash(config.externalUrl());
        this.routes = List.of(
                new ConsoleAssets(),
                new SessionAuthenticator(sessions),
                new LoginPage(users, sessions, new SignInThrottle(clock), new SameOrigin(config.externalUrl()),
                        templates, version),
                new DelegatesPage(catalog, new DelegateBoard(catalog, config.timings().ephemeralRetention(), clock),
                        templates, shells, managerUrl),
                new DelegateTokensPage(tokens, catalog, templates, shells, clock),
                new UsersPage(users, templates, shells, clock));
    }

    public List<Routes> routes() {
        return routes;
    }

    public ProblemPage errors() {
        return errors;
    }

    /** Removes ended sessions from the store; the composition root runs it in the background. */
    public void sweepSessions() {
        sessions.sweep();
    }

    private static String trimSlash(URI url) {
        String s = url.toString();
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }
}
