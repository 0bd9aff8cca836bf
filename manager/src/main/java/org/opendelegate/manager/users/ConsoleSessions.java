package org.opendelegate.manager.users;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.opendelegate.manager.config.ConsoleConfig;
import org.opendelegate.manager.security.Secrets;
import org.opendelegate.manager.store.ConsoleSession;
import org.opendelegate.manager.store.ConsoleUser;
import org.opendelegate.manager.store.SessionDao;

/**
 * Console sessions in the store, so that every Manager replica knows them. The browser holds a random
 * 256-bit id; the store holds its SHA-256 hash, the CSRF token, when it was last used (idle expiry) and
 * its absolute end. Last use is written at most every {@link #touchEvery()}, not on every request.
 */
public final class ConsoleSessions {
    /** A new session: the cookie value, shown to the browser only, and who it belongs to. */
    public record Started(String cookieValue, SignedIn signedIn) {}

    private final SessionDao sessions;
    private final UserAccounts users;
    private final ConsoleConfig config;
    private final Clock clock;

    public ConsoleSessions(SessionDao sessions, UserAccounts users, ConsoleConfig config, Clock clock) {
        this.sessions = sessions;
        this.users = users;
        this.config = config;
        this.clock = clock;
    }

    /**
     * Signs a person in when the username and password match: records the sign-in, ends the browser's
     * earlier session (its cookie value, if any) and starts a new one. Empty when they do not match.
     */
    public Optional<Started> signIn(String username, String password, String previousCookieValue) {
        Optional<ConsoleUser> user = users.checkPassword(username, password);
        if (user.isEmpty()) {
            return Optional.empty();
        }
        users.recordSignIn(user.get());
        find(previousCookieValue, false).ifPresent(s -> end(s.sessionHash()));
        return Optional.of(start(user.get()));
    }

    private Started start(ConsoleUser user) {
        String id = Secrets.generate("");
        String csrf = Secrets.generate("");
        Instant now = clock.instant();
        String hash = Secrets.hash(id);
        sessions.insert(new ConsoleSession(hash, user.id(), csrf, now, now, now.plus(config.sessionMaxAge())));
        return new Started(id, SignedIn.of(user, csrf, hash));
    }

    /**
     * The signed-in user for a cookie value, or empty when there is no such session or it ended.
     *
     * @param active false for requests the browser makes by itself (live refresh), which must not keep
     *     an unattended session alive
     */
    public Optional<SignedIn> find(String cookieValue, boolean active) {
        if (cookieValue == null || cookieValue.isBlank() || cookieValue.length() > 100) {
            return Optional.empty();
        }
        String hash = Secrets.hash(cookieValue);
        Optional<ConsoleSession> found = sessions.find(hash);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        ConsoleSession session = found.get();
        Instant now = clock.instant();
        if (!now.isBefore(session.expiresAt())
                || !now.isBefore(session.lastSeenAt().plus(config.sessionIdleTimeout()))) {
            sessions.delete(hash);
            return Optional.empty();
        }
        Optional<ConsoleUser> user = users.find(session.userId());
        if (user.isEmpty()) {
            sessions.delete(hash);
            return Optional.empty();
        }
        if (active && !now.isBefore(session.lastSeenAt().plus(touchEvery()))) {
            sessions.touch(hash, now);
        }
        return Optional.of(SignedIn.of(user.get(), session.csrfToken(), hash));
    }

    public void end(String sessionHash) {
        sessions.delete(sessionHash);
    }

    /** Removes ended sessions from the store; runs in the background. */
    public void sweep() {
        Instant now = clock.instant();
        sessions.deleteExpired(now, now.minus(config.sessionIdleTimeout()));
    }

    /** A twentieth of the idle timeout, at most a minute: precise enough, and cheap for the store. */
    Duration touchEvery() {
        Duration share = config.sessionIdleTimeout().dividedBy(20);
        return share.compareTo(Duration.ofMinutes(1)) < 0 ? share : Duration.ofMinutes(1);
    }
}
