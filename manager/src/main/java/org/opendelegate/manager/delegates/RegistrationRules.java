package org.opendelegate.manager.delegates;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.opendelegate.manager.problems.DomainProblem;
import org.opendelegate.protocol.Problem;
import org.opendelegate.protocol.RegisterRequest;

/**
 * Checks a registration before anything is written. Everything a delegate sends is untrusted: lengths
 * are bounded and control characters refused; pages escape the rest.
 */
public final class RegistrationRules {
    /** Group names: what ECS and humans both accept. */
    public static final Pattern GROUP_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,62}");

    public static final String GROUP_NAME_RULE =
            "1 to 63 characters: letters, digits, '.', '_' or '-', starting with a letter or digit";

    private RegistrationRules() {}

    static void check(RegisterRequest r) {
        List<Problem.FieldError> errors = new ArrayList<>();
        text(errors, "instanceId", r.instanceId(), true, 64);
        text(errors, "name", r.name(), true, 255);
        if (r.groupName() == null || !GROUP_NAME.matcher(r.groupName()).matches()) {
            errors.add(new Problem.FieldError(
                    "groupName",
                    "(\"" + r.groupName() + "\") must be " + GROUP_NAME_RULE + "; check DELEGATE_GROUP_NAME."));
        }
        text(errors, "profileName", r.profileName(), false, 100);
        text(errors, "hostname", r.hostname(), false, 255);
        text(errors, "ip", r.ip(), false, 64);
        text(errors, "version", r.version(), false, 64);
        if (r.type() == null) {
            errors.add(new Problem.FieldError("type", "is required: ECS, SHELL or DOCKER."));
        }
        if (r.launchType() != null && !List.of("EC2", "FARGATE", "EXTERNAL").contains(r.launchType())) {
            errors.add(new Problem.FieldError("launchType", "must be EC2, FARGATE, EXTERNAL or absent."));
        }
        if (r.identityKind() == null) {
            errors.add(new Problem.FieldError("identityKind", "is required: STABLE or EPHEMERAL."));
        }
        if (r.capacity() < 1 || r.capacity() > 256) {
            errors.add(new Problem.FieldError("capacity", "is " + r.capacity() + "; it must be from 1 to 256."));
        }
        list(errors, "selectors", r.selectors(), Selectors.MAX_COUNT, 64);
        list(errors, "taskTypes", r.taskTypes(), 200, 100);
        list(errors, "runningTaskIds", r.runningTaskIds(), 1000, 64);
        if (!errors.isEmpty()) {
            throw DomainProblem.invalid(errors);
        }
    }

    private static void text(List<Problem.FieldError> errors, String field, String value, boolean required, int max) {
        if (value == null || value.isBlank()) {
            if (required) {
                errors.add(new Problem.FieldError(field, "is required."));
            }
            return;
        }
        if (value.length() > max) {
            errors.add(new Problem.FieldError(
                    field, "is " + value.length() + " characters long; at most " + max + " are allowed."));
        } else if (!Selectors.isPrintable(value)) {
            errors.add(new Problem.FieldError(field, "contains control characters."));
        }
    }

    private static void list(
            List<Problem.FieldError> errors, String field, List<String> values, int maxCount, int maxLength) {
        if (values == null) {
            return;
        }
        if (values.size() > maxCount) {
            errors.add(new Problem.FieldError(
                    field, "has " + values.size() + " entries; at most " + maxCount + " are allowed."));
            return;
        }
        for (int i = 0; i < values.size(); i++) {
            text(errors, field + "[" + i + "]", values.get(i), true, maxLength);
        }
    }
}
