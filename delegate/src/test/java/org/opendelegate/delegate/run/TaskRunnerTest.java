package org.opendelegate.delegate.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.opendelegate.protocol.ErrorKind;
import org.opendelegate.protocol.OutcomeStatus;
import org.opendelegate.protocol.TaskAssignment;
import org.opendelegate.spi.TaskContext;
import org.opendelegate.spi.TaskFailure;
import org.opendelegate.spi.TaskHandler;

class TaskRunnerTest {
    private static final Duration WAIT = Duration.ofSeconds(5);
    private final Outbox outbox = new Outbox(() -> {});

    private static TaskHandler handler(String type, Body body) {
        return new TaskHandler() {
            @Override
            public String type() {
                return type;
            }

            @Override
            public JsonNode run(TaskContext context) throws Exception {
                return body.run(context);
            }
        };
    }

    interface Body {
        JsonNode run(TaskContext context) throws Exception;
    }

    private TaskRunner runner(int capacity, TaskHandler... handlers) {
        Map<String, TaskHandler> byType = new java.util.HashMap<>();
        for (TaskHandler handler : handlers) {
            byType.put(handler.type(), handler);
        }
        return new TaskRunner(byType, capacity, outbox, Clock.systemUTC(), () -> "d-1", () -> {}, () -> {});
    }

    private static TaskAssignment assignment(String id, String type) {
        return new TaskAssignment(id, type, null, 3, 1, 60_000, 0);
    }

    private PendingOutcome outcomeOf(String taskId) {
        await().atMost(WAIT).until(() -> outbox.get(taskId) != null);
        return outbox.get(taskId);
    }

    @Test
    void theHandlerGetsTheAssignmentsSecretsAndAnEmptyObjectWhenThereAreNone() {
        TaskRunner runner = runner(
                2,
                handler(
                        "secretive",
                        c -> JsonNodeFactory.instance
                                .objectNode()
                                .put("seen", c.secrets().path("token").asText("none"))
                                .put("isObject", c.secrets().isObject())));
        runner.reserveSlots();

        runner.start(new TaskAssignment(
                "t-s",
                "secretive",
                null,
                3,
                1,
                60_000,
                0,
                JsonNodeFactory.instance.objectNode().put("token", "s3cr3t"),
                "odl_lease"));
        runner.start(assignment("t-n", "secretive"));

        assertThat(outcomeOf("t-s").result().get("seen").asText()).isEqualTo("s3cr3t");
        assertThat(outcomeOf("t-n").result().get("seen").asText()).isEqualTo("none");
        assertThat(outcomeOf("t-n").result().get("isObject").asBoolean()).isTrue();
    }

    @Test
    void anUnexpectedExceptionFailsTheTaskWithItsMessage() {
        TaskRunner runner = runner(1, handler("boom", c -> {
            throw new IllegalStateException("the disk is full");
        }));
        runner.reserveSlots();

        runner.start(assignment("t-1", "boom"));

        PendingOutcome outcome = outcomeOf("t-1");
        assertThat(outcome.status()).isEqualTo(OutcomeStatus.FAILED);
        assertThat(outcome.error().kind()).isEqualTo(ErrorKind.TASK);
        assertThat(outcome.error().message()).isEqualTo("the disk is full");
    }

    @Test
    void aFailureWithAResultReportsTheResultWithTheFailedOutcome() {
        TaskRunner runner = runner(1, handler("script", c -> {
            throw TaskFailure.task("exited with code 3")
                    .withResult(JsonNodeFactory.instance.objectNode().put("exitCode", 3));
        }));
        runner.reserveSlots();

        runner.start(assignment("t-r", "script"));

        PendingOutcome outcome = outcomeOf("t-r");
        assertThat(outcome.status()).isEqualTo(OutcomeStatus.FAILED);
        assertThat(outcome.error().message()).isEqualTo("exited with code 3");
        assertThat(outcome.result().get("exitCode").asInt()).isEqualTo(3);
    }

    @Test
    void theLongestStopGraceOfTheRunningTasksIsKnownUntilTheyEnd() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        TaskHandler graceful = new TaskHandler() {
            @Override
            public String type() {
                return "graceful";
            }

            @Override
            public Duration stopGrace(JsonNode payload) {
                return Duration.ofSeconds(payload.path("grace").asInt());
            }

            @Override
            public JsonNode run(TaskContext context) throws Exception {
                release.await();
                return null;
            }
        };
        TaskRunner runner = runner(3, graceful, handler("quick", c -> {
            release.await();
            return null;
        }));
        runner.reserveSlots();
        assertThat(runner.longestStopGrace()).isZero();

        runner.start(new TaskAssignment(
                "t-g", "graceful", JsonNodeFactory.instance.objectNode().put("grace", 12), 3, 1, 60_000, 0));
        runner.start(assignment("t-q", "quick"));

        assertThat(runner.longestStopGrace()).isEqualTo(Duration.ofSeconds(12));
        release.countDown();
        assertThat(runner.awaitIdle(Instant.now().plus(WAIT))).isTrue();
        assertThat(runner.longestStopGrace()).isZero();
    }

    @Test
    void aCapabilityFailureKeepsItsKind() {
        TaskRunner runner = runner(1, handler("aws", c -> {
            throw TaskFailure.capability("no credentials on this delegate");
        }));
        runner.reserveSlots();

        runner.start(assignment("t-2", "aws"));

        PendingOutcome outcome = outcomeOf("t-2");
        assertThat(outcome.error().kind()).isEqualTo(ErrorKind.CAPABILITY);
        assertThat(outcome.error().message()).isEqualTo("no credentials on this delegate");
    }

    @Test
    void theHandlerSeesAnEmptyObjectWhenThePayloadIsMissing() {
        TaskRunner runner = runner(1, handler("echo", TaskContext::payload));
        runner.reserveSlots();

        runner.start(assignment("t-3", "echo"));

        assertThat(outcomeOf("t-3").result()).isEqualTo(JsonNodeFactory.instance.objectNode());
    }

    @Test
    void aFinishedTaskGivesItsSlotBack() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        TaskRunner runner = runner(2, handler("wait", c -> {
            release.await();
            return null;
        }));
        assertThat(runner.reserveSlots()).isEqualTo(2);
        runner.start(assignment("t-4", "wait"));
        runner.releaseSlots(1);

        assertThat(runner.reserveSlots()).isEqualTo(1);
        runner.releaseSlots(1);
        release.countDown();

        await().atMost(WAIT).until(() -> runner.runningCount() == 0);
        assertThat(runner.reserveSlots()).isEqualTo(2);
        assertThat(runner.heldTaskIds()).containsExactly("t-4");
    }

    @Test
    void aTaskThatIgnoresItsInterruptIsStillReportedAtShutdown() throws Exception {
        CountDownLatch never = new CountDownLatch(1);
        CountDownLatch started = new CountDownLatch(1);
        TaskRunner runner = runner(1, handler("stubborn", c -> {
            started.countDown();
            while (never.getCount() > 0) {
                try {
                    never.await();
                } catch (InterruptedException ignored) {
                    // A badly written handler: swallows the interrupt and carries on.
                }
            }
            return null;
        }));
        runner.reserveSlots();
        runner.start(assignment("t-5", "stubborn"));
        started.await();

        runner.stopAll(StopReason.SHUTDOWN);
        assertThat(runner.awaitIdle(Instant.now().plusMillis(200))).isFalse();
        runner.abandonRunning();

        PendingOutcome outcome = outcomeOf("t-5");
        assertThat(outcome.status()).isEqualTo(OutcomeStatus.FAILED);
        assertThat(outcome.error().kind()).isEqualTo(ErrorKind.CAPABILITY);
        assertThat(outcome.error().message()).isEqualTo("delegate shut down before the task finished");
        assertThat(runner.runningCount()).isZero();
        never.countDown();
    }

    @Test
    void aNewLeaseOnATaskWhoseOutcomeWaitsReplacesTheStaleOutcome() {
        TaskRunner runner = runner(1, handler("echo", TaskContext::payload));
        runner.reserveSlots();
        runner.start(assignment("t-6", "echo"));
        outcomeOf("t-6");
        await().atMost(WAIT).until(() -> runner.runningCount() == 0);

        runner.reserveSlots();
        boolean started = runner.start(new TaskAssignment("t-6", "echo", null, 4, 2, 60_000, 0));

        assertThat(started).isTrue();
        await().atMost(WAIT)
                .until(() ->
                        outbox.get("t-6") != null && outbox.get("t-6").task().fencingToken() == 4);
    }

    @Test
    void aLostVerdictAboutAnEarlierLeaseLeavesTheTasksNewLeaseRunning() {
        CountDownLatch release = new CountDownLatch(1);
        TaskRunner runner = runner(1, handler("echo", TaskContext::payload), handler("wait", c -> {
            release.await();
            return null;
        }));
        runner.reserveSlots();
        runner.start(new TaskAssignment("t-7", "echo", null, 3, 1, 60_000, 0));
        outcomeOf("t-7");
        await().atMost(WAIT).until(() -> runner.runningCount() == 0);
        // The Manager put it back in the queue and leased it here again, while a heartbeat that held lease 3 was
        // on its way; its answer says lease 3 is lost.
        runner.reserveSlots();
        runner.start(new TaskAssignment("t-7", "wait", null, 4, 2, 60_000, 0));

        runner.leaseLost("t-7", 3);
        release.countDown();

        PendingOutcome outcome = outcomeOf("t-7");
        assertThat(outcome.task().fencingToken()).isEqualTo(4);
        assertThat(outcome.status()).isEqualTo(OutcomeStatus.SUCCEEDED);
        assertThat(runner.heldLeases()).containsExactly(Map.entry("t-7", 4L));
        runner.leaseLost("t-7", 3);
        assertThat(outbox.get("t-7")).isSameAs(outcome);
        runner.leaseLost("t-7", 4);
        assertThat(outbox.get("t-7")).isNull();
    }
}
