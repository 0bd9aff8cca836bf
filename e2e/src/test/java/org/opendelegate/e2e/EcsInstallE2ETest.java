package org.opendelegate.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.opendelegate.e2e.support.Downloads;
import org.opendelegate.e2e.support.ManagerProcess;
import org.opendelegate.e2e.support.MotoServer;

/**
 * Download Delegate → ECS Task Spec against the real AWS model: every generated document goes through the
 * AWS CLI (which validates {@code --cli-input-json} against the API model) into moto, exactly as the
 * README says, and the CloudFormation templates through cfn-lint.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EcsInstallE2ETest {
    static final String SSM_ARN = "arn:aws:ssm:us-east-1:" + MotoServer.ACCOUNT + ":parameter/opendelegate/ecs-token";

    private Path work;
    private ManagerProcess manager;
    private MotoServer moto;
    private String taskRole;
    private String executionRole;
    private String subnetA;
    private String securityGroup;

    /** One download of the dialog, and what the registered task definition must then say. */
    record Variant(String name, Map<String, Object> body, String networkMode, String launchType) {
        @Override
        public String toString() {
            return name;
        }
    }

    @BeforeAll
    void start() {
        work = Path.of(System.getProperty("opendelegate.workDir", "target/e2e-work"))
                .resolve("ecs-install-" + UUID.randomUUID().toString().substring(0, 8));
        manager = ManagerProcess.start("manager", work.resolve("data"), 0, Map.of());
        moto = MotoServer.start(work);
        moto.aws("ecs", "create-cluster", "--cluster-name", "od-cluster");
        String vpc = moto.aws("ec2", "create-vpc", "--cidr-block", "10.40.0.0/16")
                .get("Vpc")
                .get("VpcId")
                .asText();
        subnetA = moto.aws("ec2", "create-subnet", "--vpc-id", vpc, "--cidr-block", "10.40.1.0/24")
                .get("Subnet")
                .get("SubnetId")
                .asText();
        securityGroup = moto.aws(
                        "ec2",
                        "create-security-group",
                        "--group-name",
                        "opendelegate",
                        "--description",
                        "delegates",
                        "--vpc-id",
                        vpc)
                .get("GroupId")
                .asText();
        String trust = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":"
                + "{\"Service\":\"ecs-tasks.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}]}";
        taskRole = moto.aws(
                        "iam",
                        "create-role",
                        "--role-name",
                        "opendelegate-task",
                        "--assume-role-policy-document",
                        trust)
                .get("Role")
                .get("Arn")
                .asText();
        executionRole = moto.aws(
                        "iam",
                        "create-role",
                        "--role-name",
                        "ecsTaskExecutionRole",
                        "--assume-role-policy-document",
                        trust)
                .get("Role")
                .get("Arn")
                .asText();
    }

    @AfterAll
    void stop() {
        if (moto != null) {
            moto.close();
        }
        if (manager != null) {
            manager.close();
        }
    }

    Stream<Variant> variants() {
        return Stream.of(
                new Variant(
                        "ec2-bridge",
                        Map.of("delegateGroupName", "ecs-ec2", "family", "od-ec2-bridge"),
                        "bridge",
                        "EC2"),
                new Variant(
                        "ec2-bridge-ssm-token-role-logs",
                        Map.of(
                                "delegateGroupName",
                                "ecs-ec2-full",
                                "family",
                                "od-ec2-full",
                                "hostname",
                                "delegate-host",
                                "taskRoleArn",
                                arn("opendelegate-task"),
                                "executionRoleArn",
                                arn("ecsTaskExecutionRole"),
                                "logGroup",
                                "/ecs/opendelegate",
                                "region",
                                "us-east-1",
                                "tokenSecretArn",
                                SSM_ARN),
                        "bridge",
                        "EC2"),
                new Variant(
                        "awsvpc-on-ec2",
                        Map.of(
                                "delegateGroupName",
                                "ecs-awsvpc-ec2",
                                "family",
                                "od-awsvpc-ec2",
                                "awsVpcMode",
                                true,
                                "launchType",
                                "EC2",
                                "taskRoleArn",
                                arn("opendelegate-task")),
                        "awsvpc",
                        "EC2"),
                new Variant(
                        "fargate-role-logs",
                        Map.of(
                                "delegateGroupName",
                                "ecs-fargate",
                                "family",
                                "od-fargate",
                                "awsVpcMode",
                                true,
                                "taskRoleArn",
                                arn("opendelegate-task"),
                                "executionRoleArn",
                                arn("ecsTaskExecutionRole"),
                                "logGroup",
                                "/ecs/opendelegate",
                                "region",
                                "us-east-1",
                                "cpu",
                                512,
                                "memory",
                                1024,
                                "profile",
                                "Build Agents"),
                        "awsvpc",
                        "FARGATE"),
                new Variant(
                        "fargate-secrets-manager-placeholder-role",
                        Map.of(
                                "delegateGroupName",
                                "ecs-fargate-sm",
                                "family",
                                "od-fargate-sm",
                                "awsVpcMode",
                                true,
                                "assignPublicIp",
                                true,
                                "tokenSecretArn",
                                "arn:aws:secretsmanager:us-east-1:" + MotoServer.ACCOUNT + ":secret:od-token-AbCdEf"),
                        "awsvpc",
                        "FARGATE"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("variants")
    void everyDownloadIsAcceptedByTheAwsModelAsTheReadmeSays(Variant v) throws IOException {
        Path folder = Downloads.downloadAndUnpack(manager, "/api/v1/installers/ecs", v.body(), work.resolve(v.name()));
        Map<String, Object> body = v.body();
        boolean secret = body.containsKey("tokenSecretArn");
        assertThat(mode(folder.resolve("ecs-task-spec.json"))).isEqualTo(secret ? "rw-r--r--" : "rw-------");
        assertThat(mode(folder.resolve("README.txt"))).isEqualTo("rw-r--r--");

        fillExecutionRolePlaceholder(folder);
        moto.aws(folder, "ecs", "register-task-definition", "--cli-input-json", "file://ecs-task-spec.json");
        JsonNode td = moto.aws("ecs", "describe-task-definition", "--task-definition", (String) body.get("family"))
                .get("taskDefinition");
        assertThat(td.get("networkMode").asText()).isEqualTo(v.networkMode());
        assertThat(td.get("requiresCompatibilities").get(0).asText()).isEqualTo(v.launchType());
        assertThat(td.get("cpu").asText()).isEqualTo(String.valueOf(body.getOrDefault("cpu", 256)));
        assertThat(td.get("memory").asText()).isEqualTo(String.valueOf(body.getOrDefault("memory", 512)));
        assertThat(td.path("taskRoleArn").asText(null)).isEqualTo(body.containsKey("taskRoleArn") ? taskRole : null);
        boolean needsExecutionRole = v.launchType().equals("FARGATE") || secret;
        assertThat(td.path("executionRoleArn").asText(null)).isEqualTo(needsExecutionRole ? executionRole : null);
        JsonNode container = td.get("containerDefinitions").get(0);
        assertThat(container.get("name").asText()).isEqualTo("ecs-delegate");
        Map<String, String> env = environment(container);
        assertThat(env)
                .containsEntry("DELEGATE_GROUP_NAME", (String) body.get("delegateGroupName"))
                .containsEntry("DELEGATE_TYPE", "ECS")
                .containsEntry("MANAGER_URL", manager.url())
                .containsEntry("ACCOUNT_ID", ManagerProcess.ACCOUNT_ID);
        assertThat(env.containsKey("DELEGATE_TOKEN")).isEqualTo(!secret);
        assertThat(container.path("secrets").path(0).path("valueFrom").asText(null))
                .isEqualTo((String) body.get("tokenSecretArn"));
        assertThat(container.path("hostname").asText(null)).isEqualTo((String) body.get("hostname"));
        assertThat(container
                        .path("logConfiguration")
                        .path("options")
                        .path("awslogs-group")
                        .asText(null))
                .isEqualTo((String) body.get("logGroup"));
        assertThat(container.get("portMappings").get(0).path("hostPort").asInt(-1))
                .isEqualTo(v.networkMode().equals("bridge") ? 0 : -1);
        assertThat(container.get("healthCheck").get("command").get(1).asText()).contains("/healthz");

        JsonNode service = createServiceAsTheReadmeSays(folder, v);
        assertThat(service.get("launchType").asText()).isEqualTo(v.launchType());
        assertThat(service.get("taskDefinition").asText())
                .isEqualTo(td.get("taskDefinitionArn").asText());
        assertThat(service.get("desiredCount").asInt()).isEqualTo(1);
        assertThat(service.get("serviceName").asText()).isEqualTo("opendelegate-" + body.get("delegateGroupName"));
        if (v.networkMode().equals("awsvpc")) {
            JsonNode vpc = service.get("networkConfiguration").get("awsvpcConfiguration");
            assertThat(vpc.get("subnets").get(0).asText()).isEqualTo(subnetA);
            assertThat(vpc.get("securityGroups").get(0).asText()).isEqualTo(securityGroup);
            assertThat(vpc.get("assignPublicIp").asText())
                    .isEqualTo(Boolean.TRUE.equals(body.get("assignPublicIp")) ? "ENABLED" : "DISABLED");
        } else {
            assertThat(service.path("networkConfiguration")
                            .path("awsvpcConfiguration")
                            .path("subnets"))
                    .isEmpty();
        }
    }

    @Test
    void aDocumentTheModelRejectsFailsTheCheck() throws IOException {
        Path folder = Downloads.downloadAndUnpack(
                manager,
                "/api/v1/installers/ecs",
                Map.of("delegateGroupName", "ecs-negative"),
                work.resolve("negative"));
        Path spec = folder.resolve("ecs-task-spec.json");
        Files.writeString(spec, Files.readString(spec).replace("\"healthCheck\"", "\"healthcheck\""));

        MotoServer.CliResult r = moto.cli(
                folder, List.of("ecs", "register-task-definition", "--cli-input-json", "file://ecs-task-spec.json"));

        assertThat(r.exitCode()).isNotZero();
        assertThat(r.stderr()).contains("Unknown parameter in containerDefinitions[0]: \"healthcheck\"");
    }

    @Test
    void everyCloudFormationTemplatePassesCfnLint() throws Exception {
        List<String> command = new ArrayList<>(List.of("cfn-lint", "--"));
        for (Variant v : variants().toList()) {
            Path folder = Downloads.downloadAndUnpack(
                    manager, "/api/v1/installers/ecs", v.body(), work.resolve("cfn-" + v.name()));
            command.add(folder.resolve("cloudformation.yaml").toString());
        }
        Path broken = work.resolve("cfn-broken.yaml");
        Files.writeString(
                broken,
                Files.readString(Path.of(command.get(2))).replace("LaunchType: \"EC2\"", "LaunchType: \"MOON\""));

        Process lint = new ProcessBuilder(command).redirectErrorStream(true).start();
        String lintOutput = new String(lint.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        Process lintBroken = new ProcessBuilder("cfn-lint", "--", broken.toString())
                .redirectErrorStream(true)
                .start();
        String brokenOutput = new String(lintBroken.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

        assertThat(lint.waitFor()).as(lintOutput).isZero();
        assertThat(lintBroken.waitFor())
                .as("cfn-lint must notice a bad launch type")
                .isNotZero();
        assertThat(brokenOutput).contains("MOON");
    }

    private void fillExecutionRolePlaceholder(Path folder) throws IOException {
        Path spec = folder.resolve("ecs-task-spec.json");
        Files.writeString(spec, Files.readString(spec).replace("REPLACE_WITH_AWS_ACCOUNT_ID", MotoServer.ACCOUNT));
    }

    private JsonNode createServiceAsTheReadmeSays(Path folder, Variant v) throws IOException {
        String readme = Files.readString(folder.resolve("README.txt"));
        if (v.networkMode().equals("awsvpc")) {
            assertThat(readme)
                    .contains("aws ecs create-service --cli-input-json file://service-spec-for-awsvpc-mode.json");
            Path spec = folder.resolve("service-spec-for-awsvpc-mode.json");
            Files.writeString(
                    spec,
                    Files.readString(spec)
                            .replace("REPLACE_WITH_CLUSTER_NAME", "od-cluster")
                            .replace("subnet-REPLACE_ME", subnetA)
                            .replace("sg-REPLACE_ME", securityGroup));
            return moto.aws(
                            folder,
                            "ecs",
                            "create-service",
                            "--cli-input-json",
                            "file://service-spec-for-awsvpc-mode.json")
                    .get("service");
        }
        String line = readme.lines()
                .map(String::trim)
                .filter(l -> l.startsWith("aws ecs create-service --cluster"))
                .findFirst()
                .orElseThrow(() -> new AssertionError("README has no EC2 create-service command"));
        List<String> args = new ArrayList<>(
                List.of(line.replace("REPLACE_WITH_CLUSTER_NAME", "od-cluster").split(" +")));
        return moto.aws(folder, args.subList(1, args.size()).toArray(String[]::new))
                .get("service");
    }

    static Map<String, String> environment(JsonNode container) {
        Map<String, String> env = new LinkedHashMap<>();
        container
                .get("environment")
                .forEach(e -> env.put(e.get("name").asText(), e.get("value").asText()));
        return env;
    }

    static String arn(String role) {
        return "arn:aws:iam::" + MotoServer.ACCOUNT + ":role/" + role;
    }

    static String mode(Path file) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(file));
    }
}
