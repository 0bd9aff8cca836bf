package org.opendelegate.manager.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;
import org.opendelegate.manager.deployments.DeploymentRequest;
import org.opendelegate.protocol.Problem;
import org.opendelegate.protocol.ProtocolJson;

/**
 * The Deploy form as sent, read into a {@link DeploymentRequest}. Only the form's own syntax is checked here (a
 * {@code NAME=value} line, a whole number, JSON that parses); every rule of a deployment is the deployment
 * service's, whose field errors {@link #withErrors} places next to the form's fields.
 *
 * @param values what was typed, by field name, to show again after an error
 * @param errors messages by form field ({@code image}, {@code taskDefinition}, {@code variables}, ...)
 */
public record DeployForm(Map<String, String> values, Map<String, List<String>> errors) {
    /** Deploy a new image into the service's current task definition. */
    static final String IMAGE = "image";
    /** Deploy a whole task definition. */
    static final String TASK_DEFINITION = "taskDefinition";

    private static final Pattern LINES = Pattern.compile("\\r?\\n");
    static final List<String> FIELDS = List.of(
            "cloudProviderId",
            "region",
            "cluster",
            "service",
            "what",
            "image",
            "container",
            "taskDefinition",
            "variables",
            "serviceDefinition",
            "desiredCount",
            "steadyStateTimeoutSeconds",
            "rollbackOnFailure");

    /** An empty form: a new image, ten minutes to settle, rolled back on failure. */
    static DeployForm empty() {
        return new DeployForm(
                Map.of("what", IMAGE, "steadyStateTimeoutSeconds", "600", "rollbackOnFailure", "true"), Map.of());
    }

    /** Reads the form's fields from a request's form or query parameters. */
    static DeployForm read(UnaryOperator<String> param) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String field : FIELDS) {
            String v = param.apply(field);
            values.put(field, v == null ? "" : v);
        }
        // An unticked checkbox is not sent at all.
        values.put("rollbackOnFailure", "true".equals(values.get("rollbackOnFailure")) ? "true" : "false");
        return new DeployForm(values, Map.of());
    }

    /** The same form with one field set. */
    DeployForm with(String field, String value) {
        Map<String, String> changed = new LinkedHashMap<>(values);
        changed.put(field, value == null ? "" : value);
        return new DeployForm(changed, errors);
    }

    /** The value of a field as typed, or empty. */
    public String value(String field) {
        return values.getOrDefault(field, "");
    }

    /** True when the whole task definition is deployed rather than a new image. */
    public boolean deploysTaskDefinition() {
        return TASK_DEFINITION.equals(value("what"));
    }

    public boolean rollsBackOnFailure() {
        return "true".equals(value("rollbackOnFailure"));
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
        return "deploy-" + field + "-help" + (invalid(field) ? " deploy-" + field + "-error" : "");
    }

    /** The request, or the form's own syntax errors (which come before the deployment service's rules). */
    DeploymentRequest request(boolean dryRun, Map<String, List<String>> syntax) {
        boolean whole = deploysTaskDefinition();
        return new DeploymentRequest(
                text("cloudProviderId"),
                text("region"),
                text("cluster"),
                text("service"),
                whole ? json("taskDefinition", syntax) : null,
                whole ? null : text("image"),
                whole ? null : text("container"),
                whole ? variables(syntax) : null,
                number("desiredCount", syntax),
                whole ? json("serviceDefinition", syntax) : null,
                number("steadyStateTimeoutSeconds", syntax),
                rollsBackOnFailure(),
                dryRun);
    }

    /** The same form with the deployment service's field errors placed next to the form's fields. */
    DeployForm withErrors(List<Problem.FieldError> fieldErrors) {
        Map<String, List<String>> placed = new LinkedHashMap<>();
        for (Problem.FieldError e : fieldErrors) {
            placed.computeIfAbsent(formField(e.field()), k -> new ArrayList<>())
                    .add("`" + e.field() + "` " + e.message());
        }
        return new DeployForm(values, placed);
    }

    /** The same form with one message above all fields (a conflict, a refusal). */
    DeployForm withGeneralError(String message) {
        return new DeployForm(values, Map.of("general", List.of(message)));
    }

    DeployForm withSyntaxErrors(Map<String, List<String>> syntax) {
        return new DeployForm(values, syntax);
    }

    /** Which form field shows an error of the service: {@code variables.DB} is shown by {@code variables}. */
    static String formField(String field) {
        int end = field.length();
        for (char stop : new char[] {'.', '['}) {
            int i = field.indexOf(stop);
            end = i >= 0 ? Math.min(end, i) : end;
        }
        String head = field.substring(0, end);
        return FIELDS.contains(head) ? head : "general";
    }

    private String text(String field) {
        String v = value(field).strip();
        return v.isEmpty() ? null : v;
    }

    private JsonNode json(String field, Map<String, List<String>> syntax) {
        String raw = value(field).strip();
        if (raw.isEmpty()) {
            return null;
        }
        try {
            JsonNode node = ProtocolJson.mapper().readTree(raw);
            if (!node.isObject()) {
                syntax.computeIfAbsent(field, k -> new ArrayList<>())
                        .add(
                                field.equals("serviceDefinition")
                                        ? "Write the service definition as one JSON object: { \"launchType\": ..., "
                                                + "\"networkConfiguration\": ... }."
                                        : "Write the task definition as one JSON object: { \"family\": ..., "
                                                + "\"containerDefinitions\": [...] }.");
                return null;
            }
            return node;
        } catch (JsonProcessingException e) {
            syntax.computeIfAbsent(field, k -> new ArrayList<>())
                    .add("This is not valid JSON (line " + e.getLocation().getLineNr() + ", column "
                            + e.getLocation().getColumnNr() + "): "
                            + e.getOriginalMessage().lines().findFirst().orElse(""));
            return null;
        }
    }

    private Map<String, String> variables(Map<String, List<String>> syntax) {
        Map<String, String> pairs = new LinkedHashMap<>();
        List<String> lines = LINES.splitAsStream(value("variables")).toList();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            int eq = line.indexOf('=');
            if (line.isEmpty()) {
                continue;
            }
            if (eq <= 0) {
                syntax.computeIfAbsent("variables", k -> new ArrayList<>())
                        .add("Line " + (i + 1) + " must be written NAME=value or NAME=secret:SECRET_NAME"
                                + " (the line is not shown again: it may hold a secret).");
            } else if (pairs.containsKey(line.substring(0, eq).strip())) {
                syntax.computeIfAbsent("variables", k -> new ArrayList<>())
                        .add("Line " + (i + 1) + " sets "
                                + line.substring(0, eq).strip() + " again; set it once.");
            } else {
                pairs.put(line.substring(0, eq).strip(), line.substring(eq + 1));
            }
        }
        return pairs.isEmpty() ? null : pairs;
    }

    private Integer number(String field, Map<String, List<String>> syntax) {
        String raw = value(field).trim();
        if (raw.isEmpty()) {
            return null;
        }
        try {
            return Integer.valueOf(raw);
        } catch (NumberFormatException e) {
            String cut = (raw.length() > 40 ? raw.substring(0, 40) + "…" : raw).replaceAll("\\p{Cntrl}", "?");
            syntax.computeIfAbsent(field, k -> new ArrayList<>()).add("\"" + cut + "\" is not a whole number.");
            return null;
        }
    }
}
