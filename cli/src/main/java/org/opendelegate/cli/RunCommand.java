package org.opendelegate.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.opendelegate.protocol.ProtocolJson;
import org.opendelegate.protocol.TaskTypes;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code opendelegate run}: submits a {@code shell.script} task, streams its log while it runs, prints its
 * outputs, and exits with the script's exit code — what a CI job calls to run something inside a private
 * network.
 */
@Command(
        name = "run",
        mixinStandardHelpOptions = true,
        description = "Run a script on a delegate, stream its log, exit with its exit code.",
        footer = {
            "",
            "Exit codes: the script's own code; 65 refused as invalid; 69 no delegate took it (NOT_ASSIGNED);",
            "70 failed without an exit code; 75 Manager unreachable; 77 not allowed; 124 timed out; 130 cancelled."
        })
final class RunCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Mixin
    private ClientOptions client;

    @ArgGroup(multiplicity = "1")
    private What what;

    static final class What {
        @Option(
                names = {"-c", "--command"},
                description = "The script text, instead of a file.")
        String command;

        @Parameters(paramLabel = "SCRIPT", description = "The script file to run; - reads standard input.")
        Path file;
    }

    @Option(
            names = {"-s", "--selector"},
            description = "A selector the delegate must have (repeatable).")
    private List<String> selectors = new ArrayList<>();

    @Option(
            names = {"-e", "--env"},
            description = "A plain variable for the script, NAME=value (repeatable).")
    private Map<String, String> env = new LinkedHashMap<>();

    @Option(
            names = "--secret",
            description = "A secret variable, NAME=secret:SECRET_NAME, NAME=aws-secretsmanager:<arn-or-name>[#key]"
                    + " or NAME=aws-ssm:<parameter> (repeatable); masked in the log.")
    private Map<String, String> secrets = new LinkedHashMap<>();

    @Option(
            names = {"-t", "--timeout"},
            converter = Durations.class,
            description = "How long the task may take in all, from submission: 90s, 10m, 1h.")
    private Integer timeoutSeconds;

    @Option(names = "--shell", description = "bash (default) or sh.")
    private String shell;

    @Option(names = "--workdir", description = "Directory to run in, relative to the task's own directory.")
    private String workingDirectory;

    @Option(names = "--cancel-grace", converter = Durations.class, description = "Time between SIGTERM and SIGKILL.")
    private Integer cancelGraceSeconds;

    @Option(
            names = "--max-attempts",
            description = "How many delegates may try it (default 1: a script may not be safe to run twice).")
    private Integer maxAttempts;

    @Option(names = "--idempotency-key", description = "Submitting again with the same key returns the first task.")
    private String idempotencyKey;

    @Option(names = "--detach", description = "Submit, print the task id, and exit without following.")
    private boolean detach;

    @Override
    public Integer call() throws InterruptedException {
        ManagerApi api = client.api();
        JsonNode task = api.submitTask(request(script()));
        String taskId = task.path("id").asText();
        PrintStream err = System.err;
        if (detach) {
            System.out.println(client.json() ? task.toString() : taskId);
            return ExitCodes.OK;
        }
        if (!client.json()) {
            err.println("opendelegate: task " + taskId + " submitted; following its log (Ctrl-C cancels it)");
        }
        CtrlC ctrlC = new CtrlC();
        int grace = cancelGraceSeconds == null ? 10 : cancelGraceSeconds;
        ctrlC.arm(
                () -> {
                    err.println("opendelegate: cancelling task " + taskId + " ...");
                    api.cancelTask(taskId);
                },
                Duration.ofSeconds(grace + 30L));
        // In JSON mode standard output carries one document only, so the script's lines go to standard error.
        TaskFollower follower = new TaskFollower(api, client.json() ? err : System.out, err, false);
        JsonNode ended = follower.follow(taskId);
        int code = ExitCodes.of(ended);
        new TaskSummary(ended).print(client.json(), System.out, err);
        ctrlC.finished(code);
        return code;
    }

    private String script() {
        if (what.command != null) {
            return what.command;
        }
        try {
            return "-".equals(what.file.toString())
                    ? new String(System.in.readAllBytes(), StandardCharsets.UTF_8)
                    : Files.readString(what.file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ParameterException(spec.commandLine(), "cannot read the script " + what.file + ": " + e);
        }
    }

    private ObjectNode request(String script) {
        ObjectNode request = ProtocolJson.mapper().createObjectNode();
        request.put("type", TaskTypes.SHELL_SCRIPT);
        ObjectNode payload = request.putObject("payload");
        payload.put("script", script);
        putIfSet(payload, "shell", shell);
        putIfSet(payload, "workingDirectory", workingDirectory);
        if (cancelGraceSeconds != null) {
            payload.put("cancelGraceSeconds", cancelGraceSeconds);
        }
        if (!env.isEmpty()) {
            env.forEach(payload.putObject("env")::put);
        }
        if (!secrets.isEmpty()) {
            secrets.forEach(payload.putObject("secrets")::put);
        }
        if (!selectors.isEmpty()) {
            selectors.forEach(request.putArray("selectors")::add);
        }
        if (timeoutSeconds != null) {
            request.put("timeoutSeconds", timeoutSeconds);
        }
        if (maxAttempts != null) {
            request.put("maxAttempts", maxAttempts);
        }
        putIfSet(request, "idempotencyKey", idempotencyKey);
        return request;
    }

    private static void putIfSet(ObjectNode node, String field, String value) {
        if (value != null) {
            node.put(field, value);
        }
    }
}
