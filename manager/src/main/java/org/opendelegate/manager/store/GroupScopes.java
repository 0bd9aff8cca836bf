package org.opendelegate.manager.store;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Which tasks a delegate group takes, by the task's scope target (e.g. {@code environmentType=PROD,
 * application=payments}). A scope is a set of {@code dimension=value} fields that must all match; {@code *}
 * matches anything. The group takes a task when no exclude scope matches and, if it has include scopes,
 * at least one matches. A task without a scope target is not restricted by scopes.
 *
 * @param include alternatives, any of which lets a task in (none: everything is included)
 * @param exclude any of which keeps a task out
 */
public record GroupScopes(List<Map<String, String>> include, List<Map<String, String>> exclude) {
    /** The one dimension with a fixed set of values. */
    public static final String ENVIRONMENT_TYPE = "environmentType";

    public static final List<String> ENVIRONMENT_TYPES = List.of("PROD", "NON_PROD");
    public static final GroupScopes NONE = new GroupScopes(List.of(), List.of());

    public GroupScopes {
        include = include == null ? List.of() : List.copyOf(include);
        exclude = exclude == null ? List.of() : List.copyOf(exclude);
    }

    /**
     * Why this group does not take a task with this scope target, or empty when it does.
     */
    public Optional<String> exclusion(Map<String, String> target) {
        if (target == null || target.isEmpty()) {
            return Optional.empty();
        }
        for (Map<String, String> scope : exclude) {
            if (matches(scope, target)) {
                return Optional.of("scope `" + describe(scope) + "` excluded");
            }
        }
        if (!include.isEmpty() && include.stream().noneMatch(scope -> matches(scope, target))) {
            List<String> described = include.stream().map(GroupScopes::describe).toList();
            return Optional.of("no include scope matches " + describe(target) + " (includes: "
                    + String.join(" | ", described) + ")");
        }
        return Optional.empty();
    }

    static boolean matches(Map<String, String> scope, Map<String, String> target) {
        for (Map.Entry<String, String> field : scope.entrySet()) {
            if ("*".equals(field.getValue())) {
                continue;
            }
            String value = target.get(field.getKey());
            if (value == null || !value.equalsIgnoreCase(field.getValue())) {
                return false;
            }
        }
        return true;
    }

    /** {@code environmentType=PROD, application=*}. */
    public static String describe(Map<String, String> scope) {
        StringBuilder sb = new StringBuilder();
        new TreeMap<>(scope)
                .forEach((k, v) -> sb.append(sb.length() == 0 ? "" : ", ")
                        .append(k)
                        .append('=')
                        .append(v));
        return sb.toString();
    }
}
