package org.opendelegate.manager.users;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.opendelegate.manager.problems.DomainProblem;
import org.opendelegate.manager.security.Role;

/** What a username, a password and a role must look like; the messages say how to fix them. */
public final class UserRules {
    public static final String USERNAME_RULE =
            "1 to 64 characters: letters, digits, '.', '_', '-' or '@', starting with a letter or digit";
    public static final int MIN_PASSWORD = 12;
    public static final int MAX_PASSWORD = 200;

    private static final Pattern USERNAME = Pattern.compile("[a-z0-9][a-z0-9._@-]{0,63}");
    private static final Pattern CONTROL = Pattern.compile("\\p{Cntrl}");

    private UserRules() {}

    /** The username in its stored form (trimmed, lower case), or a 400 saying what is wrong. */
    public static String username(String raw) {
        if (raw == null || raw.isBlank()) {
            throw DomainProblem.invalidField("username", "is required; a username has " + USERNAME_RULE + ".");
        }
        String name = normalizeUsername(raw);
        if (!USERNAME.matcher(name).matches()) {
            throw DomainProblem.invalidField(
                    "username",
                    "(\"" + raw.trim() + "\") is not a valid username; " + "a username has " + USERNAME_RULE + ".");
        }
        return name;
    }

    /** Trimmed and lower case, as usernames are stored and looked up. */
    public static String normalizeUsername(String raw) {
        return raw == null ? "" : raw.trim().toLowerCase(Locale.ROOT);
    }

    /** Checks a new password: long enough to resist guessing, bounded, printable. */
    public static String password(String field, String password) {
        if (password == null || password.isEmpty()) {
            throw DomainProblem.invalidField(field, "is required; use at least " + MIN_PASSWORD + " characters.");
        }
        if (password.length() < MIN_PASSWORD) {
            throw DomainProblem.invalidField(
                    field,
                    "has " + password.length() + " characters; use at least " + MIN_PASSWORD
                            + " (a few random words work well).");
        }
        if (password.length() > MAX_PASSWORD) {
            throw DomainProblem.invalidField(
                    field, "has " + password.length() + " characters; at most " + MAX_PASSWORD + " are allowed.");
        }
        if (password.isBlank() || CONTROL.matcher(password).find()) {
            throw DomainProblem.invalidField(field, "must not be blank or contain control characters.");
        }
        return password;
    }

    /** Every role by name, e.g. {@code ADMIN or VIEWER}: new roles appear in messages by themselves. */
    public static String roleNames() {
        List<String> names = Arrays.stream(Role.values()).map(Role::name).toList();
        return names.size() == 1
                ? names.get(0)
                : String.join(", ", names.subList(0, names.size() - 1)) + " or " + names.get(names.size() - 1);
    }

    /** Every role with what it may do: {@code ADMIN (sees and changes everything), ...}. */
    static String roleChoices() {
        return String.join(
                ", ",
                Arrays.stream(Role.values())
                        .map(r -> r.name() + " (" + r.summary() + ")")
                        .toList());
    }

    public static Role role(String raw) {
        if (raw == null || raw.isBlank()) {
            throw DomainProblem.invalidField("role", "is required: " + roleChoices() + ".");
        }
        try {
            return Role.valueOf(raw.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw DomainProblem.invalidField("role", "(\"" + raw + "\") must be " + roleNames() + ".");
        }
    }
}
