package org.opendelegate.e2e.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * The built {@code opendelegate} CLI jar run as a process, the way a CI job runs it: its standard output and
 * standard error kept apart, its exit code read, and signals sent to it like a terminal's Ctrl-C.
 */
public final class CliProcess {
    private final Process process;
    private final Path stdout;
    private final Path stderr;

    private CliProcess(Process process, Path stdout, Path stderr) {
        this.process = process;
        this.stdout = stdout;
        this.stderr = stderr;
    }

    /** Starts {@code opendelegate <args>} with exactly {@code env} added to a cleaned environment. */
    public static CliProcess start(Path workDir, Map<String, String> env, String... args) {
        try {
            Files.createDirectories(workDir);
            String id = UUID.randomUUID().toString().substring(0, 8);
            Path out = workDir.resolve("cli-" + id + ".out");
            Path err = workDir.resolve("cli-" + id + ".err");
            List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.addAll(JavaProcess.TEST_JVM_FLAGS);
            command.add("-jar");
            command.add(jar().toString());
            command.addAll(List.of(args));
            ProcessBuilder builder = new ProcessBuilder(command)
                    .directory(workDir.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile());
            builder.environment().keySet().removeIf(k -> k.startsWith("OPENDELEGATE_"));
            builder.environment().putAll(env);
            return new CliProcess(builder.start(), out, err);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the CLI", e);
        }
    }

    /** Runs to the end (at most {@code limit}) and returns the exit code. */
    public int waitFor(Duration limit) {
        try {
            if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("the CLI did not end within " + limit + "; stderr: " + stderr());
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /**
     * Sends SIGTERM, as a CI runner does to stop a job. Ctrl-C's SIGINT takes the same path in the CLI (a shutdown
     * hook), but a test cannot rely on it: a process started in the background by a non-interactive shell (as
     * the CI run starts Maven) inherits SIGINT ignored, and the JVM then leaves it ignored.
     */
    public void terminate() {
        try {
            new ProcessBuilder("kill", "-TERM", String.valueOf(process.pid()))
                    .start()
                    .waitFor();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public String stdout() {
        return read(stdout);
    }

    public String stderr() {
        return read(stderr);
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path jar() {
        return Path.of(System.getProperty("opendelegate.cliJar", "../cli/target/opendelegate-cli.jar"))
                .toAbsolutePath()
                .normalize();
    }
}
