package org.opendelegate.manager.problems;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.opendelegate.protocol.Problem;

/**
 * The one place that checks a request's values against what the store can hold, before anything is
 * written: a value longer than its column, a list with more entries than its limit, or a list or map whose
 * stored JSON is longer than its column is refused with a problem that names the field and its limit,
 * instead of failing in the database (a 500). Names and other one-line values refuse control characters:
 * silently dropping them would store something the caller did not send.
 *
 * <p>Collects every problem of one request, so a person sees all of them at once; {@link #throwIfAny()}
 * throws them together as one 400.
 */
public final class FieldRules {
    /** Columns that hold a JSON list or map of short strings (selectors, task types, a task's scope). */
    public static final int LIST_COLUMN = 4000;
    /** The column of a task's payload (and result), in characters of its JSON. */
    public static final int PAYLOAD_COLUMN = 1_000_000;
    /** Running task ids one heartbeat or registration may list: more than any delegate's capacity. */
    public static final int MAX_RUNNING_TASK_IDS = 1000;
    /** Task ids are UUIDs; 64 leaves room without letting one id grow into a column. */
    public static final int MAX_TASK_ID = 64;

    private static final Pattern CONTROL = Pattern.compile("\\p{Cntrl}");

    private final List<Problem.FieldError> errors = new ArrayList<>();

    /** Adds a problem found by a check of the caller's own. */
    public FieldRules error(String field, String message) {
        errors.add(new Problem.FieldError(field, message));
        return this;
    }

    /** An optional one-line value: at most {@code max} characters, no control characters. */
    public FieldRules text(String field, String value, int max) {
        if (value == null || value.isEmpty()) {
            return this;
        }
        if (value.length() > max) {
            return error(field, "is " + value.length() + " characters long; at most " + max + " are allowed.");
        }
        if (CONTROL.matcher(value).find()) {
            return error(field, "contains control characters (a line break, tab or NUL, say); remove them.");
        }
        return this;
    }

    /** Like {@link #text}, and the value must be present and not blank. */
    public FieldRules required(String field, String value, int max) {
        if (value == null || value.isBlank()) {
            return error(field, "is required: 1 to " + max + " printable characters.");
        }
        return text(field, value, max);
    }

    /**
     * A list of one-line values stored together as JSON: at most {@code maxCount} entries of at most
     * {@code maxEach} characters, and together at most {@link #LIST_COLUMN} characters of JSON.
     */
    public FieldRules list(String field, Collection<String> values, int maxCount, int maxEach) {
        int before = errors.size();
        entries(field, values, maxCount, maxEach);
        return values == null || errors.size() > before ? this : stored(field, jsonLength(values), LIST_COLUMN);
    }

    /** A list of one-line values that is read, not stored as one: at most {@code maxCount} entries, each bounded. */
    public FieldRules entries(String field, Collection<String> values, int maxCount, int maxEach) {
        if (values == null) {
            return this;
        }
        if (values.size() > maxCount) {
            return error(field, "has " + values.size() + " entries; at most " + maxCount + " are allowed.");
        }
        int i = 0;
        for (String value : values) {
            required(field + "[" + i++ + "]", value, maxEach);
        }
        return this;
    }

    /** A map of short strings stored as JSON (a task's scope): together at most {@link #LIST_COLUMN} characters. */
    public FieldRules map(String field, Map<String, String> values) {
        if (values == null) {
            return this;
        }
        return stored(field, jsonLength(values), LIST_COLUMN);
    }

    /** A value whose stored form is {@code length} characters long, in a column of {@code column}. */
    public FieldRules stored(String field, int length, int column) {
        if (length > column) {
            error(
                    field,
                    "takes " + length + " characters when stored; at most " + column
                            + " fit. Send fewer or shorter entries.");
        }
        return this;
    }

    /** Throws a 400 listing every problem, if there is any. */
    public void throwIfAny() {
        if (!errors.isEmpty()) {
            throw DomainProblem.invalid(errors);
        }
    }

    /** Every problem so far (for a caller that merges them with its own list). */
    public List<Problem.FieldError> errors() {
        return List.copyOf(errors);
    }

    /** The characters of a JSON array of these strings: quotes, commas and escapes counted. */
    private static int jsonLength(Collection<String> values) {
        int length = 2 + Math.max(0, values.size() - 1);
        for (String v : values) {
            length += 2 + (v == null ? 2 : v.length() + escapes(v));
        }
        return length;
    }

    /** The characters of a JSON object of these string members. */
    public static int jsonLength(Map<String, String> values) {
        int length = 2 + Math.max(0, values.size() - 1);
        for (Map.Entry<String, String> e : values.entrySet()) {
            length += 5 + e.getKey().length() + escapes(e.getKey());
            length += e.getValue() == null ? 0 : e.getValue().length() + escapes(e.getValue());
        }
        return length;
    }

    private static int escapes(String value) {
        int count = 0;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            count += c == '"' || c == '\\' ? 1 : c < 0x20 ? 5 : 0;
        }
        return count;
    }
}
