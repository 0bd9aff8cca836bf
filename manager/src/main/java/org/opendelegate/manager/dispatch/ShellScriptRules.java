package org.opendelegate.manager.dispatch;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.opendelegate.protocol.Problem;

/**
 * What a {@code shell.script} payload must look like when it is submitted, field by field: each message names
 * the field, says what is wrong and what to write instead. Checked before the task exists, so a bad script task
 * never reaches a delegate. Resolving {@code secret:NAME} references is not done here (the secret store seals
 * them); this only checks each reference has one of the three known forms.
 */
final class ShellScriptRules {
    static final int MAX_SCRIPT_BYTES = 256 * 1024;
    static final int MAX_VARIABLES = 100;
    static final int MAX_VALUE_BYTES = 32 * 1024;
    static final int MAX_ENV_BYTES = 128 * 1024;
    static final int MAX_PATH_CHARS = 1024;
    static final int MAX_CANCEL_GRACE_SECONDS = 300;
    static final Set<String> SHELLS = Set.of("bash", "sh");

    private static final Set<String> FIELDS =
            Set.of("script", "shell", "env", "secrets", "workingDirectory", "cancelGraceSeconds");
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,127}");
    private static final Pattern SLASH = Pattern.compile("/");
    private static final List<String> RESERVED_PREFIXES = List.of("OPENDELEGATE_", "DELEGATE_");
    private static final Pattern STORE_REF = Pattern.compile("secret:[A-Za-z0-9][A-Za-z0-9._/-]{0,199}");
    private static final Pattern SECRETS_MANAGER_REF =
            Pattern.compile("aws-secretsmanager:[A-Za-z0-9/_+=.@:-]{1,2048}(#[^#\\s\\p{Cntrl}]{1,256})?");
    private static final Pattern SSM_REF = Pattern.compile("aws-ssm:[A-Za-z0-9_./:-]{1,2048}");
    private static final String REFERENCE_FORMS =
            "`secret:NAME` (the Manager's secret store), `aws-secretsmanager:<arn-or-name>[#json-key]` or "
                    + "`aws-ssm:<parameter-name>`";

    private ShellScriptRules() {}

    /** Every problem of the payload (an object), as field errors named {@code payload.<field>}; empty when valid. */
    static List<Problem.FieldError> check(JsonNode payload) {
        List<Problem.FieldError> errors = new ArrayList<>();
        payload.fieldNames().forEachRemaining(name -> {
            if (!FIELDS.contains(name)) {
                errors.add(error(name, "is not a field of a shell.script payload; the fields are " + FIELDS + "."));
            }
        });
        script(errors, payload.get("script"));
        shell(errors, payload.get("shell"));
        variables(errors, payload.get("env"), "env", false);
        variables(errors, payload.get("secrets"), "secrets", true);
        bothEnvAndSecret(errors, payload.get("env"), payload.get("secrets"));
        workingDirectory(errors, payload.get("workingDirectory"));
        cancelGrace(errors, payload.get("cancelGraceSeconds"));
        return errors;
    }

    private static void script(List<Problem.FieldError> errors, JsonNode script) {
        if (script == null || !script.isTextual() || script.asText().isBlank()) {
            errors.add(error("script", "is required: the script's text, e.g. \"echo hello\"."));
            return;
        }
        int bytes = script.asText().getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_SCRIPT_BYTES) {
            errors.add(error(
                    "script",
                    "has " + bytes + " bytes; at most " + MAX_SCRIPT_BYTES + " (256 KiB) are allowed. Ship larger "
                            + "programs another way (an image, an artifact) and call them from the script."));
        }
    }

    private static void shell(List<Problem.FieldError> errors, JsonNode shell) {
        if (shell != null && !shell.isNull() && !(shell.isTextual() && SHELLS.contains(shell.asText()))) {
            errors.add(error("shell", "(" + shell + ") must be \"bash\" (the default) or \"sh\"."));
        }
    }

    /** Checks {@code env} (plain values) or {@code secrets} (references): names, count, sizes, values. */
    private static void variables(List<Problem.FieldError> errors, JsonNode map, String field, boolean references) {
        if (map == null || map.isNull()) {
            return;
        }
        if (!map.isObject()) {
            errors.add(error(
                    field,
                    "must be an object of environment variable names to "
                            + (references ? "secret references." : "string values.")));
            return;
        }
        if (map.size() > MAX_VARIABLES) {
            errors.add(error(field, "has " + map.size() + " variables; at most " + MAX_VARIABLES + " are allowed."));
            return;
        }
        long total = 0;
        for (Map.Entry<String, JsonNode> e : map.properties()) {
            String where = field + "." + e.getKey();
            String nameProblem = nameProblem(e.getKey());
            if (nameProblem != null) {
                errors.add(error(where, nameProblem));
                continue;
            }
            if (!e.getValue().isTextual()) {
                errors.add(error(where, "must be a string" + (references ? " (a secret reference)." : ".")));
                continue;
            }
            String value = e.getValue().asText();
            total += e.getKey().length() + value.getBytes(StandardCharsets.UTF_8).length;
            if (references) {
                referenceProblem(errors, where, value);
            } else if (value.getBytes(StandardCharsets.UTF_8).length > MAX_VALUE_BYTES) {
                errors.add(error(where, "is longer than " + MAX_VALUE_BYTES + " bytes; pass large data as a file."));
            }
        }
        if (total > MAX_ENV_BYTES) {
            errors.add(error(field, "has " + total + " bytes of names and values; at most " + MAX_ENV_BYTES + "."));
        }
    }

    /** What is wrong with an environment variable name, or null when it may be used. */
    static String nameProblem(String name) {
        if (!NAME.matcher(name).matches()) {
            return "is not a usable environment variable name: use letters, digits and '_', not starting with a "
                    + "digit, at most 128 characters (e.g. DEPLOY_ENV).";
        }
        String upper = name.toUpperCase(Locale.ROOT);
        for (String prefix : RESERVED_PREFIXES) {
            if (upper.startsWith(prefix)) {
                return "starts with " + prefix + ", which the delegate reserves for its own settings and what it "
                        + "gives the script; choose another name.";
            }
        }
        return null;
    }

    private static void referenceProblem(List<Problem.FieldError> errors, String where, String value) {
        if (!STORE_REF.matcher(value).matches()
                && !SECRETS_MANAGER_REF.matcher(value).matches()
                && !SSM_REF.matcher(value).matches()) {
            errors.add(error(
                    where,
                    "is not a secret reference; write " + REFERENCE_FORMS
                            + ". Plain values belong in `env`, not in `secrets`."));
        }
    }

    private static void bothEnvAndSecret(List<Problem.FieldError> errors, JsonNode env, JsonNode secrets) {
        if (env == null || secrets == null || !env.isObject() || !secrets.isObject()) {
            return;
        }
        secrets.fieldNames().forEachRemaining(name -> {
            if (env.has(name)) {
                errors.add(error("secrets." + name, "is also set in `env`; set each variable in one place."));
            }
        });
    }

    private static void workingDirectory(List<Problem.FieldError> errors, JsonNode dir) {
        if (dir == null || dir.isNull()) {
            return;
        }
        String problem = pathProblem(dir.isTextual() ? dir.asText() : null);
        if (problem != null) {
            errors.add(error("workingDirectory", problem));
        }
    }

    /** What is wrong with a working directory, or null when it stays inside the task's own directory. */
    private static String pathProblem(String path) {
        if (path == null || path.isBlank()) {
            return "must be a relative path such as \"app/build\", or left out for the task's own directory.";
        }
        if (path.length() > MAX_PATH_CHARS) {
            return "is longer than " + MAX_PATH_CHARS + " characters.";
        }
        if (path.startsWith("/") || path.startsWith("\\") || path.startsWith("~")) {
            return "(\"" + path + "\") must be relative to the task's own directory; remove the leading '"
                    + path.charAt(0) + "'.";
        }
        if (path.chars().anyMatch(c -> c < 0x20 || c == 0x7f || c == '\\')) {
            return "must not contain control characters or backslashes; separate directories with '/'.";
        }
        if (SLASH.splitAsStream(path).anyMatch(".."::equals)) {
            return "(\"" + path + "\") must not contain '..': the script works inside the task's own directory.";
        }
        return null;
    }

    private static void cancelGrace(List<Problem.FieldError> errors, JsonNode grace) {
        if (grace == null || grace.isNull()) {
            return;
        }
        if (!grace.canConvertToInt()
                || !grace.isIntegralNumber()
                || grace.asInt() < 0
                || grace.asInt() > MAX_CANCEL_GRACE_SECONDS) {
            errors.add(error(
                    "cancelGraceSeconds",
                    "(" + grace + ") must be a whole number of seconds from 0 to " + MAX_CANCEL_GRACE_SECONDS
                            + " (default 10): how long a cancelled or timed-out script gets between SIGTERM and "
                            + "SIGKILL."));
        }
    }

    private static Problem.FieldError error(String field, String message) {
        return new Problem.FieldError("payload." + field, message);
    }
}
