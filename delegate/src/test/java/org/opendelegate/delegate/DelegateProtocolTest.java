package org.opendelegate.delegate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.opendelegate.delegate.stop.ExitCode;
import org.opendelegate.protocol.DelegateApiPaths;
import org.opendelegate.protocol.ProblemCodes;
import org.opendelegate.protocol.ProfileAssignment;
import org.opendelegate.protocol.TaskAssignment;
import org.opendelegate.testkit.FakeManager;
import org.opendelegate.testkit.FakeManager.Call;

/** The delegate against a fake Manager: the protocol as the Manager sees it. */
class DelegateProtocolTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private FakeManager manager;
    private RunningDelegate delegate;

    @BeforeEach
    void startManager() throws Exception {
        manager = new FakeManager();
    }

    @AfterEach
    void stopAll() throws Exception {
        if (delegate != null) {
            delegate.close();
        }
        manager.close();
    }

    private void startDelegate() throws Exception {
        startDelegate(RunningDelegate.env(manager));
    }

    private void startDelegate(Map<String, String> env) throws Exception {
        delegate = RunningDelegate.start(env);
        await().atMost(WAIT)
                .until(() -> !manager.calls(DelegateApiPaths.REGISTER).isEmpty());
    }

    static TaskAssignment task(String id, String type, JsonNode payload, long timeoutMillis) {
        return new TaskAssignment(id, type, payload, 7, 1, 60_000, timeoutMillis);
    }

    static TaskAssignment task(String id, String type, JsonNode payload, long timeoutMillis, long leaseMillis) {
        return new TaskAssignment(id, type, payload, 7, 1, leaseMillis, timeoutMillis);
    }

    static JsonNode sleepFor(double seconds) {
        return JsonNodeFactory.instance.objectNode().put("seconds", seconds);
    }

    private JsonNode onlyOutcome(String taskId) {
        await().atMost(WAIT).until(() -> !manager.outcomes(taskId).isEmpty());
        List<Call> outcomes = manager.outcomes(taskId);
        assertThat(outcomes).hasSize(1);
        return outcomes.get(0).body();
    }

    @Test
    void registersWithItsIdentityAndTheProtocolHeaders() throws Exception {
        Map<String, String> env = RunningDelegate.env(manager);
        env.put("DELEGATE_SELECTORS", "ECS, aws");
        env.put("DELEGATE_CAPACITY", "3");
        startDelegate(env);

        Call register = manager.calls(DelegateApiPaths.REGISTER).get(0);
        assertThat(register.authorization()).isEqualTo("Bearer token-1");
        assertThat(register.account()).isEqualTo("acc-1");
        assertThat(register.protocol()).isEqualTo("2");
        JsonNode body = register.body();
        assertThat(body.path("name").asText()).isEqualTo("test-delegate");
        assertThat(body.path("groupName").asText()).isEqualTo("test-group");
        assertThat(body.path("profileName").asText()).isEqualTo("Primary");
        assertThat(body.path("selectors").toString()).isEqualTo("[\"ecs\",\"aws\"]");
        assertThat(body.path("type").asText()).isEqualTo("SHELL");
        assertThat(body.path("identityKind").asText()).isEqualTo("STABLE");
        assertThat(body.path("hostname").asText()).isEqualTo("test-host");
        assertThat(body.path("capacity").asInt()).isEqualTo(3);
        assertThat(body.path("taskTypes").toString()).contains("echo", "sleep");
        assertThat(body.path("runningTaskIds").size()).isZero();
        assertThat(body.path("instanceId").asText()).isNotBlank();
        assertThat(body.has("launchType")).isFalse();
    }

    @Test
    void heartbeatsAtTheIntervalTheManagerSets() throws Exception {
        manager.heartbeatIntervalMillis = 100;
        startDelegate();

        await().atMost(WAIT)
                .until(() -> manager.calls(DelegateApiPaths.HEARTBEAT).size() >= 5);
        Call heartbeat = manager.calls(DelegateApiPaths.HEARTBEAT).get(0);
        assertThat(heartbeat.body().path("delegateId").asText()).isEqualTo("d-1");
        assertThat(heartbeat.body().path("sessionId").asText()).isEqualTo("s-1");
        await().atMost(WAIT).until(() -> delegate.delegate().health().ready());
    }

    @Test
    void afterRegistrationEveryCallPresentsTheSessionCredentialAndEchoesTheLeaseId() throws Exception {
        startDelegate();

        manager.assign(new TaskAssignment("t-lease", "sleep", sleepFor(0.5), 7, 1, 60_000, 10_000, null, "odl_1"));

        JsonNode outcome = onlyOutcome("t-lease");
        assertThat(outcome.path("leaseId").asText()).isEqualTo("odl_1");
        assertThat(manager.calls().stream().filter(c -> c.path().endsWith("/progress")))
                .isNotEmpty()
                .allMatch(c -> c.body().path("leaseId").asText().equals("odl_1"));
        assertThat(manager.calls().stream()
                        .filter(c -> c.authorization() != null)
                        .filter(c -> !c.path().equals(DelegateApiPaths.REGISTER)))
                .isNotEmpty()
                .allMatch(c -> c.authorization().equals("Bearer " + FakeManager.sessionToken("s-1")));
    }

    @Test
    void aSpentSingleUseTokenMakesItRegisterAgainWithItsSessionCredential() throws Exception {
        startDelegate();
        manager.delegateTokenUsedUp = true;

        manager.forgetSessions();

        await().atMost(WAIT)
                .until(() -> manager.calls(DelegateApiPaths.REGISTER).stream()
                        .anyMatch(c -> c.authorization().equals("Bearer " + FakeManager.sessionToken("s-1"))));
        await().atMost(WAIT)
                .until(() -> manager.calls(DelegateApiPaths.HEARTBEAT).stream()
                        .anyMatch(c -> c.body().path("sessionId").asText().equals("s-2")));
        assertThat(delegate.hasExited()).isFalse();
    }

    @Test
    void anEchoTaskSucceedsWithItsPayload() throws Exception {
        startDelegate();
        JsonNode payload = JsonNodeFactory.instance.objectNode().put("hello", "world");

        manager.assign(task("t-echo", "echo", payload, 10_000));

        JsonNode outcome = onlyOutcome("t-echo");
        assertThat(outcome.path("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(outcome.path("result")).isEqualTo(payload);
        assertThat(outcome.path("fencingToken").asLong()).isEqualTo(7);
        assertThat(outcome.path("sessionId").asText()).isEqualTo("s-1");
        await().atMost(WAIT).until(() -> manager.appliedCount("t-echo") == 1);
    }

    @Test
    void aSleepTaskStreamsItsLogBeforeItsOutcome() throws Exception {
        startDelegate();

        manager.assign(task("t-sleep", "sleep", sleepFor(0.3), 10_000));

        assertThat(onlyOutcome("t-sleep").path("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(manager.logLines("t-sleep")).containsExactly("Sleeping for 0.3 s", "Slept 0.3 s");
        List<Call> calls = manager.calls();
        int lastProgress = -1;
        int outcome = -1;
        for (int i = 0; i < calls.size(); i++) {
            if (calls.get(i).path().equals(DelegateApiPaths.taskProgress("t-sleep"))) {
                lastProgress = i;
            } else if (calls.get(i).path().equals(FakeManager.outcomePath("t-sleep"))) {
                outcome = i;
            }
        }
        assertThat(lastProgress).isLessThan(outcome);
    }

    @Test
    void aSleepCancelledThroughThePollEndsCancelled() throws Exception {
        startDelegate();
        manager.assign(task("t-cancel", "sleep", sleepFor(60), 120_000));
        await().atMost(WAIT).until(() -> manager.logLines("t-cancel").contains("Sleeping for 60 s"));

        manager.cancelOnPoll("t-cancel");

        assertThat(onlyOutcome("t-cancel").path("status").asText()).isEqualTo("CANCELLED");
    }

    @Test
    void aSleepCancelledThroughTheHeartbeatEndsCancelled() throws Exception {
        startDelegate();
        manager.assign(task("t-cancel3", "sleep", sleepFor(60), 120_000));
        await().atMost(WAIT).until(() -> manager.logLines("t-cancel3").contains("Sleeping for 60 s"));

        manager.cancelOnHeartbeat("t-cancel3");

        assertThat(onlyOutcome("t-cancel3").path("status").asText()).isEqualTo("CANCELLED");
    }

    @Test
    void aSleepCancelledThroughProgressEndsCancelled() throws Exception {
        startDelegate();
        // A 900 ms lease makes the delegate renew it with an empty progress every 300 ms.
        manager.assign(task("t-cancel2", "sleep", sleepFor(60), 120_000, 900));
        await().atMost(WAIT).until(() -> manager.logLines("t-cancel2").contains("Sleeping for 60 s"));

        manager.cancelOnProgress("t-cancel2");

        assertThat(onlyOutcome("t-cancel2").path("status").asText()).isEqualTo("CANCELLED");
    }

    @Test
    void aQuietTaskRenewsItsLeaseWithEmptyProgressAtAThirdOfTheLease() throws Exception {
        startDelegate();

        manager.assign(task("t-quiet", "sleep", sleepFor(60), 120_000, 600));

        await().atMost(WAIT)
                .until(() -> manager.calls(DelegateApiPaths.taskProgress("t-quiet")).stream()
                                .filter(c -> c.body().path("lines").isEmpty())
                                .count()
                        >= 3);
        assertThat(manager.calls(DelegateApiPaths.taskProgress("t-quiet"))
                        .get(0)
                        .body()
                        .path("fencingToken")
                        .asLong())
                .isEqualTo(7);
    }

    @Test
    void aTaskPastItsTimeoutEndsTimedOut() throws Exception {
        startDelegate();

        manager.assign(task("t-slow", "sleep", sleepFor(60), 300));

        JsonNode outcome = onlyOutcome("t-slow");
        assertThat(outcome.path("status").asText()).isEqualTo("TIMED_OUT");
        assertThat(outcome.path("error").path("message").asText()).contains("timeout of 300 ms");
    }

    @Test
    void aLostLeaseDropsTheOutcome() throws Exception {
        startDelegate();
        manager.leaseLostOnProgress("t-lost");

        manager.assign(task("t-lost", "sleep", sleepFor(60), 120_000));

        await().atMost(WAIT)
                .until(() ->
                        !manager.calls(DelegateApiPaths.taskProgress("t-lost")).isEmpty());
        manager.assign(task("t-after", "echo", JsonNodeFactory.instance.objectNode(), 10_000));
        onlyOutcome("t-after");
        await().atMost(WAIT).until(() -> delegate.delegate().health().runningTaskCount() == 0);
        assertThat(manager.outcomes("t-lost")).isEmpty();
    }

    @Test
    void aTaskTheHeartbeatReportsLostIsStoppedAndNotReported() throws Exception {
        startDelegate();
        manager.assign(task("t-hb-lost", "sleep", sleepFor(60), 120_000));
        await().atMost(WAIT).until(() -> manager.logLines("t-hb-lost").contains("Sleeping for 60 s"));

        manager.lostOnHeartbeat("t-hb-lost");

        await().atMost(WAIT).until(() -> delegate.delegate().health().runningTaskCount() == 0);
        manager.assign(task("t-after", "echo", JsonNodeFactory.instance.objectNode(), 10_000));
        onlyOutcome("t-after");
        assertThat(manager.outcomes("t-hb-lost")).isEmpty();
    }

    @Test
    void anUnknownTaskTypeFailsAsUnsupported() throws Exception {
        startDelegate();

        manager.assign(task("t-unknown", "terraform-apply", JsonNodeFactory.instance.objectNode(), 10_000));

        JsonNode outcome = onlyOutcome("t-unknown");
        assertThat(outcome.path("status").asText()).isEqualTo("FAILED");
        assertThat(outcome.path("error").path("kind").asText()).isEqualTo("UNSUPPORTED");
        assertThat(outcome.path("error").path("message").asText()).contains("terraform-apply");
    }

    @Test
    void anAssignmentWithoutATaskIdIsIgnoredAndPollingGoesOn() throws Exception {
        startDelegate();

        manager.assign(new TaskAssignment(null, "echo", null, 1, 1, 60_000, 10_000));
        manager.assign(task("t-fine", "echo", JsonNodeFactory.instance.objectNode(), 10_000));

        assertThat(onlyOutcome("t-fine").path("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(delegate.hasExited()).isFalse();
    }

    @Test
    void anInvalidSleepFailsWithAClearMessage() throws Exception {
        startDelegate();

        manager.assign(task("t-bad", "sleep", sleepFor(-1), 10_000));

        JsonNode outcome = onlyOutcome("t-bad");
        assertThat(outcome.path("status").asText()).isEqualTo("FAILED");
        assertThat(outcome.path("error").path("kind").asText()).isEqualTo("TASK");
        assertThat(outcome.path("error").path("message").asText()).contains("more than 0 and at most 86400");
    }

    @Test
    void pollsOfferOnlyTheFreeSlots() throws Exception {
        Map<String, String> env = RunningDelegate.env(manager);
        env.put("DELEGATE_CAPACITY", "2");
        startDelegate(env);
        await().atMost(WAIT).until(() -> manager.calls(DelegateApiPaths.POLL).size() >= 1);
        assertThat(manager.calls(DelegateApiPaths.POLL)
                        .get(0)
                        .body()
                        .path("freeSlots")
                        .asInt())
                .isEqualTo(2);

        manager.assign(task("t-a", "sleep", sleepFor(60), 120_000));
        manager.assign(task("t-b", "sleep", sleepFor(60), 120_000));
        await().atMost(WAIT).until(() -> delegate.delegate().health().runningTaskCount() == 2);

        int before = manager.calls(DelegateApiPaths.POLL).size();
        await().atMost(WAIT).until(() -> manager.calls(DelegateApiPaths.POLL).size() > before + 1);
        List<Call> polls = manager.calls(DelegateApiPaths.POLL);
        assertThat(polls.get(polls.size() - 1).body().path("freeSlots").asInt()).isZero();
    }

    @Test
    void aSlotFreedDuringAPollWithoutSlotsIsOfferedAtOnceNotAfterThePollWait() throws Exception {
        manager.pollWaitMillis = 120_000;
        Map<String, String> env = RunningDelegate.env(manager);
        env.put("DELEGATE_CAPACITY", "1");
        startDelegate(env);
        manager.assign(task("t-short", "sleep", sleepFor(0.5), 60_000));
        await().atMost(WAIT)
                .until(() -> manager.calls(DelegateApiPaths.POLL).stream()
                        .anyMatch(c -> c.body().path("freeSlots").asInt() == 0));
        int before = manager.calls(DelegateApiPaths.POLL).size();

        onlyOutcome("t-short");

        // Without the cut, the next poll would come only after the two-minute poll wait.
        await().atMost(WAIT)
                .until(() -> manager.calls(DelegateApiPaths.POLL).stream()
                        .skip(before)
                        .anyMatch(c -> c.body().path("freeSlots").asInt() == 1));
        assertThat(delegate.delegate().health().isConnected()).isTrue();
    }

    @Test
    void anOutcomeFinishedWhileTheManagerIsDownIsDeliveredOnceItIsBack() throws Exception {
        startDelegate();
        manager.assign(task("t-offline", "sleep", sleepFor(1), 10_000));
        await().atMost(WAIT).until(() -> manager.logLines("t-offline").contains("Sleeping for 1 s"));

        manager.down();
        await().atMost(WAIT).until(() -> !delegate.delegate().health().isConnected());
        await().atMost(WAIT).until(() -> delegate.delegate().health().runningTaskCount() == 0);
        manager.up();

        JsonNode outcome = onlyOutcome("t-offline");
        assertThat(outcome.path("status").asText()).isEqualTo("SUCCEEDED");
        await().atMost(WAIT).until(() -> delegate.delegate().health().ready());
        assertThat(manager.outcomes("t-offline")).hasSize(1);
        assertThat(manager.logLines("t-offline")).containsExactly("Sleeping for 1 s", "Slept 1 s");
    }

    @Test
    void anUnknownSessionMakesItRegisterAgainWithItsRunningTasks() throws Exception {
        startDelegate();
        manager.assign(task("t-keep", "sleep", sleepFor(60), 120_000));
        await().atMost(WAIT).until(() -> delegate.delegate().health().runningTaskCount() == 1);

        manager.forgetSessions();

        await().atMost(WAIT)
                .until(() -> manager.calls(DelegateApiPaths.REGISTER).size() == 2);
        JsonNode again = manager.calls(DelegateApiPaths.REGISTER).get(1).body();
        assertThat(again.path("runningTaskIds").toString()).isEqualTo("[\"t-keep\"]");
        await().atMost(WAIT)
                .until(() -> manager.calls(DelegateApiPaths.HEARTBEAT).stream()
                        .anyMatch(c -> c.body().path("sessionId").asText().equals("s-2")));
    }

    @Test
    void aRefusedTokenAtRegistrationEndsWithExitCode3() throws Exception {
        manager.refuse(DelegateApiPaths.REGISTER, 401, ProblemCodes.UNAUTHORIZED, "unknown token");

        delegate = RunningDelegate.start(RunningDelegate.env(manager));

        assertThat(delegate.awaitExit()).isEqualTo(ExitCode.UNAUTHORIZED);
        assertThat(ExitCode.UNAUTHORIZED.code()).isEqualTo(3);
    }

    @Test
    void anInvalidRegistrationEndsWithExitCode2() throws Exception {
        manager.refuse(DelegateApiPaths.REGISTER, 422, ProblemCodes.INVALID_REQUEST, "profile 'Nope' does not exist");

        delegate = RunningDelegate.start(RunningDelegate.env(manager));

        assertThat(delegate.awaitExit()).isEqualTo(ExitCode.CONFIG);
    }

    @Test
    void aTokenRevokedWhileRunningStopsTakingWorkAndEndsWithExitCode3WithoutDeregistering() throws Exception {
        // Whether the running tasks are drained cannot be seen here: the Manager accepts nothing from a revoked
        // token, so nothing the delegate does afterwards reaches it. The SIGTERM test below checks the drain.
        Map<String, String> env = RunningDelegate.env(manager);
        env.put("DELEGATE_DRAIN_SECONDS", "10");
        env.put("DELEGATE_CAPACITY", "2");
        startDelegate(env);
        int pollsBefore = runTwoTasksWithOneWaiting();

        manager.refuse(DelegateApiPaths.HEARTBEAT, 401, ProblemCodes.TOKEN_REVOKED, "token revoked");

        assertThat(delegate.awaitExit()).isEqualTo(ExitCode.UNAUTHORIZED);
        assertThat(manager.calls(DelegateApiPaths.DEREGISTER)).isEmpty();
        assertThat(manager.outcomes("t-late")).as("work offered after the stop").isEmpty();
        assertThat(manager.calls(DelegateApiPaths.POLL).stream().skip(pollsBefore))
                .noneMatch(this::pollWithSlots);
    }

    @Test
    void aReplacedSessionEndsWithExitCode4() throws Exception {
        startDelegate();

        manager.refuse(DelegateApiPaths.POLL, 409, ProblemCodes.SESSION_REPLACED, "another process took over");

        assertThat(delegate.awaitExit()).isEqualTo(ExitCode.REPLACED);
    }

    @Test
    void aGracefulStopTakesNoNewWorkDrainsEveryRunningTaskReportsThemThenDeregisters() throws Exception {
        Map<String, String> env = RunningDelegate.env(manager);
        env.put("DELEGATE_DRAIN_SECONDS", "10");
        env.put("DELEGATE_CAPACITY", "2");
        startDelegate(env);
        int pollsBefore = runTwoTasksWithOneWaiting();

        delegate.sigterm();

        assertThat(delegate.awaitExit()).isEqualTo(ExitCode.OK);
        List<String> paths = manager.calls().stream().map(Call::path).toList();
        int deregister = paths.indexOf(DelegateApiPaths.DEREGISTER);
        assertThat(deregister).isNotNegative();
        assertThat(paths.subList(deregister, paths.size())).containsOnly(DelegateApiPaths.DEREGISTER);
        for (String drained : List.of("t-short", "t-long")) {
            assertThat(paths.indexOf(FakeManager.outcomePath(drained)))
                    .as("%s reported before deregistering", drained)
                    .isNotNegative()
                    .isLessThan(deregister);
            assertThat(manager.outcomes(drained))
                    .as("%s ran to its end", drained)
                    .singleElement()
                    .satisfies(c -> assertThat(c.body().path("status").asText()).isEqualTo("SUCCEEDED"));
        }
        assertThat(manager.logLines("t-long")).contains("Slept 2.5 s");
        assertThat(manager.outcomes("t-late")).as("work offered after the stop").isEmpty();
        assertThat(manager.calls(DelegateApiPaths.POLL).stream().skip(pollsBefore))
                .noneMatch(this::pollWithSlots);
        assertThat(manager.calls(DelegateApiPaths.DEREGISTER)
                        .get(0)
                        .body()
                        .path("reason")
                        .asText())
                .isEqualTo("SIGTERM");
    }

    /**
     * Fills both slots of a delegate of capacity 2 with a short and a long sleep, and queues one more task
     * that must wait for a free slot: once the short one ends, a delegate that still polls takes it well
     * before the long one ends. Returns how many polls came before.
     */
    private int runTwoTasksWithOneWaiting() {
        manager.assign(task("t-short", "sleep", sleepFor(1), 10_000));
        manager.assign(task("t-long", "sleep", sleepFor(2.5), 10_000));
        await().atMost(WAIT).until(() -> delegate.delegate().health().runningTaskCount() == 2);
        manager.assign(task("t-late", "echo", JsonNodeFactory.instance.objectNode(), 10_000));
        return manager.calls(DelegateApiPaths.POLL).size();
    }

    @Test
    void aTaskStillRunningAtTheDrainDeadlineIsReportedAsACapabilityFailure() throws Exception {
        Map<String, String> env = RunningDelegate.env(manager);
        env.put("DELEGATE_DRAIN_SECONDS", "0");
        startDelegate(env);
        manager.assign(task("t-long", "sleep", sleepFor(60), 120_000));
        await().atMost(WAIT).until(() -> delegate.delegate().health().runningTaskCount() == 1);

        delegate.sigterm();

        assertThat(delegate.awaitExit()).isEqualTo(ExitCode.OK);
        JsonNode outcome = onlyOutcome("t-long");
        assertThat(outcome.path("status").asText()).isEqualTo("FAILED");
        assertThat(outcome.path("error").path("kind").asText()).isEqualTo("CAPABILITY");
        assertThat(outcome.path("error").path("message").asText())
                .isEqualTo("delegate shut down before the task finished");
    }

    @Test
    void callsGoThroughTheHttpProxyForAManagerBehindIt() throws Exception {
        // The fake Manager doubles as the proxy: with HTTP_PROXY set, the delegate sends absolute URIs to it
        // and never resolves the Manager's name itself.
        Map<String, String> env = RunningDelegate.env(manager);
        env.put("MANAGER_URL", "http://manager.invalid:8080");
        env.put("HTTP_PROXY", "http://127.0.0.1:" + manager.url().getPort());
        // A plain-HTTP Manager on another machine is refused unless the operator accepts the risk.
        env.put("MANAGER_ALLOW_INSECURE", "true");
        startDelegate(env);

        Call register = manager.calls(DelegateApiPaths.REGISTER).get(0);
        assertThat(register.requestUri()).isEqualTo("http://manager.invalid:8080" + DelegateApiPaths.REGISTER);
    }

    @Test
    void theProfileRunsBeforeTheDelegateAsksForWorkAndItsRunIsReported() throws Exception {
        manager.profile = new ProfileAssignment("p-1", "Build Tools", 1, "echo preparing\nexit 3\n", 60_000, true);
        startDelegate();

        await().atMost(WAIT).until(() -> finalReport() != null);
        JsonNode last = finalReport();
        assertThat(last.path("status").asText()).isEqualTo("FAILED");
        assertThat(last.path("exitCode").asInt()).isEqualTo(3);
        assertThat(last.path("version").asInt()).isEqualTo(1);
        await().atMost(WAIT).until(() -> manager.calls().stream().anyMatch(this::pollWithSlots));
        Call firstAsk = manager.calls().get(indexOf(manager.calls(), this::pollWithSlots));
        assertThat(firstAsk.receivedAt())
                .as("no poll asks for work before the profile's run ended")
                .isAfterOrEqualTo(
                        java.time.Instant.parse(last.path("finishedAt").asText()));
        assertThat(String.join(
                        "\n",
                        manager.calls(DelegateApiPaths.PROFILE_RUN).stream()
                                .flatMap(c -> java.util.stream.StreamSupport.stream(
                                        c.body().path("lines").spliterator(), false))
                                .map(l -> l.path("text").asText())
                                .toList()))
                .isEqualTo("preparing");
    }

    @Test
    void aNewVersionOnAHeartbeatRunsAgainAndAManagerWithoutProfilesRunsNothing() throws Exception {
        manager.heartbeatIntervalMillis = 100;
        startDelegate();
        await().atMost(WAIT).until(() -> manager.calls().stream().anyMatch(this::pollWithSlots));
        assertThat(manager.calls(DelegateApiPaths.PROFILE_RUN)).isEmpty();

        manager.profile = new ProfileAssignment("p-1", "Build Tools", 2, "echo v2\n", 60_000, false);
        await().atMost(WAIT).until(() -> finalReport() != null);
        manager.profile = new ProfileAssignment("p-1", "Build Tools", 3, null, 60_000, false);
        manager.profile = new ProfileAssignment("p-1", "Build Tools", 3, "echo v3\n", 60_000, false);

        await().atMost(WAIT)
                .until(() ->
                        finalReport() != null && finalReport().path("version").asInt() == 3);
        assertThat(finalReport().path("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(finalReport().path("lines").get(0).path("text").asText()).isEqualTo("v3");
    }

    private boolean pollWithSlots(Call c) {
        return c.path().equals(DelegateApiPaths.POLL)
                && c.body().path("freeSlots").asInt() > 0;
    }

    private JsonNode finalReport() {
        List<Call> reports = manager.calls(DelegateApiPaths.PROFILE_RUN);
        for (int i = reports.size() - 1; i >= 0; i--) {
            if (!reports.get(i).body().path("status").asText().equals("RUNNING")) {
                return reports.get(i).body();
            }
        }
        return null;
    }

    private static int indexOf(List<Call> calls, java.util.function.Predicate<Call> which) {
        for (int i = 0; i < calls.size(); i++) {
            if (which.test(calls.get(i))) {
                return i;
            }
        }
        return -1;
    }
}
