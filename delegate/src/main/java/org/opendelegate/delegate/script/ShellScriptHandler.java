package org.opendelegate.delegate.script;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.opendelegate.delegate.process.ProcessGroup;
import org.opendelegate.protocol.TaskTypes;
import org.opendelegate.spi.TaskContext;
import org.opendelegate.spi.TaskFailure;
import org.opendelegate.spi.TaskHandler;

/**
 * Runs a {@code shell.script} task: resolves its secrets (before anything runs), writes the script into a
 * fresh directory under {@code DELEGATE_WORK_DIR}, runs it with {@code bash} or {@code sh} in its own process
 * group with stdin at EOF and the environment of {@link ScriptEnvironment}, streams its masked output to the
 * task log, reads its outputs, and removes the directory. Exit code 0 succeeds; any other fails with the last
 * lines of the log, still reporting the exit code and outputs. Result:
 * {@code {"exitCode": n, "outputs": {...}, "durationMillis": n}}.
 */
public final class ShellScriptHandler implements TaskHandler {
    /** Time for the kill and the last output after the grace period, on top of it. */
    static final Duration STOP_OVERHEAD = Duration.ofSeconds(5);

    private final Path workDir;
    private final SecretReferenceResolver aws;
    private final Map<String, String> delegateEnv;
    private final Clock clock;

    /**
     * @param workDir {@code DELEGATE_WORK_DIR}; each run gets a directory of its own under {@code tasks/}
     * @param aws resolves {@code aws-secretsmanager:} and {@code aws-ssm:} references with the delegate's identity
     * @param delegateEnv the delegate's own environment, which scripts inherit without its credentials
     */
    public ShellScriptHandler(Path workDir, SecretReferenceResolver aws, Map<String, String> delegateEnv, Clock clock) {
        this.workDir = workDir;
        this.aws = aws;
        this.delegateEnv = Map.copyOf(delegateEnv);
        this.clock = clock;
    }

    @Override
    public String type() {
        return TaskTypes.SHELL_SCRIPT;
    }

    @Override
    public Duration stopGrace(JsonNode payload) {
        return ScriptPayload.graceOf(payload).plus(STOP_OVERHEAD);
    }

    @Override
    public JsonNode run(TaskContext context) throws TaskFailure, InterruptedException {
        ScriptPayload payload = ScriptPayload.of(context.payload());
        Map<String, String> secrets = ScriptSecrets.resolve(context, payload, aws);
        SecretMasker masker = new SecretMasker(secrets);
        if (!masker.tooShort().isEmpty()) {
            context.log("[delegate] not masked in this log: " + String.join(", ", masker.tooShort())
                    + " (values shorter than " + SecretMasker.MIN_LENGTH + " characters)");
        }
        try (TaskDirectory dir = TaskDirectory.create(workDir, context.taskId())) {
            Files.writeString(dir.script(), payload.script(), StandardCharsets.UTF_8);
            Path cwd = Files.createDirectories(dir.work().resolve(payload.workingDirectory()));
            ProcessBuilder builder = new ProcessBuilder(ProcessGroup.command(
                            List.of(payload.shell(), dir.script().toString())))
                    .directory(cwd.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            builder.environment().clear();
            builder.environment().putAll(delegateEnv);
            ScriptEnvironment.build(builder.environment(), payload, secrets, context.taskId(), dir.outputs());
            long started = clock.millis();
            LastLines last = new LastLines();
            ScriptRun run = start(builder, context, masker, last, payload.shell());
            int code = run.await(payload.cancelGrace());
            return finish(code, clock.millis() - started, dir.outputs(), masker, last);
        } catch (IOException e) {
            throw TaskFailure.capability(
                    masker.mask("cannot prepare the script's directory under " + workDir + ": " + e.getMessage()), e);
        }
    }

    private ScriptRun start(
            ProcessBuilder builder, TaskContext context, SecretMasker masker, LastLines last, String shell)
            throws TaskFailure {
        try {
            return ScriptRun.start(builder, context, masker, last, clock);
        } catch (IOException e) {
            // Another delegate (with the shell installed) might run it.
            throw TaskFailure.capability("cannot start " + shell + " on this delegate: " + e.getMessage(), e);
        }
    }

    private static JsonNode finish(int code, long millis, Path outputFile, SecretMasker masker, LastLines last)
            throws TaskFailure, IOException {
        ObjectNode result = JsonNodeFactory.instance.objectNode();
        result.put("exitCode", code);
        ObjectNode outputs = result.putObject("outputs");
        result.put("durationMillis", millis);
        try {
            ScriptOutputs.read(outputFile).forEach((name, value) -> outputs.put(name, masker.mask(value)));
        } catch (TaskFailure failure) {
            throw TaskFailure.task(masker.mask(failure.getMessage())).withResult(result);
        }
        if (code != 0) {
            String lines = last.text();
            throw TaskFailure.task("exited with code " + code
                            + (lines.isEmpty() ? " (it printed nothing)" : "; last lines:\n" + lines))
                    .withResult(result);
        }
        return result;
    }
}
