package org.opendelegate.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.opendelegate.e2e.support.Api;
import org.opendelegate.e2e.support.DelegateProcess;
import org.opendelegate.e2e.support.Downloads;
import org.opendelegate.e2e.support.FakeEcsMetadata;
import org.opendelegate.e2e.support.ManagerProcess;
import org.opendelegate.e2e.support.MotoServer;
import org.opendelegate.testkit.FreePorts;

/**
 * What ECS would do with a downloaded spec, short of Docker: register it in the emulator, read the task
 * definition back, and start the real delegate jar with exactly that container's environment (its
 * {@code secrets} resolved from the emulator, as the ECS agent does), the host name Docker would give
 * it, and a task metadata v4 endpoint shaped like the launch type. The one change: each process gets
 * its own health port, as each container has its own network namespace.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EcsLaunchSimulationE2ETest {
    private final List<AutoCloseable> running = new ArrayList<>();
    private final Random random = new Random();
    private final Map<DelegateProcess, String> healthPorts = new HashMap<>();
    private Path work;
    private ManagerProcess manager;
    private MotoServer moto;
    private Api api;

    @BeforeAll
    void start() {
        work = Path.of(System.getProperty("opendelegate.workDir", "target/e2e-work"))
                .resolve("ecs-launch-" + UUID.randomUUID().toString().substring(0, 8));
        moto = MotoServer.start(work);
        // IAM registration: the Manager sends delegates' identity proofs to the emulator's STS.
        manager = ManagerProcess.start(
                "manager", work.resolve("data"), 0, Map.of("OPENDELEGATE_STS_ENDPOINT", moto.endpoint()));
        api = manager.api();
    }

    @AfterEach
    void stopDelegates() throws Exception {
        for (int i = running.size() - 1; i >= 0; i--) {
            running.get(i).close();
        }
        running.clear();
    }

    @AfterAll
    void stop() {
        moto.close();
        manager.close();
    }

    @Test
    void threeFargateTasksFromOneSpecAreThreeDelegatesNamedByContainerIdInOneGroup() throws Exception {
        JsonNode container = registeredContainer(
                Map.of(
                        "delegateGroupName",
                        "fargate-sim",
                        "awsVpcMode",
                        true,
                        "executionRoleArn",
                        EcsInstallE2ETest.arn("ecsTaskExecutionRole"),
                        "profile",
                        "Build Agents",
                        "family",
                        "sim-fargate"),
                "sim-fargate");
        List<String> expected = new ArrayList<>();
        List<DelegateProcess> tasks = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            String taskId = hex(32);
            FakeEcsMetadata metadata = track(FakeEcsMetadata.fargate(taskId));
            expected.add(taskId.substring(0, 12));
            tasks.add(launch("fargate-" + i, container, metadata, "ip-10-0-1-" + (20 + i) + ".ec2.internal"));
        }

        List<String> names = new ArrayList<>();
        for (DelegateProcess task : tasks) {
            names.add(task.awaitConnected());
        }

        assertThat(names).containsExactlyElementsOf(expected);
        for (String name : names) {
            JsonNode d = api.delegate(name);
            assertThat(d.get("status").asText()).isEqualTo("CONNECTED");
            assertThat(d.get("groupName").asText()).isEqualTo("fargate-sim");
            assertThat(d.get("profile").get("name").asText()).isEqualTo("Build Agents");
            assertThat(d.get("type").asText()).isEqualTo("ECS");
            assertThat(d.get("launchType").asText()).isEqualTo("FARGATE");
            assertThat(d.get("identityKind").asText()).isEqualTo("EPHEMERAL");
        }
        assertThat(api.delegates().stream()
                        .filter(d -> d.get("groupName").asText().equals("fargate-sim")))
                .hasSize(3);
        assertThat(healthCheck(container, tasks.get(0)))
                .as("the task definition's health check")
                .isZero();
        tasks.get(0).kill9();
        assertThat(healthCheck(container, tasks.get(0)))
                .as("the health check of a dead delegate")
                .isNotZero();
    }

    @Test
    void threeEc2BridgeTasksWithoutAHostnameAreNamedByTheirContainerIds() throws Exception {
        JsonNode container =
                registeredContainer(Map.of("delegateGroupName", "bridge-sim", "family", "sim-bridge"), "sim-bridge");
        assertThat(container.has("hostname")).isFalse();
        List<String> expected = new ArrayList<>();
        List<DelegateProcess> tasks = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            String dockerId = hex(64);
            // Without a hostname in the task definition, Docker sets the container's host name to its short id.
            expected.add(dockerId.substring(0, 12));
            tasks.add(launch(
                    "bridge-" + i,
                    container,
                    track(FakeEcsMetadata.ec2Bridge(dockerId, hex(32))),
                    dockerId.substring(0, 12)));
        }

        List<String> names = new ArrayList<>();
        for (DelegateProcess task : tasks) {
            names.add(task.awaitConnected());
        }

        assertThat(names).containsExactlyElementsOf(expected);
        for (String name : names) {
            JsonNode d = api.delegate(name);
            assertThat(d.get("status").asText()).isEqualTo("CONNECTED");
            assertThat(d.get("groupName").asText()).isEqualTo("bridge-sim");
            assertThat(d.get("profile").get("name").asText()).isEqualTo("Primary");
            assertThat(d.get("launchType").asText()).isEqualTo("EC2");
        }
    }

    @Test
    void ec2BridgeTasksWithAHostnameAndAnSsmTokenUseTheHostnameAndTheStoredToken() throws Exception {
        Path folder = Downloads.downloadAndUnpack(
                manager,
                "/api/v1/installers/ecs",
                Map.of(
                        "delegateGroupName",
                        "hostname-sim",
                        "family",
                        "sim-hostname",
                        "hostname",
                        "delegate-host",
                        "executionRoleArn",
                        EcsInstallE2ETest.arn("ecsTaskExecutionRole"),
                        "tokenSecretArn",
                        EcsInstallE2ETest.SSM_ARN),
                work.resolve("hostname-sim"));
        // Step 1 of the README: store the token in SSM with the exact command it gives.
        String put = Files.readString(folder.resolve("README.txt"))
                .lines()
                .map(String::trim)
                .filter(l -> l.startsWith("aws ssm put-parameter"))
                .findFirst()
                .orElseThrow();
        moto.aws(folder, put.substring("aws ".length()).split(" +"));
        JsonNode container = register(folder, "sim-hostname");

        DelegateProcess first = launch(
                "hostname-0",
                container,
                track(FakeEcsMetadata.ec2Bridge(hex(64), "aaaaaaaa" + hex(24))),
                "delegate-host");
        assertThat(first.awaitConnected()).isEqualTo("delegate-host");
        String secondTask = "bbbbbbbb" + hex(24);
        DelegateProcess second =
                launch("hostname-1", container, track(FakeEcsMetadata.ec2Bridge(hex(64), secondTask)), "delegate-host");

        assertThat(second.awaitConnected()).isEqualTo("delegate-host-bbbbbbbb");
        JsonNode d = api.delegate("delegate-host");
        assertThat(d.get("status").asText()).isEqualTo("CONNECTED");
        assertThat(d.get("groupName").asText()).isEqualTo("hostname-sim");
        assertThat(d.get("identityKind").asText()).isEqualTo("STABLE");
        assertThat(api.delegate("delegate-host-bbbbbbbb").get("status").asText())
                .isEqualTo("CONNECTED");
    }

    @Test
    void aFargateTaskWithIamAuthenticationConnectsWithItsTaskRoleAndNoTokenInItsTaskDefinition() throws Exception {
        String taskRole = EcsInstallE2ETest.arn("opendelegate-iam-task");
        Path folder = Downloads.downloadAndUnpack(
                manager, "/api/v1/installers/ecs", iamInstall(taskRole), work.resolve("sim-iam"));
        String spec = Files.readString(folder.resolve("ecs-task-spec.json"));
        assertThat(spec).doesNotContain("DELEGATE_TOKEN").doesNotContain("odt_").doesNotContain("\"secrets\"");
        JsonNode container = register(folder, "sim-iam");
        assertThat(EcsInstallE2ETest.environment(container))
                .containsEntry("DELEGATE_AUTHENTICATION", "IAM")
                .containsKey("MANAGER_ID")
                .doesNotContainKey("DELEGATE_TOKEN");

        DelegateProcess task = launchWithRole("iam-0", container, taskRole);

        String name = task.awaitConnected();
        JsonNode d = api.delegate(name);
        assertThat(d.get("groupName").asText()).isEqualTo("iam-sim");
        assertThat(d.get("launchType").asText()).isEqualTo("FARGATE");
        // It lives on its session credential: it heartbeats and runs work like a delegate with a token.
        String echo = api.submit(Map.of("type", "echo", "payload", Map.of("n", 1), "selectors", List.of("iam-sim")));
        await().atMost(Duration.ofSeconds(30))
                .until(() -> api.task(echo).get("state").asText().equals("SUCCEEDED"));
        assertThat(api.delegate(name).get("status").asText()).isEqualTo("CONNECTED");
        assertThat(task.isAlive()).isTrue();
    }

    @Test
    void theSameLaunchWithARoleTheGroupDoesNotTrustIsRefusedNamingBothIdentities() throws Exception {
        String taskRole = EcsInstallE2ETest.arn("opendelegate-iam-trusted");
        Path folder = Downloads.downloadAndUnpack(
                manager, "/api/v1/installers/ecs", iamInstall(taskRole), work.resolve("sim-iam-untrusted"));
        JsonNode container = register(folder, "sim-iam");

        DelegateProcess task = launchWithRole("iam-rogue", container, EcsInstallE2ETest.arn("some-other-role"));

        assertThat(task.waitForExit(Duration.ofSeconds(60))).as(task.output()).isEqualTo(3);
        assertThat(task.output())
                .contains("arn:aws:sts::" + MotoServer.ACCOUNT + ":assumed-role/some-other-role/")
                .contains("arn:aws:sts::" + MotoServer.ACCOUNT + ":assumed-role/opendelegate-iam-trusted/*");
    }

    private static Map<String, Object> iamInstall(String taskRole) {
        return Map.of(
                "delegateGroupName",
                "iam-sim",
                "awsVpcMode",
                true,
                "executionRoleArn",
                EcsInstallE2ETest.arn("ecsTaskExecutionRole"),
                "taskRoleArn",
                taskRole,
                "family",
                "sim-iam",
                "authentication",
                "IAM");
    }

    /**
     * Starts the delegate as ECS starts a Fargate task with a task role: the role's temporary credentials
     * (here from the emulator's AssumeRole, in ECS from the agent's credentials endpoint) and the region.
     */
    private DelegateProcess launchWithRole(String name, JsonNode container, String roleArn) {
        JsonNode credentials = moto.aws(
                        "sts", "assume-role", "--role-arn", roleArn, "--role-session-name", "ecs-task-" + hex(8))
                .get("Credentials");
        Map<String, String> env = new HashMap<>(EcsInstallE2ETest.environment(container));
        env.put("AWS_ACCESS_KEY_ID", credentials.get("AccessKeyId").asText());
        env.put("AWS_SECRET_ACCESS_KEY", credentials.get("SecretAccessKey").asText());
        env.put("AWS_SESSION_TOKEN", credentials.get("SessionToken").asText());
        env.put("AWS_REGION", MotoServer.REGION);
        env.put("AWS_ENDPOINT_URL_STS", moto.endpoint());
        env.put("AWS_EC2_METADATA_DISABLED", "true");
        env.put(
                "ECS_CONTAINER_METADATA_URI_V4",
                track(FakeEcsMetadata.fargate(hex(32))).uri());
        env.put("HOSTNAME", "ip-10-0-9-9.ec2.internal");
        env.put("DELEGATE_HEALTH_PORT", String.valueOf(FreePorts.next()));
        return track(DelegateProcess.withEnvironment(name, env, work));
    }

    private JsonNode registeredContainer(Map<String, Object> body, String family) throws IOException {
        Path folder = Downloads.downloadAndUnpack(manager, "/api/v1/installers/ecs", body, work.resolve(family));
        return register(folder, family);
    }

    /** Registers the folder's spec as the README says and reads the container definition back from AWS. */
    private JsonNode register(Path folder, String family) {
        moto.aws(folder, "ecs", "register-task-definition", "--cli-input-json", "file://ecs-task-spec.json");
        return moto.aws("ecs", "describe-task-definition", "--task-definition", family)
                .get("taskDefinition")
                .get("containerDefinitions")
                .get(0);
    }

    /** Starts the delegate jar as ECS would start the container. */
    private DelegateProcess launch(String name, JsonNode container, FakeEcsMetadata metadata, String hostname) {
        Map<String, String> env = new HashMap<>(EcsInstallE2ETest.environment(container));
        for (JsonNode secret : container.path("secrets")) {
            env.put(secret.get("name").asText(), resolve(secret.get("valueFrom").asText()));
        }
        env.put("ECS_CONTAINER_METADATA_URI_V4", metadata.uri());
        env.put("HOSTNAME", hostname);
        env.put("DELEGATE_HEALTH_PORT", String.valueOf(FreePorts.next()));
        DelegateProcess process = track(DelegateProcess.withEnvironment(name, env, work));
        healthPorts.put(process, env.get("DELEGATE_HEALTH_PORT"));
        return process;
    }

    /** What the ECS agent does with a {@code secrets} entry: fetch the value from SSM. */
    private String resolve(String valueFrom) {
        return moto.aws("ssm", "get-parameter", "--name", valueFrom, "--with-decryption")
                .get("Parameter")
                .get("Value")
                .asText();
    }

    /** Runs the container health check command against the process's own health port. */
    private int healthCheck(JsonNode container, DelegateProcess task) throws Exception {
        JsonNode command = container.get("healthCheck").get("command");
        assertThat(command.get(0).asText()).isEqualTo("CMD-SHELL");
        String shell = command.get(1).asText().replace(":8089/", ":" + healthPorts.get(task) + "/");
        Process p =
                new ProcessBuilder("sh", "-c", shell).redirectErrorStream(true).start();
        assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
        return p.exitValue();
    }

    private String hex(int length) {
        byte[] bytes = new byte[length / 2];
        random.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    private <T extends AutoCloseable> T track(T resource) {
        running.add(resource);
        return resource;
    }
}
