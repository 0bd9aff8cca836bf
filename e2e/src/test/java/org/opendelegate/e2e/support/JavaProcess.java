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
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;

/**
 * A built jar running as a separate process, its output in a file, so tests can kill it, signal it, and
 * read what it said.
 */
public class JavaProcess implements AutoCloseable {
    /**
     * JVM flags for every process a test starts (Managers, delegates, the CLI): the client compiler only and the
     * serial collector. A test process lives seconds to a minute, most of it starting up, so the optimising
     * compiler's work would never pay back; on the 2-core machines the suite runs on it was most of these
     * processes' CPU. A delegate's own {@code JAVA_TOOL_OPTIONS} come first, so these two win over them.
     */
    static final List<String> TEST_JVM_FLAGS = List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");

    private final String name;
    private final Process process;
    private final Path output;

    protected JavaProcess(
            String name, Path jar, List<String> jvmArgs, List<String> args, Map<String, String> env, Path workDir) {
        this.name = name;
        requireRunnableJar(jar);
        try {
            Files.createDirectories(workDir);
            this.output = workDir.resolve(name + ".log");
            List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.addAll(TEST_JVM_FLAGS);
            command.addAll(jvmArgs);
            command.add("-jar");
            command.add(jar.toString());
            command.addAll(args);
            ProcessBuilder builder = new ProcessBuilder(command)
                    .directory(workDir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(output.toFile()));
            builder.environment()
                    .keySet()
                    .removeIf(k -> k.startsWith("OPENDELEGATE_")
                            || k.startsWith("DELEGATE_")
                            || k.equals("MANAGER_URL")
                            || k.equals("ACCOUNT_ID")
                            || k.startsWith("ECS_")
                            || k.startsWith("AWS_"));
            builder.environment().putAll(env);
            this.process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name, e);
        }
    }

    /**
     * A test must run the built jar, never fall back to something else: without it, say which jar and how to
     * build it, instead of a process that dies at once and a wait that times out.
     */
    private static void requireRunnableJar(Path jar) {
        try (JarFile file = new JarFile(jar.toFile())) {
            if (file.getManifest() == null
                    || file.getManifest().getMainAttributes().getValue("Main-Class") == null) {
                throw new IllegalStateException(jar + " has no Main-Class; rebuild it: mvn -B -DskipTests package");
            }
        } catch (IOException e) {
            throw new IllegalStateException(
                    "cannot read the jar " + jar + " (" + e.getClass().getSimpleName()
                            + "); build the jars before the end-to-end tests: mvn -B -DskipTests package",
                    e);
        }
    }

    public String name() {
        return name;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Everything the process printed so far. */
    public String output() {
        try {
            return Files.exists(output) ? Files.readString(output, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits until the output matches, and returns the first group of the first match. */
    public String awaitOutput(Pattern pattern, Duration timeout) {
        Awaitility.await(name + " to print " + pattern)
                .atMost(timeout)
                .pollInterval(Duration.ofMillis(50))
                .until(() -> pattern.matcher(output()).find() || !process.isAlive());
        Matcher m = pattern.matcher(output());
        if (!m.find()) {
            throw new AssertionError(
                    name + " exited (" + process.exitValue() + ") before printing " + pattern + ":\n" + output());
        }
        return m.groupCount() > 0 ? m.group(1) : m.group();
    }

    /** SIGKILL: no goodbye, no cleanup. */
    public void kill9() {
        process.destroyForcibly();
        waitForExit(Duration.ofSeconds(10));
    }

    /** SIGTERM: the graceful stop. */
    public void sigterm() {
        process.destroy();
    }

    /** Waits for the process to end and returns its exit code. */
    public int waitForExit(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError(name + " did not exit within " + timeout + ":\n" + output());
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
