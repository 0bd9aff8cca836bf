package org.opendelegate.delegate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opendelegate.delegate.aws.AwsRuntime;
import org.opendelegate.protocol.AwsTaskTypes;
import org.opendelegate.spi.TaskContext;
import org.opendelegate.spi.TaskHandler;

/** Once the delegate has run no task for a while, it lets go of the AWS SDK and collects, once. */
class IdleAfterWorkTest {
    private final AtomicInteger collections = new AtomicInteger();

    @TempDir
    static Path workDir;

    private final AwsRuntime aws = new AwsRuntime(Duration.ofSeconds(5), workDir);

    @Test
    void aQuietPeriodAfterTheLastTaskUnloadsTheAwsCodeAndCollectsOnce() throws Exception {
        IdleAfterWork idle = new IdleAfterWork(aws, Duration.ofMillis(50), collections::incrementAndGet);
        TaskHandler regions = awsHandler(idle, AwsTaskTypes.REGIONS);

        runIgnoringFailure(regions);
        assertThat(aws.loaded()).isTrue();

        await().atMost(Duration.ofSeconds(30)).until(() -> collections.get() == 1);
        assertThat(aws.loaded()).isFalse();
    }

    @Test
    void aTaskThatStartedDuringTheQuietPeriodPostponesTheCollection() throws Exception {
        IdleAfterWork idle = new IdleAfterWork(aws, Duration.ofDays(1), collections::incrementAndGet);
        TaskHandler regions = awsHandler(idle, AwsTaskTypes.REGIONS);

        runIgnoringFailure(regions);
        long startedThen = idle.tasksStarted();
        runIgnoringFailure(regions);

        idle.settleIfQuiet(startedThen);
        assertThat(collections).hasValue(0);
        assertThat(aws.loaded()).isTrue();

        idle.settleIfQuiet(idle.tasksStarted());
        assertThat(collections).hasValue(1);
        assertThat(aws.loaded()).isFalse();
    }

    @Test
    void aWatchedHandlerKeepsItsTypeAndStopGrace() {
        IdleAfterWork idle = new IdleAfterWork(aws, Duration.ofDays(1), collections::incrementAndGet);
        TaskHandler graceful = new TaskHandler() {
            @Override
            public String type() {
                return "graceful";
            }

            @Override
            public JsonNode run(TaskContext context) {
                return null;
            }

            @Override
            public Duration stopGrace(JsonNode payload) {
                return Duration.ofSeconds(7);
            }
        };

        TaskHandler watched = idle.watch(List.of(graceful)).get(0);

        assertThat(watched.type()).isEqualTo("graceful");
        assertThat(watched.stopGrace(JsonNodeFactory.instance.objectNode())).isEqualTo(Duration.ofSeconds(7));
    }

    private TaskHandler awsHandler(IdleAfterWork idle, String type) {
        return idle.watch(aws.handlers()).stream()
                .filter(h -> h.type().equals(type))
                .findFirst()
                .orElseThrow();
    }

    /** Runs an AWS task without a valid region: it fails in the AWS code's input check, having loaded it. */
    private static void runIgnoringFailure(TaskHandler handler) {
        try {
            handler.run(new NoRegion());
        } catch (Exception expected) {
            // the task fails; what counts here is that it ran
        }
    }

    private static final class NoRegion implements TaskContext {
        @Override
        public String taskId() {
            return "task-1";
        }

        @Override
        public int attempt() {
            return 1;
        }

        @Override
        public long fencingToken() {
            return 1;
        }

        @Override
        public JsonNode payload() {
            return JsonNodeFactory.instance.objectNode().put("region", "nowhere");
        }

        @Override
        public Instant deadline() {
            return Instant.MAX;
        }

        @Override
        public void log(String line) {}

        @Override
        public boolean isCancelled() {
            return false;
        }
    }
}
