package org.opendelegate.manager.web;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.opendelegate.manager.dispatch.TaskRequest;
import org.opendelegate.protocol.Problem;
import org.opendelegate.protocol.TaskTypes;

/**
 * The Run Script form as sent, read into a task submission. Only the form's own syntax is checked here (a
 * {@code NAME=value} line, a whole number); every rule of a script task is the task service's, whose field errors
 * {@link #withErrors} places next to the form's fields.
 *
 * @param values what was typed, by field name, to show again after an error
 * @param errors messages by form field ({@code script}, {@code env}, {@code secrets}, ...)
 */
public record RunScriptForm(Map<String, String> values, Map<String, List<String>> errors) {
    private static final Pattern SEPARATORS = Pattern.compile("[\\s,]+");
    private static final Pattern LINES = Pattern.compile("\\r?\\n");
    static final List<String> FIELDS =
            List.of("selectors", "script", "shell", "env", "secrets", "timeoutSeconds", "maxAttempts");

    /** An empty form: bash, ten minutes, one attempt. */
    static RunScriptForm empty() {
        return new RunScriptForm(Map.of("shell", "bash", "timeoutSeconds", "600", "maxAttempts", "1"), Map.of());
    }

    static RunScriptForm read(Context ctx) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String field : FIELDS) {
            String v = ctx.formParam(field);
            values.put(field, v == null ? "" : v);
        }
        return new RunScriptForm(values, Map.of());
    }

    /** The value of a field as typed, or empty. */
    public String value(String field) {
        return values.getOrDefault(field, "");
    }

    /** The messages of a field, or none. */
    public List<String> errorsOf(String field) {
        return errors.getOrDefault(field, List.of());
    }

    public boolean invalid(String field) {
        return errors.containsKey(field);
    }

    /** The ids the field's input is described by: its help, and its errors when it has some. */
    public String describedBy(String field) {
        return "run-" + field + "-help" + (invalid(field) ? " run-" + field + "-error" : "");
    }

    /** The submission, or the form's own syntax errors (which come before the task service's rules). */
    TaskRequest request(Map<String, List<String>> syntax) {
        ObjectNode payload = JsonNodeFactory.instance.objectNode();
        payload.put("script", value("script"));
        payload.put("shell", value("shell").isBlank() ? "bash" : value("shell"));
        ObjectNode env = pairs("env", "NAME=value", syntax);
        if (!env.isEmpty()) {
            payload.set("env", env);
        }
        ObjectNode secrets = pairs("secrets", "NAME=reference", syntax);
        if (!secrets.isEmpty()) {
            payload.set("secrets", secrets);
        }
        List<String> selectors = SEPARATORS
                .splitAsStream(value("selectors").trim())
                .filter(s -> !s.isEmpty())
                .toList();
        return new TaskRequest(
                TaskTypes.SHELL_SCRIPT,
                payload,
                selectors,
                number("timeoutSeconds", syntax),
                false,
                null,
                number("maxAttempts", syntax),
                null,
                null);
    }

    /** The same form with the task service's field errors placed next to the form's fields. */
    RunScriptForm withErrors(List<Problem.FieldError> fieldErrors) {
        Map<String, List<String>> placed = new LinkedHashMap<>();
        for (Problem.FieldError e : fieldErrors) {
            String field = formField(e.field());
            String name = e.field().startsWith("payload.") ? e.field().substring("payload.".length()) : e.field();
            placed.computeIfAbsent(field, k -> new ArrayList<>()).add("`" + name + "` " + e.message());
        }
        return new RunScriptForm(values, placed);
    }

    RunScriptForm withSyntaxErrors(Map<String, List<String>> syntax) {
        return new RunScriptForm(values, syntax);
    }

    /** Which form field shows an error of the task service: {@code payload.env.X} is shown by {@code env}. */
    static String formField(String field) {
        String f = field.startsWith("payload.") ? field.substring("payload.".length()) : field;
        int end = f.length();
        for (char stop : new char[] {'.', '['}) {
            int i = f.indexOf(stop);
            end = i >= 0 ? Math.min(end, i) : end;
        }
        String head = f.substring(0, end);
        return FIELDS.contains(head) ? head : "general";
    }

    private ObjectNode pairs(String field, String shape, Map<String, List<String>> syntax) {
        ObjectNode pairs = JsonNodeFactory.instance.objectNode();
        List<String> lines = LINES.splitAsStream(value(field)).toList();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            int eq = line.indexOf('=');
            if (line.isEmpty()) {
                continue;
            }
            if (eq <= 0) {
                syntax.computeIfAbsent(field, k -> new ArrayList<>())
                        .add("Line " + (i + 1) + " must be written " + shape
                                + " (the line is not shown again: it may hold a secret).");
            } else if (pairs.has(line.substring(0, eq).strip())) {
                syntax.computeIfAbsent(field, k -> new ArrayList<>())
                        .add("Line " + (i + 1) + " sets "
                                + line.substring(0, eq).strip() + " again; set it once.");
            } else {
                pairs.put(line.substring(0, eq).strip(), line.substring(eq + 1));
            }
        }
        return pairs;
    }

    private Integer number(String field, Map<String, List<String>> syntax) {
        String raw = value(field).trim();
        if (raw.isEmpty()) {
            return null;
        }
        try {
            return Integer.valueOf(raw);
        } catch (NumberFormatException e) {
            syntax.computeIfAbsent(field, k -> new ArrayList<>()).add("\"" + cut(raw) + "\" is not a whole number.");
            return null;
        }
    }

    private static String cut(String s) {
        String c = s.length() > 40 ? s.substring(0, 40) + "…" : s;
        return c.replaceAll("\\p{Cntrl}", "?");
    }
}
