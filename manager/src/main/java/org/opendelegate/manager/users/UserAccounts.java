package org.opendelegate.manager.users;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.opendelegate.manager.problems.DomainProblem;
import org.opendelegate.manager.security.Principal;
import org.opendelegate.manager.security.Role;
import org.opendelegate.manager.security.Secrets;
import org.opendelegate.manager.store.AuditDao;
import org.opendelegate.manager.store.ConsoleUser;
import org.opendelegate.manager.store.SessionDao;
import org.opendelegate.manager.store.UserDao;

/**
 * Console users: list, add, reset a password, check a sign-in. The REST API and the console both go
 * through here.
 */
public final class UserAccounts {
    /** The user the first start creates. */
    public static final String ADMIN_USERNAME = "admin";

    private static final String PASSWORD_ALPHABET = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";

    private final UserDao users;
    private final SessionDao sessions;
    private final AuditDao audit;
    private final PasswordHasher hasher;
    private final Clock clock;

    public UserAccounts(UserDao users, SessionDao sessions, AuditDao audit, PasswordHasher hasher, Clock clock) {
        this.users = users;
        this.sessions = sessions;
        this.audit = audit;
        this.hasher = hasher;
        this.clock = clock;
    }

    public List<UserView> list(String accountId) {
        return users.list(accountId).stream().map(UserView::of).toList();
    }

    public UserView user(String accountId, String id) {
        return users.find(accountId, id).map(UserView::of).orElseThrow(() -> DomainProblem.notFound("user", id));
    }

    /** Adds a user with an initial password (admin only). */
    public UserView create(Principal principal, String username, String role, String password) {
        principal.requireAdmin();
        String name = UserRules.username(username);
        Role parsedRole = UserRules.role(role);
        String checked = UserRules.password("password", password);
        Instant now = clock.instant();
        ConsoleUser user = new ConsoleUser(
                Secrets.newId(),
                principal.accountId(),
                name,
                hasher.hash(checked),
                parsedRole,
                principal.actor(),
                now,
                now,
                null);
        if (!users.insert(user)) {
            throw DomainProblem.conflict("DUPLICATE_USERNAME", "The username `" + name + "` is taken; pick another.");
        }
        audit.record(
                principal.accountId(),
                now,
                principal.actor(),
                "user.created",
                "user",
                user.id(),
                "username=" + name + " role=" + parsedRole);
        return UserView.of(user);
    }

    /** Sets a new password (admin only) and signs the user out everywhere. */
    public UserView resetPassword(Principal principal, String id, String password) {
        principal.requireAdmin();
        ConsoleUser user = users.find(principal.accountId(), id).orElseThrow(() -> DomainProblem.notFound("user", id));
        String checked = UserRules.password("password", password);
        Instant now = clock.instant();
        users.updatePassword(principal.accountId(), id, hasher.hash(checked), now);
        int ended = sessions.deleteForUser(id);
        audit.record(
                principal.accountId(),
                now,
                principal.actor(),
                "user.password-reset",
                "user",
                id,
                "username=" + user.username() + " sessions-ended=" + ended);
        return user(principal.accountId(), id);
    }

    /**
     * The user when the username and password match, else empty. Takes about as long for an unknown
     * username as for a wrong password, so the answer's timing does not tell which part was wrong.
     */
    public Optional<ConsoleUser> checkPassword(String username, String password) {
        if (password == null || password.isEmpty() || password.length() > UserRules.MAX_PASSWORD) {
            return Optional.empty();
        }
        Optional<ConsoleUser> user = users.findByUsername(UserRules.normalizeUsername(username));
        if (user.isEmpty()) {
            hasher.spendVerificationTime(password);
            return Optional.empty();
        }
        return user.filter(u -> hasher.matches(password, u.passwordHash()));
    }

    public Optional<ConsoleUser> find(String userId) {
        return users.findById(userId);
    }

    public void recordSignIn(ConsoleUser user) {
        Instant now = clock.instant();
        users.recordSignIn(user.id(), now);
        audit.record(user.accountId(), now, "user:" + user.username(), "user.signed-in", "user", user.id(), null);
    }

    /**
     * Creates the {@code admin} user when the account has no user yet: with the given password, or a
     * generated one that is returned to be printed once.
     */
    public Optional<String> bootstrapAdmin(String accountId, Optional<String> password) {
        if (users.count(accountId) > 0) {
            return Optional.empty();
        }
        String chosen = password.orElseGet(UserAccounts::generatePassword);
        Instant now = clock.instant();
        ConsoleUser admin = new ConsoleUser(
                Secrets.newId(), accountId, ADMIN_USERNAME, hasher.hash(chosen), Role.ADMIN, "system", now, now, null);
        if (!users.insert(admin)) {
            return Optional.empty();
        }
        audit.record(accountId, now, "system", "user.created", "user", admin.id(), "username=admin role=ADMIN");
        return password.isPresent() ? Optional.empty() : Optional.of(chosen);
    }

    /** 20 characters from an alphabet without look-alikes (about 116 bits). */
    static String generatePassword() {
        SecureRandom random = new SecureRandom();
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 20; i++) {
            sb.append(PASSWORD_ALPHABET.charAt(random.nextInt(PASSWORD_ALPHABET.length())));
        }
        return sb.toString();
    }
}
