package org.opendelegate.delegate.loop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.net.Proxy;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
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
import org.opendelegate.delegate.time.Sleeper;
import org.opendelegate.protocol.DelegateApiPaths;
import org.opendelegate.protocol.DelegateType;
import org.opendelegate.protocol.IdentityKind;
import org.opendelegate.protocol.RegisterRequest;
import org.opendelegate.protocol.TaskAssignment;
import org.opendelegate.spi.TaskContext;
import org.opendelegate.spi.TaskHandler;
import org.opendelegate.testkit.FakeManager;

/** The reporting loop when the Manager refuses progress for a while (issue 12: 429 LIMIT_REACHED). */
class ReportingLoopTest {

    @Test
    void linesRefusedWith429AreKeptAndSentOnceInOrderAfterTheBackOff() throws Exception {
        try (FakeManager manager = new FakeManager()) {
            String taskId = "t-429";
            String progress = DelegateApiPaths.taskProgress(taskId);
            manager.refuse(progress, 429, "LIMIT_REACHED", "Too many log lines per second; slow down.");
            // The back-off is the loop's only pause; the Manager takes lines again once it has been waited.
            List<Duration> backOffs = new CopyOnWriteArrayList<>();
            Sleeper sleeper = d -> {
                backOffs.add(d);
                manager.clearRefusals();
            };
            Reporting reporting = Reporting.of(manager, sleeper);
            TaskRunner runner = reporting.runner();
            runner.start(new TaskAssignment(taskId, "lines", null, 1, 1, 60_000, 0));
            reporting.runUntil(() -> manager.appliedCount(taskId) == 1);

            assertThat(backOffs).as("the loop backed off after the 429").isNotEmpty();
            assertThat(manager.logLines(taskId)).containsExactly("one", "two", "three");
        }
    }

    /**
     * The Manager answers an outcome late, after it leased the task again and the new lease's outcome waits in
     * the outbox: the late answer settles the outcome it was about, and the new one is still delivered.
     */
    @Test
    void aLateAnswerForOneLeaseLeavesTheOutcomeOfTheTasksNextLeaseToBeDelivered() throws Exception {
        try (FakeManager manager = new FakeManager()) {
            String taskId = "t-again";
            Reporting reporting = Reporting.of(manager, d -> {});
            TaskRunner runner = reporting.runner();
            Outbox outbox = reporting.outbox();
            manager.beforeAnsweringOutcome(taskId, () -> {
                runner.start(new TaskAssignment(taskId, "lines", null, 2, 2, 60_000, 0));
                await().atMost(Duration.ofSeconds(10)).until(() -> {
                    var waiting = outbox.get(taskId);
                    return waiting != null && waiting.task().fencingToken() == 2;
                });
            });
            runner.start(new TaskAssignment(taskId, "lines", null, 1, 1, 60_000, 0));
            reporting.runUntil(() -> manager.appliedCount(taskId) == 2);

            assertThat(manager.outcomes(taskId))
                    .extracting(c -> c.body().path("fencingToken").asLong())
                    .containsExactly(1L, 2L);
        }
    }

    /** A reporting loop, its outbox and task runner, wired as the delegate wires them, on a session with the fake. */
    private record Reporting(Outbox outbox, TaskRunner runner, ReportingLoop loop) {
        static Reporting of(FakeManager manager, Sleeper sleeper) throws Exception {
            ManagerClient client =
                    new ManagerClient(new HttpTransport(manager.url(), Proxy.NO_PROXY, "t", "a", "test"));
            // A finished task's outcome wakes the loop (otherwise a loop that looked just before the outcome
            // arrived sleeps its idle wait, 30 s).
            ReportingLoop[] reporter = new ReportingLoop[1];
            Outbox outbox = new Outbox(() -> {
                if (reporter[0] != null) {
                    reporter[0].wake();
                }
            });
            TaskRunner runner = new TaskRunner(
                    Map.of("lines", new ThreeLines()), 1, outbox, Clock.systemUTC(), () -> "d", () -> {}, () -> {});
            SessionKeeper sessions = sessions(client, runner, d -> {});
            sessions.register();
            LoopContext context = new LoopContext(
                    client,
                    sessions,
                    runner,
                    new HealthState(Clock.systemUTC(), Duration.ofMinutes(2)),
                    new StopSignal(),
                    sleeper,
                    Clock.systemUTC());
            ProfileKeeper profiles = new ProfileKeeper(
                    new ProfileRunner(Path.of("target"), Clock.systemUTC(), () -> {}), Clock.systemUTC());
            reporter[0] = new ReportingLoop(context, outbox, new ProfileReporter(profiles, client, Clock.systemUTC()));
            return new Reporting(outbox, runner, reporter[0]);
        }

        /** Runs the loop until {@code done} holds (at most 10 s), then stops it. */
        void runUntil(Callable<Boolean> done) throws InterruptedException {
            loop.start();
            try {
                await().atMost(Duration.ofSeconds(10)).until(done);
            } finally {
                loop.stop();
                loop.join(Duration.ofSeconds(5));
            }
        }
    }

    private static SessionKeeper sessions(ManagerClient client, TaskRunner runner, Sleeper sleeper) {
        return new SessionKeeper(
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
                        List.of("lines"),
                        null,
                        runner.heldTaskIds()),
                new StopSignal(),
                new HealthState(Clock.systemUTC(), Duration.ofMinutes(2)),
                sleeper);
    }

    /** Writes three lines and ends. */
    private static final class ThreeLines implements TaskHandler {
        @Override
        public String type() {
            return "lines";
        }

        @Override
        public JsonNode run(TaskContext context) {
            context.log("one");
            context.log("two");
            context.log("three");
            return JsonNodeFactory.instance.objectNode();
        }
    }
}
