package org.opendelegate.manager.web;

import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.opendelegate.manager.problems.DomainProblem;
import org.opendelegate.protocol.Problem;

/**
 * One form of the Download Delegate dialog as a person filled it in: the values typed (to show them
 * again), and what is wrong, by field, so each message stands next to its field. Messages come from
 * the installers' validation; this class only labels them.
 */
public final class InstallForm {
    private static final Map<String, String> LABELS = Map.ofEntries(
            Map.entry("delegateGroupName", "Delegate group name"),
            Map.entry("profile", "Profile"),
            Map.entry("launchType", "Launch type"),
            Map.entry("hostname", "Hostname"),
            Map.entry("cpu", "CPU"),
            Map.entry("memory", "Memory"),
            Map.entry("taskRoleArn", "Task role ARN"),
            Map.entry("executionRoleArn", "Execution role ARN"),
            Map.entry("logGroup", "Log group"),
            Map.entry("region", "Region"),
            Map.entry("image", "Image"),
            Map.entry("tokenSecretArn", "The ARN"),
            Map.entry("tokenId", "The existing token"),
            Map.entry("tokenName", "Token name"),
            Map.entry("family", "Family"),
            Map.entry("serviceName", "Service name"),
            Map.entry("desiredCount", "Desired count"),
            Map.entry("assignPublicIp", "Public IP"),
            Map.entry("delegateName", "Delegate name"),
            Map.entry("managerCaCert", "The CA certificate"),
            Map.entry("managerCertSha256", "The certificate pin"));

    private final Map<String, String> values;
    private final Map<String, String> errors;
    private final List<String> general;

    private InstallForm(Map<String, String> values, Map<String, String> errors, List<String> general) {
        this.values = values;
        this.errors = errors;
        this.general = general;
    }

    /** A fresh form with its defaults. */
    static InstallForm blank(Map<String, String> defaults) {
        return new InstallForm(Map.copyOf(defaults), Map.of(), List.of());
    }

    /** What the request sent, first value of each field. */
    static Map<String, String> sent(Context ctx) {
        Map<String, String> values = new LinkedHashMap<>();
        ctx.formParamMap().forEach((k, v) -> {
            if (!v.isEmpty() && !k.equals(Csrf.FIELD)) {
                values.put(k, v.get(0));
            }
        });
        return values;
    }

    /** The form as sent, with the problems of {@code e} (and of the form itself) placed by field. */
    static InstallForm refused(Map<String, String> sent, Map<String, String> formProblems, DomainProblem e) {
        Map<String, String> errors = new LinkedHashMap<>(formProblems);
        List<String> general = new ArrayList<>();
        if (e != null) {
            for (Problem.FieldError error : e.errors()) {
                if (LABELS.containsKey(error.field())) {
                    errors.merge(error.field(), sentence(error.field(), error.message()), (a, b) -> a + " " + b);
                } else {
                    general.add(error.field() + " " + error.message());
                }
            }
            if (e.errors().isEmpty()) {
                // A taken token name is a conflict without a field; it belongs next to the name all the same.
                if ("DUPLICATE_NAME".equals(e.code())) {
                    errors.put("tokenName", e.getMessage());
                } else {
                    general.add(e.getMessage());
                }
            }
        }
        return new InstallForm(Map.copyOf(sent), errors, List.copyOf(general));
    }

    /** "Hostname ("x_y") must be ...": the field's label, then the installer's message. */
    static String sentence(String field, String message) {
        String label = LABELS.getOrDefault(field, field);
        if (message.regionMatches(true, 0, field, 0, field.length())) {
            return Character.toUpperCase(message.charAt(0)) + message.substring(1);
        }
        return label + " " + message;
    }

    public String value(String field) {
        return values.getOrDefault(field, "");
    }

    public String value(String field, String fallback) {
        String v = values.get(field);
        return v == null ? fallback : v;
    }

    /** True when {@code field} was sent as {@code option} (radio buttons, selects). */
    public boolean is(String field, String option) {
        return option.equals(values.get(field));
    }

    public boolean checked(String field) {
        return values.containsKey(field) && !"false".equals(values.get(field));
    }

    /** The message for a field, or null. */
    public String error(String field) {
        return errors.get(field);
    }

    /** "true" for a field with a problem, else null (so the attribute is left out). */
    public String invalid(String field) {
        return errors.containsKey(field) ? "true" : null;
    }

    /** For aria-describedby: the help's id (may be null) and the id of the field's message, if it has one. */
    public String describedBy(String helpId, String prefix, String field) {
        String error = errors.containsKey(field) ? prefix + "-" + field + "-error" : null;
        if (helpId == null) {
            return error;
        }
        return error == null ? helpId : helpId + " " + error;
    }

    public boolean anyError(Collection<String> fields) {
        return fields.stream().anyMatch(errors::containsKey);
    }

    public boolean hasErrors() {
        return !errors.isEmpty() || !general.isEmpty();
    }

    /** Problems that belong to no field. */
    public List<String> general() {
        return general;
    }
}
