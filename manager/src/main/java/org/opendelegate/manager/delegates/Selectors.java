package org.opendelegate.manager.delegates;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.opendelegate.manager.problems.DomainProblem;
import org.opendelegate.protocol.Problem;

/**
 * The rules for selectors. Selectors are case-insensitive: they are trimmed and stored in lower case.
 * Selectors people type (group selectors, task selectors) must match {@link #RULE}; selectors a
 * delegate reports are only bounded in length, since they are matched, not typed, and every page
 * escapes them.
 */
public final class Selectors {
    /** The documented rule, quoted in error messages and the API description. */
    public static final String RULE =
            "1 to 64 characters: letters, digits, '.', '_' or '-', starting with a letter or digit (case does not matter)";
    /** The most selectors one group or task may carry. */
    public static final int MAX_COUNT = 50;

    private static final Pattern VALID = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");
    private static final Pattern CONTROL = Pattern.compile("\\p{Cntrl}");

    private Selectors() {}

    /** Normalises one selector: trimmed, lower case. */
    public static String normalize(String selector) {
        return selector.trim().toLowerCase(Locale.ROOT);
    }

    /**
     * Validates and normalises selectors a person typed.
     *
     * @param field the JSON field name, for error messages
     * @return distinct selectors in lower case, sorted
     * @throws DomainProblem listing every bad selector and why
     */
    public static List<String> validate(String field, List<String> selectors) {
        if (selectors == null) {
            return List.of();
        }
        List<Problem.FieldError> errors = new ArrayList<>();
        TreeSet<String> result = new TreeSet<>();
        if (selectors.size() > MAX_COUNT) {
            errors.add(new Problem.FieldError(
                    field, "has " + selectors.size() + " selectors; at most " + MAX_COUNT + " are allowed."));
        }
        for (int i = 0; i < selectors.size(); i++) {
            String raw = selectors.get(i);
            String where = field + "[" + i + "]";
            if (raw == null || raw.isBlank()) {
                errors.add(new Problem.FieldError(where, "is empty; a selector needs " + RULE + "."));
                continue;
            }
            String selector = normalize(raw);
            if (selector.length() > 64) {
                errors.add(new Problem.FieldError(
                        where, "is " + selector.length() + " characters long; a selector has at most 64."));
            } else if (!VALID.matcher(selector).matches()) {
                errors.add(new Problem.FieldError(
                        where,
                        "(\"" + raw + "\") has characters outside the allowed set; " + "a selector has " + RULE + "."));
            } else {
                result.add(selector);
            }
        }
        if (!errors.isEmpty()) {
            throw DomainProblem.invalid(errors);
        }
        return List.copyOf(result);
    }

    /** Normalises selectors a delegate reported: trimmed, lower case, bounded, without blanks. */
    public static List<String> reported(List<String> selectors) {
        if (selectors == null) {
            return List.of();
        }
        TreeSet<String> result = new TreeSet<>();
        for (String raw : selectors) {
            if (raw != null && !raw.isBlank()) {
                result.add(normalize(raw));
            }
        }
        return List.copyOf(result);
    }

    /** True when the text has no control characters (used for every string a delegate reports). */
    static boolean isPrintable(String text) {
        return !CONTROL.matcher(text).find();
    }
}
