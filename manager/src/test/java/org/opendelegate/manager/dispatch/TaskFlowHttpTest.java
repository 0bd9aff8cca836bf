package org.opendelegate.manager.dispatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.opendelegate.manager.testing.TestManager;
import org.opendelegate.testkit.FakeDelegate;
import org.opendelegate.testkit.MutableClock;
import org.opendelegate.testkit.TestHttp;

/** Tasks through the real Manager, with protocol-level fake delegates playing every part. */
class TaskFlowHttpTest {
    private TestManager manager;
    private TestHttp api;

    @BeforeEach
    void start() {
        manager = TestManager.start();
        api = manager.api();
    }

    @AfterEach
    void stop() {
        manager.close();
    }

    @Test
    void anEchoTaskRunsOnAnEligibleDelegateAndKeepsItsResult() {
        FakeDelegate other = manager.delegate("other", "g2");
        FakeDelegate d = manager.delegate("d1", "g").with("selectors", List.of("ecs"));
        other.register();
        d.register();
        String id = submit(Map.of("type", "echo", "payload", Map.of("hello", "world"), "selectors", List.of("ECS")));

        JsonNode assignment = d.take();
        assertThat(assignment.get("taskId").asText()).isEqualTo(id);
        assertThat(assignment.get("payload").get("hello").asText()).isEqualTo("world");
        assertThat(assignment.get("fencingToken").asLong()).isEqualTo(1);
        assertThat(task(id).get("state").asText()).isEqualTo("RUNNING");
        JsonNode applied = d.succeed(id, 1, Map.of("hello", "world"));

        assertThat(applied.get("disposition").asText()).isEqualTo("APPLIED");
        JsonNode done = task(id);
        assertThat(done.get("state").asText()).isEqualTo("SUCCEEDED");
        assertThat(done.get("delegateId").asText()).isEqualTo(d.delegateId);
        assertThat(done.get("result").get("hello").asText()).isEqualTo("world");
        assertThat(done.get("attempts").get(0).get("outcome").asText()).isEqualTo("SUCCEEDED");
        JsonNode log = done.get("selectionLog");
        assertThat(log.get("chosen").get("name").asText()).isEqualTo("d1");
        assertThat(log.get("candidates").findValues("reason").toString()).contains("selector `ecs` missing");
    }

    @Test
    void everyRoutingDecisionIsTimedInTheMetrics() {
        FakeDelegate d = manager.delegate("d1", "g");
        d.register();
        assertThat(routingDecisions()).isZero();

        String id = submit(Map.of("type", "echo"));
        assertThat(routingDecisions())
                .as("the decision at submission, nobody polling")
                .isEqualTo(1);

        assertThat(d.take().get("taskId").asText()).isEqualTo(id);
        assertThat(routingDecisions()).as("and the one when the poll took it").isEqualTo(2);
    }

    private double routingDecisions() {
        return manager.anonymous()
                .get("/metrics")
                .body()
                .lines()
                .filter(line -> line.startsWith("opendelegate_routing_decisions_seconds_count "))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.indexOf(' ') + 1)))
                .findFirst()
                .orElseThrow();
    }

    @Test
    void tasksGetIdsThatSortInTheOrderTheyWereSubmittedWithDistinctShortIds() {
        // Ordered ids keep a commit's index pages few (TaskIds); the console shows the first 8 hex digits.
        List<String> ids = new java.util.ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ids.add(submit(Map.of("type", "echo")));
        }

        assertThat(ids).isSorted();
        assertThat(ids.stream().map(id -> id.substring(0, 8)).distinct()).hasSize(5);
        assertThat(java.util.UUID.fromString(ids.get(0)).version()).isEqualTo(8);
    }

    @Test
    void aTaskHandedToAParkedPollIsAnsweredWithTheRoutingDecisionItWasStoredWith() {
        FakeDelegate d = manager.delegate("d1", "g");
        d.register();
        // Whether the poll is parked when the task arrives depends on timing: rounds until one is handed over
        // at submission (answered RUNNING); a round that found no parked poll is served queued instead.
        boolean handedOver = false;
        for (int round = 0; round < 20 && !handedOver; round++) {
            CompletableFuture<TestHttp.Response> poll = CompletableFuture.supplyAsync(() -> d.poll(1));
            TestHttp.Response submitted = api.post("/api/v1/tasks", Map.of("type", "echo"));
            assertThat(submitted.status()).as(submitted.toString()).isEqualTo(201);
            JsonNode answer = submitted.json();
            String id = answer.get("id").asText();
            handedOver = answer.get("state").asText().equals("RUNNING");
            if (handedOver) {
                JsonNode stored = task(id);
                assertThat(answer.get("selectionLog")).isEqualTo(stored.get("selectionLog"));
                assertThat(answer.get("selectionHistory")).isEqualTo(stored.get("selectionHistory"));
                assertThat(answer.get("selectionLog").get("chosen").get("name").asText())
                        .isEqualTo("d1");
            }
            assertThat(poll.join().json().get("assignments").findValuesAsText("taskId"))
                    .containsExactly(id);
            d.succeed(id, 1, Map.of());
        }
        assertThat(handedOver).isTrue();
    }

    @Test
    void aRetriedOutcomeIsAcknowledgedButAppliedOnce() {
        FakeDelegate d = manager.delegate("d1", "g");
        d.register();
        String id = submit(Map.of("type", "echo"));
        d.take();
        d.succeed(id, 1, Map.of("n", 1));

        JsonNode again = d.succeed(id, 1, Map.of("n", 1));
        JsonNode different = d.report(id, 1, "FAILED");

        assertThat(again.get("disposition").asText()).isEqualTo("ALREADY_APPLIED");
        // A heartbeat that still lists the task (its report was on the way) does not hear it as lost.
        assertThat(d.heartbeat(id).json().get("lostTaskIds")).isEmpty();
        assertThat(different.get("disposition").asText()).isEqualTo("LEASE_LOST");
        assertThat(task(id).get("result").get("n").asInt()).isEqualTo(1);
        assertThat(task(id).get("attempts")).hasSize(1);
    }

    @Test
    void aDeadDelegatesTaskMovesToAnotherAndTheZombiesLateResultIsRefused() {
        FakeDelegate zombie = manager.delegate("zombie", "g");
        zombie.register();
        String id = submit(Map.of("type", "echo", "payload", Map.of("n", 7)));
        JsonNode first = zombie.take();
        FakeDelegate rescuer = manager.delegate("rescuer", "g");
        rescuer.register();
        CompletableFuture<JsonNode> second = CompletableFuture.supplyAsync(() -> {
            for (int i = 0; i < 20; i++) {
                rescuer.heartbeat();
                JsonNode a = rescuer.poll(1).json().get("assignments");
                if (a.size() > 0) {
                    return a.get(0);
                }
            }
            throw new AssertionError("not rerouted");
        });

        JsonNode rerouted = second.join();
        assertThat(rerouted.get("taskId").asText()).isEqualTo(id);
        assertThat(rerouted.get("fencingToken").asLong())
                .isGreaterThan(first.get("fencingToken").asLong());
        assertThat(rerouted.get("attempt").asInt()).isEqualTo(2);
        JsonNode late = zombie.succeed(id, first.get("fencingToken").asLong(), Map.of("from", "zombie"));
        assertThat(late.get("disposition").asText()).isEqualTo("LEASE_LOST");
        assertThat(zombie.heartbeat(id).json().get("lostTaskIds").toString()).contains(id);
        assertThat(late.get("detail").asText()).contains("is no longer held");
        TestHttp.Response lateProgress =
                zombie.progress(id, first.get("fencingToken").asLong(), "still here");
        assertThat(lateProgress.json().get("code").asText()).isEqualTo("LEASE_LOST");
        rescuer.succeed(id, rerouted.get("fencingToken").asLong(), Map.of("from", "rescuer"));

        JsonNode done = task(id);
        assertThat(done.get("result").get("from").asText()).isEqualTo("rescuer");
        assertThat(done.get("attempts"))
                .extracting(a -> a.get("outcome").asText())
                .containsExactly("LEASE_EXPIRED", "SUCCEEDED");
        assertThat(done.get("selectionLog").get("chosen").get("name").asText()).isEqualTo("rescuer");
    }

    @Test
    void aRestartedDelegateGivesBackTheTasksItNoLongerRunsAtOnce() {
        FakeDelegate d = manager.delegate("d1", "g");
        d.register();
        String id = submit(Map.of("type", "echo"));
        d.take();

        manager.delegate("d1", "g").register();

        JsonNode t = task(id);
        assertThat(t.get("state").asText()).isEqualTo("QUEUED");
        assertThat(t.get("attempts").get(0).get("outcome").asText()).isEqualTo("DELEGATE_RESTARTED");
    }

    @Test
    void cancellingAQueuedTaskEndsItAndARunningOneReachesItsDelegateAtOnce() throws Exception {
        String queued = submit(Map.of("type", "echo", "selectors", List.of("nobody-has-this")));
        TestHttp.Response cancelled = api.post("/api/v1/tasks/" + queued + "/cancel", Map.of());
        assertThat(cancelled.json().get("state").asText()).isEqualTo("CANCELLED");
        assertThat(api.post("/api/v1/tasks/" + queued + "/cancel", Map.of()).status())
                .isEqualTo(409);

        FakeDelegate d = manager.delegate("d1", "g");
        d.register();
        String running = submit(Map.of("type", "sleep", "payload", Map.of("seconds", 60)));
        JsonNode assignment = d.take();
        // A delegate with no free slot still keeps a poll open, so a cancellation reaches it at once.
        CompletableFuture<TestHttp.Response> parked = CompletableFuture.supplyAsync(() -> d.poll(0));
        assertThat(api.post("/api/v1/tasks/" + running + "/cancel", Map.of()).status())
                .isEqualTo(202);
        TestHttp.Response poll = parked.get();

        assertThat(poll.json().get("cancelTaskIds").toString()).contains(running);
        assertThat(d.progress(running, assignment.get("fencingToken").asLong())
                        .json()
                        .get("cancelRequested")
                        .asBoolean())
                .isTrue();
        d.report(running, assignment.get("fencingToken").asLong(), "CANCELLED");
        assertThat(task(running).get("state").asText()).isEqualTo("CANCELLED");
    }

    @Test
    void aRepeatedSubmissionWithTheSameKeyReturnsTheFirstTask() {
        Map<String, Object> request = Map.of("type", "echo", "payload", Map.of("v", 1), "idempotencyKey", "deploy-9");
        TestHttp.Response first = api.post("/api/v1/tasks", request);
        TestHttp.Response repeat = api.post("/api/v1/tasks", request);
        TestHttp.Response conflicting = api.post(
                "/api/v1/tasks", Map.of("type", "echo", "payload", Map.of("v", 2), "idempotencyKey", "deploy-9"));

        assertThat(first.status()).isEqualTo(201);
        assertThat(repeat.status()).isEqualTo(200);
        assertThat(repeat.json().get("id").asText())
                .isEqualTo(first.json().get("id").asText());
        assertThat(conflicting.status()).isEqualTo(409);
        assertThat(api.get("/api/v1/tasks").json().get("tasks")).hasSize(1);
    }

    @Test
    void aSyncSubmissionAnswersWithTheResultOrTimesOut() {
        FakeDelegate d = manager.delegate("d1", "g");
        d.register();
        // Alive throughout: the second task must find it connected and busy, however slow the machine is.
        d.keepAlive(Duration.ofMillis(300));
        CompletableFuture<Void> worker = CompletableFuture.runAsync(() -> {
            JsonNode a = d.take();
            d.succeed(a.get("taskId").asText(), a.get("fencingToken").asLong(), Map.of("answer", 42));
        });

        TestHttp.Response sync = api.post("/api/v1/tasks", Map.of("type", "echo", "sync", true, "timeoutSeconds", 10));
        worker.join();
        TestHttp.Response timedOut = api.post(
                "/api/v1/tasks", Map.of("type", "echo", "sync", true, "timeoutSeconds", 1, "selectors", List.of("d1")));

        assertThat(sync.status()).isEqualTo(200);
        assertThat(sync.json().get("state").asText()).isEqualTo("SUCCEEDED");
        assertThat(sync.json().get("result").get("answer").asInt()).isEqualTo(42);
        assertThat(timedOut.json().get("state").asText()).isEqualTo("TIMED_OUT");
        assertThat(timedOut.json().get("error").get("message").asText()).contains("1 eligible delegate was busy");
    }

    @Test
    void withNoEligibleDelegateTheTaskFailsFastNamingWhatIsMissing() {
        FakeDelegate gone = manager.delegate("ecs-1", "g").with("selectors", List.of("ecs-prod"));
        gone.register();
        gone.deregister();
        manager.delegate("ecs-2", "g").register();

        String id = submit(Map.of("type", "echo", "selectors", List.of("ecs-prod")));
        await().atMost(Duration.ofSeconds(5))
                .until(() -> task(id).get("state").asText().equals("NOT_ASSIGNED"));

        String message = task(id).get("error").get("message").asText();
        assertThat(message)
                .contains("no connected delegate has selector `ecs-prod`")
                .contains("`ecs-1` has it but disconnected")
                .contains("`ecs-2` is connected but lacks `ecs-prod`");
        JsonNode log = task(id).get("selectionLog");
        assertThat(log.get("trigger").asText()).isEqualTo("NO_ELIGIBLE_DELEGATE");
        assertThat(log.get("candidates")).hasSize(2);
    }

    @Test
    void aCapabilityFailureTriesAnotherDelegateAndATaskFailureEndsTheTask() {
        FakeDelegate a = manager.delegate("a", "g");
        a.register();
        String id = submit(Map.of("type", "echo", "maxAttempts", 2));
        JsonNode first = a.take();
        FakeDelegate b = manager.delegate("b", "g");
        b.register();
        a.fail(id, first.get("fencingToken").asLong(), "CAPABILITY", "no credentials here");
        JsonNode second = b.take();
        b.fail(id, second.get("fencingToken").asLong(), "TASK", "the input is wrong");

        JsonNode done = task(id);
        assertThat(done.get("state").asText()).isEqualTo("FAILED");
        assertThat(done.get("error").get("kind").asText()).isEqualTo("TASK");
        assertThat(done.get("error").get("message").asText()).isEqualTo("the input is wrong");
        assertThat(done.get("attempts"))
                .extracting(x -> x.get("delegateName").asText())
                .containsExactly("a", "b");
    }

    @Test
    void progressLinesRenewTheLeaseAndCanBeFollowed() {
        // The Manager's clock is moved by hand, so the lease is tested against time that passes exactly as
        // the test says, however slow the machine is.
        MutableClock clock = new MutableClock(Instant.now());
        try (TestManager timed = TestManager.start(Map.of(), clock)) {
            TestHttp timedApi = timed.api();
            FakeDelegate d = timed.delegate("d1", "g");
            d.register();
            String id = submit(timedApi, Map.of("type", "echo"));
            long token = d.take().get("fencingToken").asLong();
            String unrenewed = null;
            // Six lines 500 ms apart: 3 s of progress, longer than the 2 s lease, so only renewal keeps the task.
            for (int i = 0; i < 6; i++) {
                clock.advance(Duration.ofMillis(500));
                d.heartbeat(); // lists no task: keeps the delegate connected without renewing any lease
                assertThat(d.progress(id, token, "line " + i).status()).isEqualTo(200);
                if (i == 1) {
                    // A witness taken 1 s in, never renewed: its lease ends with the 3 s, so once it is seen
                    // expired, a sweep has looked at the first task at least 1 s after its own first lease ended.
                    unrenewed = submit(timedApi, Map.of("type", "echo"));
                    assertThat(d.take().get("taskId").asText()).isEqualTo(unrenewed);
                }
            }
            clock.advance(Duration.ofMillis(100));
            d.heartbeat();
            String witness = unrenewed;
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> task(timedApi, witness).get("state").asText(), "QUEUED"::equals);

            assertThat(task(timedApi, witness)
                            .get("attempts")
                            .get(0)
                            .get("outcome")
                            .asText())
                    .isEqualTo("LEASE_EXPIRED");
            assertThat(task(timedApi, id).get("state").asText())
                    .as("3 s of progress kept the 2 s lease")
                    .isEqualTo("RUNNING");
            JsonNode log = timedApi.get("/api/v1/tasks/" + id + "/log").json();
            assertThat(log.get("lines")).hasSize(6);
            long next = log.get("next").asLong();
            CompletableFuture<JsonNode> follow = CompletableFuture.supplyAsync(
                    () -> timedApi.get("/api/v1/tasks/" + id + "/log?after=" + next + "&wait=10")
                            .json());
            d.progress(id, token, "late line");
            assertThat(follow.join().get("lines").get(0).get("text").asText()).isEqualTo("late line");
        }
    }

    @Test
    void groupScopesKeepTasksOutOrLetThemIn() {
        FakeDelegate prodOnly = manager.delegate("prod-1", "prod");
        FakeDelegate anything = manager.delegate("dev-1", "dev");
        prodOnly.register();
        anything.register();
        String prodGroup = api.get("/api/v1/delegates/" + prodOnly.delegateId)
                .json()
                .get("groupId")
                .asText();
        String devGroup = api.get("/api/v1/delegates/" + anything.delegateId)
                .json()
                .get("groupId")
                .asText();
        TestHttp.Response set = api.put(
                "/api/v1/delegate-groups/" + prodGroup + "/scopes",
                Map.of("include", List.of(Map.of("environmentType", "prod"))));
        api.put(
                "/api/v1/delegate-groups/" + devGroup + "/scopes",
                Map.of("exclude", List.of(Map.of("environmentType", "PROD"))));
        TestHttp.Response invalid = api.put(
                "/api/v1/delegate-groups/" + devGroup + "/scopes",
                Map.of("include", List.of(Map.of("environmentType", "STAGING"))));

        assertThat(set.json()
                        .get("scopes")
                        .get("include")
                        .get(0)
                        .get("environmentType")
                        .asText())
                .isEqualTo("PROD");
        assertThat(invalid.status()).isEqualTo(400);
        assertThat(invalid.json().get("errors").get(0).get("field").asText()).isEqualTo("include[0].environmentType");
        String prodTask = submit(Map.of("type", "echo", "scope", Map.of("environmentType", "PROD")));
        JsonNode taken = prodOnly.take();
        assertThat(taken.get("taskId").asText()).isEqualTo(prodTask);
        assertThat(task(prodTask)
                        .get("selectionLog")
                        .get("candidates")
                        .findValues("reason")
                        .toString())
                .contains("scope `environmentType=PROD` excluded");
    }

    @Test
    void aDelegateThatFailedAnAffinityKeyForItsOwnReasonsIsAvoidedForIt() {
        FakeDelegate noCredentials = manager.delegate("no-creds", "g");
        noCredentials.register();
        String first = submit(Map.of("type", "echo", "affinityKey", "aws-prod", "maxAttempts", 1));
        JsonNode a = noCredentials.take();
        noCredentials.fail(first, a.get("fencingToken").asLong(), "CAPABILITY", "no AWS credentials found");
        assertThat(task(first).get("state").asText()).isEqualTo("FAILED");
        FakeDelegate good = manager.delegate("good", "g");
        good.register();

        String second = submit(Map.of("type", "echo", "affinityKey", "aws-prod"));
        JsonNode b = good.take();
        assertThat(b.get("taskId").asText()).isEqualTo(second);
        good.succeed(second, b.get("fencingToken").asLong(), Map.of());
        assertThat(task(second)
                        .get("selectionLog")
                        .get("candidates")
                        .findValues("reason")
                        .toString())
                .contains("could not act for `aws-prod`", "no AWS credentials found");
        String unrelated = submit(Map.of("type", "echo", "affinityKey", "aws-dev", "selectors", List.of("no-creds")));
        assertThat(noCredentials.take().get("taskId").asText()).isEqualTo(unrelated);
    }

    @Test
    void badSubmissionsAreRefusedWithEveryReason() {
        TestHttp.Response r = api.post(
                "/api/v1/tasks",
                Map.of(
                        "type",
                        "Not A Type",
                        "payload",
                        List.of(1),
                        "timeoutSeconds",
                        0,
                        "maxAttempts",
                        99,
                        "selectors",
                        List.of("bad selector")));
        TestHttp.Response sync =
                api.post("/api/v1/tasks", Map.of("type", "echo", "sync", true, "timeoutSeconds", 3600));

        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().get("errors").findValues("field"))
                .extracting(JsonNode::asText)
                .containsExactlyInAnyOrder("type", "payload", "timeoutSeconds", "maxAttempts", "selectors[0]");
        assertThat(sync.json().get("detail").asText()).contains("submit longer work async");
        assertThat(api.get("/api/v1/tasks?state=SLEEPING").status()).isEqualTo(400);
        assertThat(api.get("/api/v1/tasks").json().get("tasks")).isEmpty();
    }

    private String submit(Map<String, Object> request) {
        return submit(api, request);
    }

    private static String submit(TestHttp api, Map<String, Object> request) {
        TestHttp.Response r = api.post("/api/v1/tasks", request);
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        return r.json().get("id").asText();
    }

    private JsonNode task(String id) {
        return task(api, id);
    }

    private static JsonNode task(TestHttp api, String id) {
        return api.get("/api/v1/tasks/" + id).json();
    }
}
