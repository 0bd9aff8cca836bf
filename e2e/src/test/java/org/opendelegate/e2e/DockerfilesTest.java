package org.opendelegate.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

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

    @Test
    void theBuildContextLetsTheJarsThrough() throws IOException {
        List<String> ignore = Files.readAllLines(ROOT.resolve(".dockerignore"));

        assertThat(ignore)
                .contains(
                        "*", "!delegate/target/opendelegate-delegate.jar", "!manager/target/opendelegate-manager.jar");
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
