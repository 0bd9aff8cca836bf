package org.opendelegate.manager.secrets;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Pattern;
import org.opendelegate.manager.problems.DomainProblem;
import org.opendelegate.protocol.Problem;

/** What a secret's name, description and value may be; every refusal names the field and what to do. */
final class SecretRules {
    static final int MAX_VALUE_BYTES = 64 * 1024;
    static final int MAX_DESCRIPTION = 1000;
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]{1,128}");

    private SecretRules() {}

    static boolean validName(String name) {
        return name != null && NAME.matcher(name).matches();
    }

    /** Adds an error when the name breaks the rule. */
    static void checkName(List<Problem.FieldError> errors, String field, String name) {
        if (!validName(name)) {
            errors.add(new Problem.FieldError(
                    field,
                    (name == null ? "is required" : "(\"" + shorten(name) + "\") is not a valid secret name")
                            + ": use 1 to 128 letters, digits, '_', '.' or '-', e.g. \"db-password\"."));
        }
    }

    /**
     * Adds an error when the value is missing (if required), empty or too large. Control characters other than
     * tab and line breaks never get this far: every JSON body and console form refuses them.
     */
    static void checkValue(List<Problem.FieldError> errors, String value, boolean required) {
        if (value == null) {
            if (required) {
                errors.add(new Problem.FieldError("value", "is required: the secret's value (text, at most 64 KiB)."));
            }
            return;
        }
        if (value.isEmpty()) {
            errors.add(new Problem.FieldError("value", "is empty; a secret needs a value of 1 byte to 64 KiB."));
        } else if (value.getBytes(StandardCharsets.UTF_8).length > MAX_VALUE_BYTES) {
            errors.add(new Problem.FieldError(
                    "value",
                    "is " + value.getBytes(StandardCharsets.UTF_8).length + " bytes (UTF-8); a secret holds at most "
                            + MAX_VALUE_BYTES + " bytes (64 KiB)."));
        }
    }

    /** Adds an error when the description is too long or holds control characters other than line breaks. */
    static void checkDescription(List<Problem.FieldError> errors, String description) {
        if (description == null) {
            return;
        }
        if (description.length() > MAX_DESCRIPTION) {
            errors.add(new Problem.FieldError(
                    "description", "is " + description.length() + " characters; use at most " + MAX_DESCRIPTION + "."));
        } else if (!description.chars().allMatch(c -> (c >= 0x20 && c != 0x7f) || c == '\n' || c == '\t')) {
            errors.add(new Problem.FieldError(
                    "description", "contains control characters; use plain text (line breaks are fine)."));
        }
    }

    static void throwIfAny(List<Problem.FieldError> errors) {
        if (!errors.isEmpty()) {
            throw DomainProblem.invalid(errors);
        }
    }

    /** A name as a message may quote it: bounded, so that a huge bad name does not make a huge answer. */
    static String shorten(String s) {
        return s.length() <= 140 ? s : s.substring(0, 137) + "...";
    }
}
