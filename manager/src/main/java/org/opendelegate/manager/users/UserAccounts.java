package org.opendelegate.manager.users;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.opendelegate.manager.problems.DomainProblem;
import org.opendelegate.manager.security.Principal;
import org.opendelegate.manager.security.Role;
import org.opendelegate.manager.security.Secrets;
import org.opendelegate.manager.store.AuditDao;
import org.opendelegate.manager.store.ConsoleUser;
import org.opendelegate.manager.store.SessionDao;
import org.opendelegate.manager.store.UserDao;
import org.opendelegate.protocol.Problem;

/**
 * Console users: list, add, reset a password, change a role, disable, enable, delete, check a sign-in.
 * The REST API and the console both go through here. The account always keeps an active admin: a change
 * that would take away the last one is refused ({@code LAST_ADMIN}).
 */
public final class UserAccounts {
    /** The user the first start creates. */
    public static final String ADMIN_USERNAME = "admin";

    private static final Pattern CONTROL = Pattern.compile("\\p{Cntrl}");
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
                null,
                false,
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
     * Changes a user's role and/or disabled state (admin only). Disabling ends the user's console sessions
     * at once; their API keys stop on their next call. Nothing changes when the change would leave the
     * account without an active admin, or when an admin would disable themselves.
     *
     * @param role the new role, or null to keep it
     * @param disabled the new state, or null to keep it
     */
    public UserView change(Principal principal, String id, String role, Boolean disabled) {
        principal.requireAdmin();
        if (role == null && disabled == null) {
            throw DomainProblem.invalid(List.of(
                    new Problem.FieldError("role", "or `disabled` is required: send what should change."),
                    new Problem.FieldError("disabled", "or `role` is required: send what should change.")));
        }
        ConsoleUser before = find(principal, id);
        Role newRole = role == null ? before.role() : UserRules.role(role);
        boolean newDisabled = disabled == null ? before.disabled() : disabled;
        if (newDisabled && !before.disabled() && isSelf(principal, before)) {
            throw DomainProblem.conflict(
                    "CANNOT_DISABLE_SELF",
                    "You cannot disable your own user `" + before.username()
                            + "`: you would lock yourself out. Another admin can do it.");
        }
        if (newRole == before.role() && newDisabled == before.disabled()) {
            return UserView.of(before);
        }
        Instant now = clock.instant();
        Instant disabledAt = newDisabled ? (before.disabled() ? before.disabledAt() : now) : null;
        check(users.update(principal.accountId(), id, newRole, newDisabled, disabledAt), before, "change");
        if (newDisabled && !before.disabled()) {
            int ended = sessions.deleteForUser(id);
            record(principal, now, "user.disabled", before, "sessions-ended=" + ended);
        } else if (!newDisabled && before.disabled()) {
            record(principal, now, "user.enabled", before, null);
        }
        if (newRole != before.role()) {
            record(principal, now, "user.role_changed", before, "from=" + before.role() + " to=" + newRole);
        }
        return user(principal.accountId(), id);
    }

    /** Deletes a user (admin only): their sessions end and their API keys stop. Never yourself, never the last admin. */
    public void delete(Principal principal, String id) {
        principal.requireAdmin();
        ConsoleUser before = find(principal, id);
        if (isSelf(principal, before)) {
            throw DomainProblem.conflict(
                    "CANNOT_DELETE_SELF",
                    "You cannot delete your own user `" + before.username() + "`. Another admin can do it.");
        }
        check(users.delete(principal.accountId(), id), before, "delete");
        record(principal, clock.instant(), "user.deleted", before, "role=" + before.role());
    }

    private ConsoleUser find(Principal principal, String id) {
        return users.find(principal.accountId(), id).orElseThrow(() -> DomainProblem.notFound("user", id));
    }

    private static boolean isSelf(Principal principal, ConsoleUser user) {
        return principal.actor().equals("user:" + user.username());
    }

    private static void check(UserDao.Change change, ConsoleUser before, String what) {
        if (change == UserDao.Change.NOT_FOUND) {
            throw DomainProblem.notFound("user", before.id());
        }
        if (change == UserDao.Change.LAST_ADMIN) {
            throw DomainProblem.conflict(
                    "LAST_ADMIN",
                    "`" + before.username() + "` is the account's last active admin, and the account must keep one; "
                            + "nothing was changed. Make another user an admin first, then " + what + " `"
                            + before.username() + "`.");
        }
    }

    private void record(Principal principal, Instant at, String action, ConsoleUser user, String more) {
        audit.record(
                principal.accountId(),
                at,
                principal.actor(),
                action,
                "user",
                user.id(),
                "username=" + user.username() + (more == null ? "" : " " + more));
    }

    /**
     * A failed sign-in, for the audit trail: in the account of the user it named, or, when no user has
     * that name, in the given (the Manager's first) account.
     */
    public void recordSignInFailure(String username, String address, String fallbackAccountId) {
        String name = UserRules.normalizeUsername(username);
        Optional<ConsoleUser> user = users.findByUsername(name);
        String shown = name.length() > 64 ? name.substring(0, 64) : name;
        audit.record(
                user.map(ConsoleUser::accountId).orElse(fallbackAccountId),
                clock.instant(),
                "anonymous",
                "user.sign-in-failed",
                "user",
                user.map(ConsoleUser::id).orElse(null),
                "username=" + CONTROL.matcher(shown).replaceAll("?") + " address=" + address
                        + user.map(u -> u.disabled() ? " reason=disabled" : "").orElse(" reason=unknown-user"));
    }

    public void recordSignOut(SignedIn user, String address) {
        audit.record(
                user.accountId(),
                clock.instant(),
                "user:" + user.username(),
                "user.signed-out",
                "user",
                user.userId(),
                "address=" + address);
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
        // A disabled user gets the same answer as a wrong password: the sign-in form tells nobody who exists.
        return user.filter(u -> hasher.matches(password, u.passwordHash())).filter(ConsoleUser::active);
    }

    public Optional<ConsoleUser> find(String userId) {
        return users.findById(userId);
    }

    public void recordSignIn(ConsoleUser user, String address) {
        Instant now = clock.instant();
        users.recordSignIn(user.id(), now);
        audit.record(
                user.accountId(),
                now,
                "user:" + user.username(),
                "user.signed-in",
                "user",
                user.id(),
                "address=" + address);
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
                Secrets.newId(),
                accountId,
                ADMIN_USERNAME,
                hasher.hash(chosen),
                Role.ADMIN,
                "system",
                now,
                now,
                null,
                false,
                null);
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
