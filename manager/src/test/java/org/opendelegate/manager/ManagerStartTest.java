package org.opendelegate.manager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.opendelegate.manager.config.ManagerConfig;
import org.opendelegate.manager.security.StartupException;

/** A Manager that cannot start leaves nothing behind: no thread of its own, no open store. */
class ManagerStartTest {

    @Test
    void aTakenPortFailsTheStartAndClosesTheStoreAndEveryThreadItOpened() throws IOException {
        Path dataDir = Files.createTempDirectory("opendelegate-start");
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Set<Thread> before = Thread.getAllStackTraces().keySet();
            ManagerServer built =
                    ManagerServer.build(config(dataDir, taken.getLocalPort(), Map.of()), Clock.systemUTC());

            assertThatThrownBy(built::start).isNotInstanceOf(StartupException.class);

            awaitNoThreadsBut(before);
        }
        // The store was closed, so another Manager can open it and start on a free port.
        try (ManagerServer again = ManagerServer.start(config(dataDir, 0, Map.of()), Clock.systemUTC())) {
            assertThat(again.port()).isPositive();
        }
    }

    @Test
    void aMasterKeyThatDoesNotOpenTheStoreFailsTheBuildAndClosesTheStore() throws IOException {
        Path dataDir = Files.createTempDirectory("opendelegate-start");
        ManagerServer.start(config(dataDir, 0, Map.of()), Clock.systemUTC()).close();
        Set<Thread> before = Thread.getAllStackTraces().keySet();
        String otherKey = Base64.getEncoder().encodeToString(new byte[32]);

        assertThatThrownBy(() -> ManagerServer.build(
                        config(dataDir, 0, Map.of("OPENDELEGATE_MASTER_KEY", otherKey)), Clock.systemUTC()))
                .isInstanceOf(StartupException.class)
                .hasMessageContaining("master key");

        awaitNoThreadsBut(before);
    }

    private static ManagerConfig config(Path dataDir, int port, Map<String, String> more) {
        Map<String, String> env = new HashMap<>(Map.of(
                "OPENDELEGATE_PORT",
                String.valueOf(port),
                "OPENDELEGATE_BIND_HOST",
                "127.0.0.1",
                "OPENDELEGATE_DATA_DIR",
                dataDir.toString()));
        env.putAll(more);
        return ManagerConfig.fromEnvironment(env);
    }

    /** Waits until every live thread is one that ran before, or one of the JVM's shared pools. */
    private static void awaitNoThreadsBut(Set<Thread> before) {
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            List<String> left = Thread.getAllStackTraces().keySet().stream()
                    .filter(t -> t.isAlive() && !before.contains(t))
                    .map(Thread::getName)
                    .filter(name -> !name.startsWith("ForkJoinPool.commonPool") && !name.startsWith("awaitility"))
                    .toList();
            assertThat(left).isEmpty();
        });
    }
}
