package org.opendelegate.delegate.script;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.opendelegate.spi.TaskFailure;

/**
 * A {@code shell.script} task's input, read defensively: the Manager validates it already, but a delegate
 * never runs what it cannot make sense of. Every refusal names the field.
 *
 * @param script the script text
 * @param shell {@code bash} or {@code sh}
 * @param env plain variables to set
 * @param secrets environment variable → secret reference ({@code secret:}, {@code aws-secretsmanager:},
 *     {@code aws-ssm:})
 * @param workingDirectory relative to the task's own directory, normalised; empty for that directory
 * @param cancelGrace time between SIGTERM and SIGKILL when the task is stopped
 */
record ScriptPayload(
        String script,
        String shell,
        Map<String, String> env,
        Map<String, String> secrets,
        Path workingDirectory,
        Duration cancelGrace) {
    static final int MAX_SCRIPT_BYTES = 256 * 1024;
    static final Duration DEFAULT_GRACE = Duration.ofSeconds(10);
    static final int MAX_GRACE_SECONDS = 3600;
    static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    static final List<String> SHELLS = List.of("bash", "sh");
    static final List<String> REFERENCE_PREFIXES = List.of("secret:", "aws-secretsmanager:", "aws-ssm:");

    static ScriptPayload of(JsonNode payload) throws TaskFailure {
        JsonNode script = payload.get("script");
        if (script == null || !script.isTextual() || script.asText().isBlank()) {
            throw TaskFailure.task("payload.script is required: the script text to run");
        }
        if (script.asText().getBytes(StandardCharsets.UTF_8).length > MAX_SCRIPT_BYTES) {
            throw TaskFailure.task("payload.script is longer than 256 KiB; ship larger programs as files");
        }
        JsonNode shell = payload.get("shell");
        String shellName = shell == null || shell.isNull() ? "bash" : shell.asText();
        if (!SHELLS.contains(shellName) || (shell != null && !shell.isNull() && !shell.isTextual())) {
            throw TaskFailure.task("payload.shell must be \"bash\" or \"sh\" (default bash); got " + shell);
        }
        return new ScriptPayload(
                script.asText(),
                shellName,
                names(payload, "env", false),
                names(payload, "secrets", true),
                workingDirectory(payload.get("workingDirectory")),
                grace(payload.get("cancelGraceSeconds")));
    }

    /** The grace period a payload asks for, or the default when it names none or a bad one. */
    static Duration graceOf(JsonNode payload) {
        try {
            return payload == null ? DEFAULT_GRACE : grace(payload.get("cancelGraceSeconds"));
        } catch (TaskFailure e) {
            return DEFAULT_GRACE;
        }
    }

    private static Map<String, String> names(JsonNode payload, String field, boolean references) throws TaskFailure {
        JsonNode node = payload.get(field);
        Map<String, String> values = new LinkedHashMap<>();
        if (node == null || node.isNull()) {
            return values;
        }
        if (!node.isObject()) {
            throw TaskFailure.task("payload." + field + " must be an object of NAME: \"value\"");
        }
        for (Map.Entry<String, JsonNode> entry : node.properties()) {
            String name = entry.getKey();
            JsonNode value = entry.getValue();
            if (!NAME.matcher(name).matches()) {
                throw TaskFailure.task("payload." + field + " name '" + name
                        + "' is not a valid environment variable name: use letters, digits and '_', not starting"
                        + " with a digit");
            }
            if (!value.isTextual() || value.asText().indexOf('\0') >= 0) {
                throw TaskFailure.task("payload." + field + "." + name + " must be a string without NUL characters");
            }
            if (references
                    && REFERENCE_PREFIXES.stream().noneMatch(p -> value.asText().startsWith(p))) {
                throw TaskFailure.task("payload.secrets." + name + " must be a reference: secret:NAME,"
                        + " aws-secretsmanager:<arn-or-name>[#json-key] or aws-ssm:<parameter-name>");
            }
            values.put(name, value.asText());
        }
        return values;
    }

    private static Path workingDirectory(JsonNode node) throws TaskFailure {
        if (node == null || node.isNull() || (node.isTextual() && node.asText().isEmpty())) {
            return Path.of("");
        }
        String raw = node.asText();
        String fix = "; name a directory relative to the task's own directory, e.g. \"build/app\"";
        if (!node.isTextual() || raw.indexOf('\0') >= 0 || raw.startsWith("/")) {
            throw TaskFailure.task("payload.workingDirectory " + node + " is not a relative path" + fix);
        }
        try {
            Path path = Path.of(raw);
            for (Path part : path) {
                if (part.toString().equals("..")) {
                    throw TaskFailure.task(
                            "payload.workingDirectory " + node + " leaves the task's directory with '..'" + fix);
                }
            }
            return path.normalize();
        } catch (InvalidPathException e) {
            throw TaskFailure.task("payload.workingDirectory " + node + " is not a valid path" + fix);
        }
    }

    private static Duration grace(JsonNode node) throws TaskFailure {
        if (node == null || node.isNull()) {
            return DEFAULT_GRACE;
        }
        if (!node.canConvertToInt()
                || !node.isIntegralNumber()
                || node.asInt() < 0
                || node.asInt() > MAX_GRACE_SECONDS) {
            throw TaskFailure.task("payload.cancelGraceSeconds must be a whole number from 0 to " + MAX_GRACE_SECONDS
                    + " (seconds between SIGTERM and SIGKILL); got " + node);
        }
        return Duration.ofSeconds(node.asInt());
    }
}
