package org.opendelegate.manager.installers;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.opendelegate.manager.delegates.RegistrationRules;
import org.opendelegate.manager.problems.DomainProblem;
import org.opendelegate.protocol.Problem;

/** Collects every problem of a request, so a person sees all of them at once, and names each field. */
final class FieldChecks {
    private final List<Problem.FieldError> errors = new ArrayList<>();

    void error(String field, String message) {
        errors.add(new Problem.FieldError(field, message));
    }

    boolean has(String field) {
        return errors.stream().anyMatch(e -> e.field().equals(field));
    }

    /** The value trimmed, or null when absent or blank. */
    static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }

    /** Checks a present value against a shape; returns it trimmed, or null when absent or wrong. */
    String shape(String field, String value, Pattern pattern, String rule) {
        String v = blankToNull(value);
        if (v == null) {
            return null;
        }
        if (!pattern.matcher(v).matches()) {
            error(field, "(\"" + printable(v) + "\") must be " + rule + ".");
            return null;
        }
        return v;
    }

    /** Like {@link #shape}, and reports the field as missing when absent. */
    String required(String field, String value, Pattern pattern, String rule) {
        if (blankToNull(value) == null) {
            error(field, "is required; it must be " + rule + ".");
            return null;
        }
        return shape(field, value, pattern, rule);
    }

    /** The {@code delegateGroupName} every installer asks for: required, a group name's shape. */
    String groupName(String value) {
        return required("delegateGroupName", value, RegistrationRules.GROUP_NAME, RegistrationRules.GROUP_NAME_RULE);
    }

    /** The {@code profile} every installer takes: the Primary profile when left out. */
    String profile(String value) {
        return value == null || value.isBlank()
                ? "Primary"
                : shape("profile", value, AwsShapes.PROFILE, AwsShapes.PROFILE_RULE);
    }

    int range(String field, Integer value, int fallback, int min, int max) {
        int v = value == null ? fallback : value;
        if (v < min || v > max) {
            error(field, "is " + v + "; it must be from " + min + " to " + max + ".");
        }
        return v;
    }

    /** Throws a 400 listing every problem, if there is any. */
    void throwIfAny() {
        if (!errors.isEmpty()) {
            throw DomainProblem.invalid(errors);
        }
    }

    /** Echoes user input in a message safely: bounded and without control characters. */
    private static String printable(String value) {
        String cut = value.length() > 80 ? value.substring(0, 80) + "…" : value;
        return cut.replaceAll("[\\p{Cntrl}\"\\\\]", "?");
    }
}
