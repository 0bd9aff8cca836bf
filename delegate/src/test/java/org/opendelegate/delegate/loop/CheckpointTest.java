package org.opendelegate.delegate.loop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.Proxy;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.opendelegate.delegate.client.HttpTransport;
import org.opendelegate.delegate.client.ManagerClient;
import org.opendelegate.delegate.health.HealthState;
import org.opendelegate.delegate.profile.ProfileKeeper;
import org.opendelegate.delegate.profile.ProfileReporter;
import org.opendelegate.delegate.profile.ProfileRunner;
import org.opendelegate.delegate.run.Outbox;
import org.opendelegate.delegate.run.TaskRunner;
import org.opendelegate.delegate.session.SessionKeeper;
import org.opendelegate.delegate.stop.StopSignal;
import org.opendelegate.protocol.DelegateApiPaths;
import org.opendelegate.protocol.DelegateType;
import org.opendelegate.protocol.IdentityKind;
import org.opendelegate.protocol.RegisterRequest;
import org.opendelegate.protocol.TaskAssignment;
import org.opendelegate.spi.TaskContext;
import org.opendelegate.spi.TaskFailure;
import org.opendelegate.spi.TaskHandler;
import org.opendelegate.testkit.FakeManager;

/**
 * A handler's checkpoints (issue 14): saved synchronously after the lines written before them, handed to the
 * next attempt, and a lease lost on the way stops the handler before its next change.
 */
class CheckpointTest {
    private FakeManager manager;
    private ReportingLoop loop;
    private TaskRunner runner;
    private final Changer changer = new Changer();

    @BeforeEach
    void start() throws Exception {
        manager = new FakeManager();
        ManagerClient client = new ManagerClient(new HttpTransport(manager.url(), Proxy.NO_PROXY, "t", "a", "test"));
        ReportingLoop[] reporter = new ReportingLoop[1];
        Runnable wake = () -> {
            if (reporter[0] != null) {
                reporter[0].wake();
            }
        };
        Outbox outbox = new Outbox(wake);
        runner = new TaskRunner(Map.of("change", changer), 1, outbox, Clock.systemUTC(), () -> "d", wake, () -> {});
        SessionKeeper sessions = new SessionKeeper(
                client,
                () -> new RegisterRequest(
                        "i",
                        "n",
                        "g",
                        "Primary",
                        List.of(),
                        DelegateType.SHELL,
                        null,
                        IdentityKind.STABLE,
                        "h",
                        null,
                        "test",
                        1,
                        List.of("change"),
                        null,
                        runner.heldTaskIds()),
                new StopSignal(),
                new HealthState(Clock.systemUTC(), Duration.ofMinutes(2)),
                d -> {});
        sessions.register();
        LoopContext context = new LoopContext(
                client,
                sessions,
                runner,
                new HealthState(Clock.systemUTC(), Duration.ofMinutes(2)),
                new StopSignal(),
                d -> Thread.sleep(Math.min(d.toMillis(), 50)),
                Clock.systemUTC());
        ProfileKeeper profiles =
                new ProfileKeeper(new ProfileRunner(Path.of("target"), Clock.systemUTC(), () -> {}), Clock.systemUTC());
        loop = new ReportingLoop(context, outbox, new ProfileReporter(profiles, client, Clock.systemUTC()));
        reporter[0] = loop;
        loop.start();
    }

    @AfterEach
    void stop() throws Exception {
        loop.stop();
        loop.join(Duration.ofSeconds(5));
        manager.close();
    }

    @Test
    void aCheckpointIsSavedAfterTheLinesWrittenBeforeItAndTheNextAttemptReadsIt() {
        ObjectNode earlier = JsonNodeFactory.instance.objectNode().put("step", "earlier");
        runner.start(new TaskAssignment("t-1", "change", null, 7, 2, 60_000, 0, null, "l-1", earlier));
        await().atMost(Duration.ofSeconds(10)).until(() -> manager.appliedCount("t-1") == 1);

        assertThat(changer.seen).containsExactly("{\"step\":\"earlier\"}");
        List<FakeManager.Checkpoint> saved = manager.checkpoints("t-1");
        assertThat(saved).extracting(c -> c.state().path("step").asText()).containsExactly("one", "two");
        assertThat(saved).extracting(FakeManager.Checkpoint::linesBefore).containsExactly(1, 2);
        assertThat(saved).extracting(FakeManager.Checkpoint::fencingToken).containsOnly(7L);
        assertThat(changer.changes).containsExactly("one", "two");
        assertThat(manager.outcomes("t-1").get(0).body().path("status").asText())
                .isEqualTo("SUCCEEDED");
    }

    @Test
    void aFirstAttemptReadsAnEmptyCheckpoint() {
        runner.start(new TaskAssignment("t-2", "change", null, 1, 1, 60_000, 0));
        await().atMost(Duration.ofSeconds(10)).until(() -> manager.appliedCount("t-2") == 1);
        assertThat(changer.seen).containsExactly("{}");
    }

    @Test
    void aLeaseLostWhenSavingStopsTheHandlerBeforeItsChangeAndNothingIsReported() {
        manager.leaseLostOnCheckpoint("t-3");
        runner.start(new TaskAssignment("t-3", "change", null, 1, 1, 60_000, 0, null, "l-3"));
        await().atMost(Duration.ofSeconds(10)).until(() -> changer.ended.contains("t-3"));

        assertThat(changer.changes).as("no change after the lease was lost").isEmpty();
        assertThat(changer.interrupted).containsExactly("t-3");
        assertThat(manager.checkpoints("t-3")).isEmpty();
        await().during(Duration.ofMillis(500))
                .atMost(Duration.ofSeconds(2))
                .until(() -> manager.appliedCount("t-3") == 0);
    }

    @Test
    void aCheckpointTheManagerRefusesFailsTheTask() {
        manager.refuse(DelegateApiPaths.taskProgress("t-4"), 400, "INVALID", "checkpoint: larger than 64 KiB");
        runner.start(new TaskAssignment("t-4", "change", null, 1, 1, 60_000, 0, null, "l-4"));
        await().atMost(Duration.ofSeconds(10)).until(() -> changer.ended.contains("t-4"));
        manager.clearRefusals();
        await().atMost(Duration.ofSeconds(10)).until(() -> manager.appliedCount("t-4") == 1);

        assertThat(changer.changes).isEmpty();
        JsonNode outcome = manager.outcomes("t-4").get(0).body();
        assertThat(outcome.path("status").asText()).isEqualTo("FAILED");
        assertThat(outcome.path("error").path("message").asText())
                .contains("refused to save the task's checkpoint")
                .contains("64 KiB");
    }

    /** Logs a line, saves a checkpoint, "changes" something; twice. */
    private static final class Changer implements TaskHandler {
        final List<String> seen = new CopyOnWriteArrayList<>();
        final List<String> changes = new CopyOnWriteArrayList<>();
        final List<String> interrupted = new CopyOnWriteArrayList<>();
        final List<String> ended = new CopyOnWriteArrayList<>();

        @Override
        public String type() {
            return "change";
        }

        @Override
        public JsonNode run(TaskContext context) throws TaskFailure, InterruptedException {
            seen.add(context.checkpoint().toString());
            try {
                for (String step : List.of("one", "two")) {
                    context.log("about to change " + step);
                    context.saveCheckpoint(JsonNodeFactory.instance.objectNode().put("step", step));
                    changes.add(step);
                }
                return JsonNodeFactory.instance.objectNode();
            } catch (InterruptedException e) {
                interrupted.add(context.taskId());
                throw e;
            } finally {
                ended.add(context.taskId());
            }
        }
    }
}
