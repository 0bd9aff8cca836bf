package org.opendelegate.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.opendelegate.e2e.support.Api;
import org.opendelegate.e2e.support.Downloads;
import org.opendelegate.e2e.support.ManagerProcess;

/** The shell-script delegate as a user runs it: unpack, ./start.sh, see it connected, ./stop.sh. */
class ShellInstallE2ETest {
    private Path work;
    private ManagerProcess manager;
    private Path folder;

    @BeforeEach
    void download() {
        work = Path.of(System.getProperty("opendelegate.workDir", "target/e2e-work"))
                .resolve("shell-install-" + UUID.randomUUID().toString().substring(0, 8));
        manager = ManagerProcess.start("manager", work.resolve("data"), 0, Map.of());
        folder = Downloads.downloadAndUnpack(
                manager,
                "/api/v1/installers/shell",
                Map.of("delegateGroupName", "hosts", "delegateName", "shell-box", "profile", "Linux Hosts"),
                work.resolve("download"));
    }

    @AfterEach
    void stop() throws Exception {
        script("stop.sh", Map.of());
        manager.close();
    }

    @Test
    void startShConnectsTheDelegateAndStopShStopsItGracefully() throws Exception {
        assertThat(mode("start.sh")).isEqualTo("rwxr-xr-x");
        assertThat(mode("stop.sh")).isEqualTo("rwxr-xr-x");
        assertThat(mode("delegate.env")).isEqualTo("rw-------");
        Api api = manager.api();

        Result started = script("start.sh", Map.of("JAVA_HOME", System.getProperty("java.home")));

        assertThat(started.exitCode()).as(started.output()).isZero();
        await("the delegate to connect").atMost(Duration.ofSeconds(30)).until(() -> log().contains("Connected to"));
        assertThat(log()).contains("as shell-box in group hosts");
        assertThat(api.delegate("shell-box").get("status").asText()).isEqualTo("CONNECTED");
        assertThat(api.delegate("shell-box").get("type").asText()).isEqualTo("SHELL");
        assertThat(api.delegate("shell-box").get("profile").get("name").asText())
                .isEqualTo("Linux Hosts");

        Result stopped = script("stop.sh", Map.of());

        assertThat(stopped.exitCode()).as(stopped.output()).isZero();
        assertThat(stopped.output()).contains("The delegate stopped.");
        assertThat(api.delegate("shell-box").get("status").asText()).isEqualTo("DISCONNECTED");
        assertThat(folder.resolve("delegate.pid")).doesNotExist();
    }

    @Test
    void startShRefusesAnOldJavaAndSaysHowToGetANewOne() throws Exception {
        Path oldJava = work.resolve("old-jdk/bin/java");
        Files.createDirectories(oldJava.getParent());
        Files.writeString(oldJava, "#!/bin/sh\necho '    java.specification.version = 11' >&2\n");
        Files.setPosixFilePermissions(oldJava, PosixFilePermissions.fromString("rwxr-xr-x"));

        Result r =
                script("start.sh", Map.of("JAVA_HOME", work.resolve("old-jdk").toString()));

        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.output())
                .contains(
                        "Java 17 or newer is needed",
                        "is version 11",
                        "sudo apt-get install -y openjdk-17-jre-headless",
                        "java-17-amazon-corretto-headless");
        assertThat(folder.resolve("delegate.pid")).doesNotExist();
    }

    private record Result(int exitCode, String output) {}

    private Result script(String name, Map<String, String> env) throws IOException, InterruptedException {
        ProcessBuilder builder =
                new ProcessBuilder("./" + name).directory(folder.toFile()).redirectErrorStream(true);
        builder.environment()
                .keySet()
                .removeIf(k -> k.startsWith("DELEGATE_")
                        || k.startsWith("AWS_")
                        || k.equals("MANAGER_URL")
                        || k.equals("ACCOUNT_ID")
                        || k.equals("JAVA_HOME"));
        builder.environment().putAll(env);
        Process p = builder.start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(90, TimeUnit.SECONDS)).isTrue();
        return new Result(p.exitValue(), output);
    }

    private String log() throws IOException {
        Path log = folder.resolve("delegate.log");
        return Files.exists(log) ? Files.readString(log) : "";
    }

    private String mode(String file) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(folder.resolve(file)));
    }
}
