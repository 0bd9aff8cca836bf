package org.opendelegate.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.opendelegate.e2e.support.Api;
import org.opendelegate.e2e.support.DelegateProcess;
import org.opendelegate.e2e.support.FakeEcsMetadata;
import org.opendelegate.e2e.support.ManagerProcess;

/** The built Manager and Delegate jars as separate processes: connecting, dying, stopping, restarting. */
class DelegateLifecycleE2ETest {
    private final List<AutoCloseable> running = new ArrayList<>();
    private Path work;
    private ManagerProcess manager;
    private Api api;

    @BeforeEach
    void startManager(TestInfo test) {
        work = Path.of(System.getProperty("opendelegate.workDir", "target/e2e-work"))
                .resolve(test.getTestMethod().orElseThrow().getName() + "-"
                        + UUID.randomUUID().toString().substring(0, 8));
        manager = track(ManagerProcess.start("manager", work.resolve("data"), 0, Map.of()));
        api = manager.api();
    }

    @AfterEach
    void stopAll() throws Exception {
        for (int i = running.size() - 1; i >= 0; i--) {
            running.get(i).close();
        }
    }

    @Test
    void aDelegateConnectsWithItsNameGroupAndSelectorsAndRunsATask() {
        DelegateProcess d = track(DelegateProcess.start(
                "builder",
                manager,
                "local",
                Map.of("DELEGATE_NAME", "builder-1", "DELEGATE_SELECTORS", "Linux, docker"),
                work));

        assertThat(d.awaitConnected()).isEqualTo("builder-1");
        JsonNode listed = api.delegate("builder-1");
        assertThat(listed.get("status").asText()).isEqualTo("CONNECTED");
        assertThat(listed.get("groupName").asText()).isEqualTo("local");
        assertThat(listed.get("type").asText()).isEqualTo("SHELL");
        assertThat(texts(listed.get("selectors"))).contains("linux", "docker", "builder-1", "local");
        String id = api.submit(
                Map.of("type", "echo", "payload", Map.of("greeting", "hello"), "selectors", List.of("linux")));
        await().atMost(Duration.ofSeconds(20))
                .until(() -> api.task(id).get("state").asText().equals("SUCCEEDED"));
        assertThat(api.task(id).get("result").get("greeting").asText()).isEqualTo("hello");
        assertThat(api.task(id).get("delegateId").asText())
                .isEqualTo(listed.get("id").asText());
    }

    @Test
    void aKilledDelegateShowsDisconnectedWithinTheWindow() {
        DelegateProcess d =
                track(DelegateProcess.start("victim", manager, "local", Map.of("DELEGATE_NAME", "victim"), work));
        d.awaitConnected();
        assertThat(api.delegate("victim").get("status").asText()).isEqualTo("CONNECTED");

        d.kill9();

        await().atMost(Duration.ofSeconds(8))
                .until(() -> api.delegate("victim").get("status").asText().equals("DISCONNECTED"));
        assertThat(api.delegate("victim").get("disconnectReason").asText()).isEqualTo("missed heartbeats");
    }

    @Test
    void sigtermDuringATaskDeliversItsResultThenDisconnects() {
        DelegateProcess d =
                track(DelegateProcess.start("stopping", manager, "local", Map.of("DELEGATE_NAME", "stopping"), work));
        d.awaitConnected();
        String id = api.submit(Map.of("type", "sleep", "payload", Map.of("seconds", 3)));
        // RUNNING on the Manager means leased; the SIGTERM must come once the delegate runs the task, not
        // while the assignment is on its way (a task it never started is handed back and requeued).
        d.awaitOutput(Pattern.compile("Running sleep task"), Duration.ofSeconds(10));

        d.sigterm();

        assertThat(d.waitForExit(Duration.ofSeconds(30))).isEqualTo(0);
        JsonNode task = api.task(id);
        assertThat(task.get("state").asText()).isEqualTo("SUCCEEDED");
        assertThat(task.get("attempts")).hasSize(1);
        JsonNode delegate = api.delegate("stopping");
        assertThat(delegate.get("status").asText()).isEqualTo("DISCONNECTED");
        assertThat(delegate.get("disconnectReason").asText()).startsWith("deregistered");
    }

    @Test
    void aRestartWithTheSameIdentityIsStillOneRecord() {
        DelegateProcess first =
                track(DelegateProcess.start("same-1", manager, "local", Map.of("DELEGATE_NAME", "same"), work));
        first.awaitConnected();
        String id = api.delegate("same").get("id").asText();
        first.kill9();

        DelegateProcess second =
                track(DelegateProcess.start("same-2", manager, "local", Map.of("DELEGATE_NAME", "same"), work));
        second.awaitConnected();

        assertThat(api.delegates()).hasSize(1);
        assertThat(api.delegate("same").get("id").asText()).isEqualTo(id);
        assertThat(api.delegate("same").get("status").asText()).isEqualTo("CONNECTED");
    }

    @Test
    void aDelegateReconnectsByItselfWhenTheManagerRestartsAndNothingIsDuplicated() {
        DelegateProcess d =
                track(DelegateProcess.start("survivor", manager, "local", Map.of("DELEGATE_NAME", "survivor"), work));
        d.awaitConnected();
        String acrossRestart = api.submit(Map.of("type", "sleep", "payload", Map.of("seconds", 4)));
        await().atMost(Duration.ofSeconds(10))
                .until(() -> api.task(acrossRestart).get("state").asText().equals("RUNNING"));

        manager.sigterm();
        assertThat(manager.waitForExit(Duration.ofSeconds(20))).isEqualTo(0);
        manager = track(ManagerProcess.start("manager-again", work.resolve("data"), manager.port(), Map.of()));
        api = manager.api();

        await().atMost(Duration.ofSeconds(30))
                .until(() -> api.task(acrossRestart).get("state").asText().equals("SUCCEEDED"));
        assertThat(api.task(acrossRestart).get("attempts")).hasSize(1);
        String after = api.submit(Map.of("type", "echo", "payload", Map.of("n", 2)));
        await().atMost(Duration.ofSeconds(20))
                .until(() -> api.task(after).get("state").asText().equals("SUCCEEDED"));
        assertThat(api.delegates()).hasSize(1);
        assertThat(api.delegate("survivor").get("status").asText()).isEqualTo("CONNECTED");
        assertThat(d.isAlive()).isTrue();
    }

    @Test
    void inEcsTheDelegateIsNamedByHostnameOnEc2BridgeAndByContainerIdOnFargate() throws Exception {
        FakeEcsMetadata bridge = track(FakeEcsMetadata.ec2Bridge(
                "7d3b1c2f9e8a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9012345678",
                "4ad8a6c3f1d94fb0b7c0a1d2e3f40516"));
        FakeEcsMetadata fargate = track(FakeEcsMetadata.fargate("cd189a933e5849daa93386466019ab50"));
        DelegateProcess onEc2 = track(DelegateProcess.start(
                "ec2", manager, "ecs-ec2", Map.of("ECS_CONTAINER_METADATA_URI_V4", bridge.uri()), work));
        DelegateProcess onFargate = track(DelegateProcess.start(
                "fargate", manager, "ecs-fargate", Map.of("ECS_CONTAINER_METADATA_URI_V4", fargate.uri()), work));

        String ec2Name = onEc2.awaitConnected();
        String fargateName = onFargate.awaitConnected();

        assertThat(ec2Name).isEqualTo(InetAddress.getLocalHost().getHostName());
        assertThat(fargateName).startsWith("cd189a933e58");
        JsonNode ec2 = api.delegate(ec2Name);
        assertThat(ec2.get("type").asText()).isEqualTo("ECS");
        assertThat(ec2.get("launchType").asText()).isEqualTo("EC2");
        assertThat(ec2.get("identityKind").asText()).isEqualTo("STABLE");
        assertThat(ec2.get("ecs").get("taskArn").asText()).endsWith("/4ad8a6c3f1d94fb0b7c0a1d2e3f40516");
        assertThat(ec2.get("ecs").get("networkMode").asText()).isEqualTo("bridge");
        JsonNode onF = api.delegate(fargateName);
        assertThat(onF.get("launchType").asText()).isEqualTo("FARGATE");
        assertThat(onF.get("identityKind").asText()).isEqualTo("EPHEMERAL");
        assertThat(onF.get("ip").asText()).isEqualTo("10.0.1.25");
        assertThat(onF.get("ecs").get("availabilityZone").asText()).isEqualTo("us-west-2d");
    }

    @Test
    void editedGroupSelectorsChangeOnEveryMember() {
        track(DelegateProcess.start("a1", manager, "group-a", Map.of("DELEGATE_NAME", "a1"), work))
                .awaitConnected();
        track(DelegateProcess.start("a2", manager, "group-a", Map.of("DELEGATE_NAME", "a2"), work))
                .awaitConnected();
        track(DelegateProcess.start("b1", manager, "group-b", Map.of("DELEGATE_NAME", "b1"), work))
                .awaitConnected();
        String groupA = api.delegate("a1").get("groupId").asText();

        Api.Response r = api.put(
                "/api/v1/delegate-groups/" + groupA + "/selectors",
                Map.of("selectors", List.of("ecs-prod", "us-east-1")));

        assertThat(r.status()).isEqualTo(200);
        assertThat(texts(api.delegate("a1").get("selectors"))).contains("ecs-prod", "us-east-1");
        assertThat(texts(api.delegate("a2").get("selectors"))).contains("ecs-prod", "us-east-1");
        assertThat(texts(api.delegate("b1").get("selectors"))).doesNotContain("ecs-prod");
        String id = api.submit(Map.of("type", "echo", "selectors", List.of("ecs-prod")));
        await().atMost(Duration.ofSeconds(20))
                .until(() -> api.task(id).get("state").asText().equals("SUCCEEDED"));
        assertThat(api.task(id).get("delegateName").asText()).isIn("a1", "a2");
    }

    @Test
    void aMisconfiguredDelegateStopsWithOneLinePerProblemAndABadTokenStopsWithTheReason() {
        DelegateProcess broken = track(DelegateProcess.start(
                "broken", "not a url", "bad group!", Map.of("DELEGATE_TOKEN", "", "DELEGATE_CAPACITY", "0"), work));
        DelegateProcess refused = track(DelegateProcess.start(
                "refused", manager, "local", Map.of("DELEGATE_TOKEN", "odt_wrong-token-0000000000"), work));

        assertThat(broken.waitForExit(Duration.ofSeconds(20))).isEqualTo(2);
        assertThat(broken.output())
                .contains("MANAGER_URL", "DELEGATE_TOKEN", "DELEGATE_GROUP_NAME", "DELEGATE_CAPACITY")
                .doesNotContain("Exception");
        assertThat(refused.waitForExit(Duration.ofSeconds(20))).isEqualTo(3);
        assertThat(refused.output()).containsPattern(Pattern.compile("not valid for account `acct-e2e`"));
        assertThat(api.delegates()).isEmpty();
    }

    private <T extends AutoCloseable> T track(T closeable) {
        running.add(closeable);
        return closeable;
    }

    private static List<String> texts(JsonNode array) {
        List<String> result = new ArrayList<>();
        array.forEach(n -> result.add(n.asText()));
        return result;
    }
}
