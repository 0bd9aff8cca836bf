package org.opendelegate.manager.delegates;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.opendelegate.manager.problems.DomainProblem;
import org.opendelegate.manager.problems.FieldRules;
import org.opendelegate.manager.store.GroupScopes;
import org.opendelegate.protocol.Problem;

/**
 * The rules for scopes people enter on groups and tasks: dimension names, values, the fixed values of
 * {@code environmentType}, and where {@code *} is allowed.
 */
public final class ScopeRules {
    private static final Pattern DIMENSION = Pattern.compile("[a-zA-Z][a-zA-Z0-9_-]{0,31}");
    private static final int MAX_SCOPES = 20;
    /** The column that holds a group's scopes. */
    private static final int GROUP_SCOPES_COLUMN = 8000;

    private static final String ENVIRONMENT_TYPE = GroupScopes.ENVIRONMENT_TYPE;

    private ScopeRules() {}

    /** Checks scopes a person entered; every problem is reported with its place. */
    public static GroupScopes validate(GroupScopes scopes) {
        List<Problem.FieldError> errors = new ArrayList<>();
        GroupScopes normalized =
                new GroupScopes(check(errors, "include", scopes.include()), check(errors, "exclude", scopes.exclude()));
        if (!errors.isEmpty()) {
            throw DomainProblem.invalid(errors);
        }
        new FieldRules()
                .stored("include", storedLength(normalized), GROUP_SCOPES_COLUMN)
                .throwIfAny();
        return normalized;
    }

    /** The characters of the scopes' JSON, {@code {"include":[...],"exclude":[...]}}, as the store keeps it. */
    private static int storedLength(GroupScopes scopes) {
        int length = 27;
        for (Map<String, String> scope : scopes.include()) {
            length += FieldRules.jsonLength(scope) + 1;
        }
        for (Map<String, String> scope : scopes.exclude()) {
            length += FieldRules.jsonLength(scope) + 1;
        }
        return length;
    }

    /** Checks a task's scope target. */
    public static Map<String, String> validateTarget(String field, Map<String, String> target) {
        if (target == null || target.isEmpty()) {
            return Map.of();
        }
        List<Problem.FieldError> errors = new ArrayList<>();
        Map<String, String> normalized = checkFields(errors, field, target, false);
        if (!errors.isEmpty()) {
            throw DomainProblem.invalid(errors);
        }
        return normalized;
    }

    private static List<Map<String, String>> check(
            List<Problem.FieldError> errors, String field, List<Map<String, String>> scopes) {
        if (scopes.size() > MAX_SCOPES) {
            errors.add(new Problem.FieldError(field, "has " + scopes.size() + " scopes; at most " + MAX_SCOPES + "."));
            return List.of();
        }
        List<Map<String, String>> result = new ArrayList<>();
        for (int i = 0; i < scopes.size(); i++) {
            Map<String, String> scope = scopes.get(i);
            String where = field + "[" + i + "]";
            if (scope == null || scope.isEmpty()) {
                errors.add(new Problem.FieldError(
                        where,
                        "is empty; a scope needs at least one field, e.g. " + "{\"environmentType\": \"PROD\"}."));
                continue;
            }
            result.add(checkFields(errors, where, scope, true));
        }
        return result;
    }

    private static Map<String, String> checkFields(
            List<Problem.FieldError> errors, String where, Map<String, String> fields, boolean wildcardAllowed) {
        Map<String, String> result = new TreeMap<>();
        for (Map.Entry<String, String> f : fields.entrySet()) {
            String key = f.getKey();
            String value = f.getValue() == null ? "" : f.getValue().trim();
            if (!DIMENSION.matcher(key).matches()) {
                errors.add(
                        new Problem.FieldError(
                                where + "." + key,
                                "is not a valid dimension name; use 1 to 32 "
                                        + "letters, digits, '_' or '-', starting with a letter (e.g. environmentType, application)."));
            } else if (value.isEmpty() || value.length() > 100 || !Selectors.isPrintable(value)) {
                errors.add(new Problem.FieldError(
                        where + "." + key,
                        "needs a value of 1 to 100 printable characters"
                                + (wildcardAllowed ? " ('*' matches anything)." : ".")));
            } else if (!wildcardAllowed && value.equals("*")) {
                errors.add(new Problem.FieldError(where + "." + key, "is '*'; a task names concrete values."));
            } else if (key.equals(ENVIRONMENT_TYPE)
                    && !value.equals("*")
                    && !GroupScopes.ENVIRONMENT_TYPES.contains(value.toUpperCase(Locale.ROOT))) {
                errors.add(new Problem.FieldError(
                        where + "." + key,
                        "is \"" + value + "\"; use PROD or NON_PROD" + (wildcardAllowed ? " or '*'." : ".")));
            } else {
                result.put(key, key.equals(ENVIRONMENT_TYPE) ? value.toUpperCase(Locale.ROOT) : value);
            }
        }
        return result;
    }
}
