package org.opendelegate.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * No Docker engine runs here, so the Dockerfiles are checked for what would break an image silently: the
 * jars they copy are the ones the build makes, they run as a non-root user, and the delegate image's health
 * check is the one the ECS installer writes into task definitions.
 */
class DockerfilesTest {
    private static final Path ROOT = Path.of(
                    System.getProperty("opendelegate.managerJar", "../manager/target/opendelegate-manager.jar"))
            .toAbsolutePath()
            .getParent()
            .getParent()
            .getParent();

    @TempDir
    Path temp;

    @Test
    void theDelegateImageCopiesTheBuiltJarRunsAsNonRootAndChecksHealthLikeTheTaskDefinition() throws IOException {
        String dockerfile = Files.readString(ROOT.resolve("delegate/Dockerfile"));

        assertCopiesExistingJars(dockerfile);
        assertThat(dockerfile)
                .contains(
                        "USER 10001:10001",
                        "FROM eclipse-temurin:21-jre-alpine",
                        "CMD wget -qO- http://127.0.0.1:8089/healthz >/dev/null || exit 1",
                        "exec java $JAVA_OPTS -jar");
    }

    @Test
    void theManagerImageCopiesTheBuiltJarAndRunsAsNonRoot() throws IOException {
        String dockerfile = Files.readString(ROOT.resolve("manager/Dockerfile"));

        assertCopiesExistingJars(dockerfile);
        assertThat(dockerfile).contains("USER 10001:10001", "/readyz", "OPENDELEGATE_DATA_DIR=/var/lib/opendelegate");
    }

    /**
     * A Manager given one CPU would get the Serial collector, whose pauses stop every heartbeat and grow with the
     * fleet. The image runs Java 25 with ZGC (generational there); the launcher runs ZGC from Java 23 on and G1
     * before it (ZGC keeps one generation there). Each set of options must be one the JDK running this test (17,
     * the oldest we support) accepts and that turns its collector on, so that neither starts a JVM that refuses
     * them.
     */
    @Test
    void theManagerImageAndTheLauncherChooseALowPauseCollectorWithOptionsThisJdkAccepts() throws Exception {
        String dockerfile = Files.readString(ROOT.resolve("manager/Dockerfile"));
        String launcher = Files.readString(ROOT.resolve("opendelegate"));
        assertThat(dockerfile).contains("FROM eclipse-temurin:25-jre-alpine");
        String image = single(Pattern.compile("ENV JAVA_OPTS=\"([^\"]*)\""), dockerfile);
        String zgc = single(Pattern.compile("(?m)^ZGC_OPTS=\"([^\"]*)\""), launcher);
        String g1 = single(Pattern.compile("(?m)^G1_OPTS=\"([^\"]*)\""), launcher);

        assertThat(finalFlags(image)).as(image).containsPattern("bool UseZGC +:?= true");
        assertThat(finalFlags(zgc)).as(zgc).containsPattern("bool UseZGC +:?= true");
        assertThat(finalFlags(g1)).as(g1).containsPattern("bool UseG1GC +:?= true");

        // The launcher's choice by the Java it finds (a stand-in that reports a version), unless MANAGER_JAVA_OPTS
        // is given.
        assertThat(launcherChoice("17", null)).isEqualTo(g1);
        assertThat(launcherChoice("22", null)).isEqualTo(g1);
        assertThat(launcherChoice("23", null)).isEqualTo(zgc);
        assertThat(launcherChoice("25", null)).isEqualTo(zgc);
        assertThat(launcherChoice("25", "-Xmx1g")).isEqualTo("-Xmx1g");
    }

    /** The Manager's options that {@code ./opendelegate}'s need_java chooses when {@code java} reports this version. */
    private String launcherChoice(String javaVersion, String managerJavaOpts) throws Exception {
        Path bin = Files.createDirectories(temp.resolve("java-" + javaVersion));
        Path java = bin.resolve("java");
        Files.writeString(java, "#!/bin/sh\necho \"    java.specification.version = " + javaVersion + "\" >&2\n");
        java.toFile().setExecutable(true);
        ProcessBuilder bash = new ProcessBuilder(
                        "bash",
                        "-c",
                        "source \"$1\" && need_java && printf '%s' \"$MANAGER_JAVA_OPTS\"",
                        "test",
                        ROOT.resolve("opendelegate").toString())
                .redirectErrorStream(true);
        bash.environment().put("PATH", bin + ":" + System.getenv("PATH"));
        bash.environment().remove("MANAGER_JAVA_OPTS");
        if (managerJavaOpts != null) {
            bash.environment().put("MANAGER_JAVA_OPTS", managerJavaOpts);
        }
        Process process = bash.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor()).as(output).isZero();
        return output;
    }

    @Test
    void theBuildContextLetsTheJarsThrough() throws IOException {
        List<String> ignore = Files.readAllLines(ROOT.resolve(".dockerignore"));

        assertThat(ignore)
                .contains(
                        "*", "!delegate/target/opendelegate-delegate.jar", "!manager/target/opendelegate-manager.jar");
    }

    private static String single(Pattern pattern, String text) {
        Matcher m = pattern.matcher(text);
        assertThat(m.find()).as("%s in the file", pattern).isTrue();
        return m.group(1);
    }

    /** The JVM's final flags with these options; fails when the JVM refuses them. */
    private static String finalFlags(String options) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(List.of(options.trim().split(" +")));
        command.addAll(List.of("-XX:+PrintFlagsFinal", "-version"));
        Process jvm = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(jvm.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(jvm.waitFor()).as("%s exits 0:%n%s", command, output).isZero();
        return output;
    }

    private static void assertCopiesExistingJars(String dockerfile) {
        List<String> sources = dockerfile
                .lines()
                .filter(l -> l.startsWith("COPY "))
                .map(l -> l.split(" +")[1])
                .toList();
        assertThat(sources).isNotEmpty();
        for (String source : sources) {
            assertThat(ROOT.resolve(source))
                    .as("COPY source built by mvn package")
                    .isRegularFile();
        }
    }
}
