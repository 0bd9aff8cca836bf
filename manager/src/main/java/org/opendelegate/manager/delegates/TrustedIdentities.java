package org.opendelegate.manager.delegates;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.opendelegate.manager.problems.DomainProblem;
import org.opendelegate.manager.problems.FieldRules;
import org.opendelegate.protocol.Problem;

/**
 * The AWS identities a delegate group trusts for IAM registration, as ARN patterns: what shapes are
 * accepted and how a caller's ARN (from STS {@code GetCallerIdentity}) is matched against them.
 * <ul>
 *   <li>{@code arn:aws:sts::123456789012:assumed-role/opendelegate-task/*}: any session of the role (what an
 *       ECS task with that task role is);</li>
 *   <li>{@code arn:aws:sts::123456789012:assumed-role/opendelegate-task/one-session}: one session;</li>
 *   <li>{@code arn:aws:iam::123456789012:role/opendelegate-task}: a role ARN, stored as the first form;</li>
 *   <li>{@code arn:aws:iam::123456789012:user/name}: one IAM user.</li>
 * </ul>
 */
public final class TrustedIdentities {
    /** How many identities one group may trust. */
    public static final int MAX_COUNT = 20;
    /** The longest ARN AWS issues. */
    private static final int MAX_ARN = 2048;

    private static final String PARTITION = "(aws|aws-cn|aws-us-gov)";
    private static final String ACCOUNT = "(\\d{12})";
    private static final String NAME = "[\\w+=,.@-]{1,64}";
    private static final Pattern ASSUMED_ROLE =
            Pattern.compile("arn:" + PARTITION + ":sts::" + ACCOUNT + ":assumed-role/" + NAME + "/(\\*|" + NAME + ")");
    private static final Pattern ROLE =
            Pattern.compile("arn:" + PARTITION + ":iam::" + ACCOUNT + ":role/((?:[\\w+=,.@-]+/)*)(" + NAME + ")");
    private static final Pattern USER =
            Pattern.compile("arn:" + PARTITION + ":iam::" + ACCOUNT + ":user/(?:[\\w+=,.@-]+/)*" + NAME);

    private static final String RULE = "must be an AWS ARN such as "
            + "arn:aws:sts::123456789012:assumed-role/opendelegate-task/* (any session of a role), "
            + "arn:aws:iam::123456789012:role/opendelegate-task (the same, written as the role) or "
            + "arn:aws:iam::123456789012:user/name";

    private TrustedIdentities() {}

    /**
     * Checks and normalizes a list of trusted identities; role ARNs become their assumed-role pattern.
     *
     * @throws DomainProblem naming every bad entry
     */
    public static List<String> validate(String field, List<String> identities) {
        if (identities == null) {
            throw DomainProblem.invalidField(
                    field,
                    "is required: a list of ARNs, e.g. [\"arn:aws:sts::123456789012:assumed-role/opendelegate-task/*\"];"
                            + " send [] to trust none.");
        }
        if (identities.size() > MAX_COUNT) {
            throw DomainProblem.invalidField(
                    field, "has " + identities.size() + " entries; at most " + MAX_COUNT + " are allowed.");
        }
        List<Problem.FieldError> errors = new ArrayList<>();
        Set<String> valid = new LinkedHashSet<>();
        for (int i = 0; i < identities.size(); i++) {
            String raw = identities.get(i) == null ? "" : identities.get(i).trim();
            String normalized = normalize(raw);
            if (normalized == null) {
                String shown = raw.length() > 100 ? raw.substring(0, 100) + "…" : raw;
                errors.add(new Problem.FieldError(field + "[" + i + "]", "(\"" + shown + "\") " + RULE + "."));
            } else {
                valid.add(normalized);
            }
        }
        if (!errors.isEmpty()) {
            throw DomainProblem.invalid(errors);
        }
        // Each ARN may be long (an IAM path); together they must still fit the column.
        new FieldRules().list(field, valid, MAX_COUNT, MAX_ARN).throwIfAny();
        return List.copyOf(valid);
    }

    /** The pattern a task role ARN stands for: any session of that role. */
    public static String forRole(String roleArn) {
        Matcher role = ROLE.matcher(roleArn);
        if (!role.matches()) {
            throw new IllegalArgumentException("not an IAM role ARN: " + roleArn);
        }
        return assumedRolePattern(role);
    }

    /** Whether a caller's ARN matches one of the patterns. */
    public static boolean trusts(List<String> patterns, String callerArn) {
        return patterns.stream().anyMatch(p -> matches(p, callerArn));
    }

    static boolean matches(String pattern, String callerArn) {
        if (pattern.endsWith("/*")) {
            String prefix = pattern.substring(0, pattern.length() - 1);
            String rest = callerArn.startsWith(prefix) ? callerArn.substring(prefix.length()) : "";
            return !rest.isEmpty() && rest.indexOf('/') < 0;
        }
        return pattern.equals(callerArn);
    }

    private static String normalize(String raw) {
        if (ASSUMED_ROLE.matcher(raw).matches() || USER.matcher(raw).matches()) {
            return raw;
        }
        Matcher role = ROLE.matcher(raw);
        return role.matches() ? assumedRolePattern(role) : null;
    }

    // An assumed role's ARN names the role without its IAM path.
    private static String assumedRolePattern(Matcher role) {
        return "arn:" + role.group(1) + ":sts::" + role.group(2) + ":assumed-role/" + role.group(4) + "/*";
    }
}
