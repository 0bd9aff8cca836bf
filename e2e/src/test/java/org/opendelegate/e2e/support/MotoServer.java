package org.opendelegate.e2e.support;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.opendelegate.protocol.ProtocolJson;
import org.opendelegate.testkit.MotoProcess;

/**
 * The moto AWS emulator ({@code moto_server}, from the machine's Python) as a subprocess on a free
 * loopback port, and the AWS CLI pointed at it. Nothing here talks to any address but 127.0.0.1.
 *
 * <p>Moto checks few field values; the AWS CLI checks every {@code --cli-input-json} document against its
 * own model of the API before sending it, which is what makes these runs a real validation.
 */
public final class MotoServer implements AutoCloseable {
    /** The region every call uses. */
    public static final String REGION = "us-east-1";
    /** The account id moto answers with. */
    public static final String ACCOUNT = "123456789012";

    private final MotoProcess process;

    private MotoServer(MotoProcess process) {
        this.process = process;
    }

    /** Starts {@code moto_server} and waits until it accepts connections. */
    public static MotoServer start(Path workDir) {
        return new MotoServer(MotoProcess.start(workDir));
    }

    /** {@code http://127.0.0.1:<port>}, for {@code --endpoint-url} and {@code AWS_ENDPOINT_URL}. */
    public String endpoint() {
        return process.endpoint();
    }

    /** The environment that points an AWS SDK or CLI at this emulator with dummy credentials. */
    public Map<String, String> environment() {
        return Map.of(
                "AWS_ACCESS_KEY_ID",
                "testing",
                "AWS_SECRET_ACCESS_KEY",
                "testing",
                "AWS_DEFAULT_REGION",
                REGION,
                "AWS_REGION",
                REGION,
                "AWS_MAX_ATTEMPTS",
                "1",
                "AWS_ENDPOINT_URL",
                endpoint(),
                "AWS_EC2_METADATA_DISABLED",
                "true");
    }

    /** What one CLI run said. */
    public record CliResult(int exitCode, String stdout, String stderr) {
        public JsonNode json() {
            try {
                return ProtocolJson.mapper().readTree(stdout);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + stdout, e);
            }
        }
    }

    /** Runs {@code aws <args> --endpoint-url ...} in {@code dir}; does not check the exit code. */
    public CliResult cli(Path dir, List<String> args) {
        List<String> command = new ArrayList<>();
        command.add("aws");
        command.addAll(args);
        command.add("--endpoint-url");
        command.add(endpoint());
        command.add("--output");
        command.add("json");
        try {
            Path out = Files.createTempFile("aws-out", ".txt");
            Path err = Files.createTempFile("aws-err", ".txt");
            ProcessBuilder builder = new ProcessBuilder(command)
                    .directory(dir.toFile())
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile());
            builder.environment().keySet().removeIf(k -> k.startsWith("AWS_"));
            builder.environment().putAll(environment());
            Process p = builder.start();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("aws " + args + " did not finish in 60 s");
            }
            CliResult result = new CliResult(p.exitValue(), Files.readString(out), Files.readString(err));
            Files.delete(out);
            Files.delete(err);
            return result;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Runs the CLI and returns its JSON answer, failing the test with the CLI's words if it failed. */
    public JsonNode aws(Path dir, String... args) {
        CliResult r = cli(dir, List.of(args));
        if (r.exitCode() != 0) {
            throw new AssertionError(
                    "aws " + String.join(" ", args) + " failed (" + r.exitCode() + "):\n" + r.stderr() + r.stdout());
        }
        return r.stdout().isBlank() ? ProtocolJson.mapper().createObjectNode() : r.json();
    }

    public JsonNode aws(String... args) {
        return aws(Path.of("."), args);
    }

    /**
     * Fills the emulator with what the cloud provider tests list (see {@code seed-moto.py}) and returns what
     * it made: the VPC id, the counts, the cross-account role, an IAM user's access key.
     */
    public JsonNode seedForProviders(Path workDir) {
        try {
            Path script = workDir.resolve("seed-moto.py");
            Files.createDirectories(workDir);
            try (var in = MotoServer.class.getResourceAsStream("/seed-moto.py")) {
                Files.copy(in, script, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
            Path out = workDir.resolve("seed-moto.json");
            Process p = new ProcessBuilder("python3", script.toString(), endpoint())
                    .redirectOutput(out.toFile())
                    .redirectError(workDir.resolve("seed-moto.err").toFile())
                    .start();
            if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new AssertionError("seeding moto failed: " + Files.readString(workDir.resolve("seed-moto.err")));
            }
            return ProtocolJson.mapper().readTree(Files.readString(out));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** What moto printed, for failure messages. */
    public String log() {
        return process.log();
    }

    @Override
    public void close() {
        process.close();
    }
}
