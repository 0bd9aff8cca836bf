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

    private final String defaultAccountId;

    /** @param defaultAccountId where a failed sign-in with an unknown username is audited */
    public ConsoleSessions(
            SessionDao sessions, UserAccounts users, ConsoleConfig config, Clock clock, String defaultAccountId) {
        this.sessions = sessions;
        this.defaultAccountId = defaultAccountId;
        this.users = users;
        this.config = config;
        this.clock = clock;
    }

    /**
     * Signs a person in when the username and password match and the user is enabled: records the
     * sign-in, ends the browser's earlier session (its cookie value, if any) and starts a new one. Empty
     * (and audited as a failure) otherwise.
     *
     * @param address the client's address, for the audit trail
     */
    public Optional<Started> signIn(String username, String password, String previousCookieValue, String address) {
        Optional<ConsoleUser> user = users.checkPassword(username, password);
        if (user.isEmpty()) {
            users.recordSignInFailure(username, address, defaultAccountId);
            return Optional.empty();
        }
        users.recordSignIn(user.get(), address);
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
        // Read on every request, so that disabling a user stops their open sessions at once on every replica.
        Optional<ConsoleUser> user = users.find(session.userId()).filter(ConsoleUser::active);
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

    /** Signs a person out: ends the session and records it. */
    public void signOut(SignedIn signedIn, String address) {
        end(signedIn.sessionHash());
        users.recordSignOut(signedIn, address);
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
