package org.opendelegate.manager.installers;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The delegate's JVM options live in two more places besides {@link DelegateJvmOptions}: the delegate image's
 * {@code JAVA_TOOL_OPTIONS} (for a container started without the installer's task definition, whose value
 * replaces the image's) and the footprint benchmark that measures them, and so does {@code MALLOC_ARENA_MAX}.
 * They must stay the same.
 */
class DelegateJvmOptionsTest {
    private static final Path ROOT = Path.of("..");

    @Test
    void theDelegateImageRunsWithTheOptionsTheEcsInstallerShips() throws IOException {
        assertThat(Files.readString(ROOT.resolve("delegate/Dockerfile")))
                .contains("ENV JAVA_TOOL_OPTIONS=\"" + DelegateJvmOptions.ECS + "\"");
    }

    @Test
    void theDelegateImageSetsTheMallocArenasTheInstallersShip() throws IOException {
        assertThat(Files.readString(ROOT.resolve("delegate/Dockerfile")))
                .contains("\n    MALLOC_ARENA_MAX=" + DelegateJvmOptions.MALLOC_ARENA_MAX + " \\\n");
    }

    @Test
    void theFootprintBenchmarkMeasuresTheShippedOptions() throws IOException {
        assertThat(Files.readString(ROOT.resolve("bench/delegate-footprint.sh")))
                .contains("SHIPPED_OPTS=\"${SHIPPED_OPTS:-" + DelegateJvmOptions.ECS + "}\"")
                .contains("SHIPPED_MALLOC_ARENA_MAX=\"${SHIPPED_MALLOC_ARENA_MAX:-"
                        + DelegateJvmOptions.MALLOC_ARENA_MAX + "}\"");
    }

    @Test
    void everyInstallerSharesTheCommonOptions() {
        assertThat(DelegateJvmOptions.ECS).endsWith(DelegateJvmOptions.COMMON);
        assertThat(DelegateJvmOptions.SHELL).endsWith(DelegateJvmOptions.COMMON);
    }
}
