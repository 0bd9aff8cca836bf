package org.opendelegate.manager.installers;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.opendelegate.manager.security.Role;
import org.opendelegate.manager.testing.TarGz;
import org.opendelegate.manager.testing.TestManager;
import org.opendelegate.protocol.ProtocolJson;
import org.opendelegate.testkit.TestHttp;

class EcsInstallerHttpTest {
    private static final String EXTERNAL_URL = "https://delegates.example.com";
    private static final String ROLE = "arn:aws:iam::123456789012:role/opendelegate-task";
    private static final String EXEC_ROLE = "arn:aws:iam::123456789012:role/ecsTaskExecutionRole";
    private static final String SSM_ARN = "arn:aws:ssm:us-east-1:123456789012:parameter/opendelegate/ecs-token";
    private static final String VIEWER_KEY = "odk_installer-viewer-key-0123456789";
    private static final String OTHER_KEY = "odk_installer-other-key-0123456789";
    private static TestManager manager;
    private static TestHttp api;

    @BeforeAll
    static void start() {
        manager = TestManager.start(Map.of(
                "OPENDELEGATE_EXTERNAL_URL",
                EXTERNAL_URL + "/",
                "OPENDELEGATE_DELEGATE_IMAGE",
                "registry.example.com/opendelegate/delegate:9.9.9"));
        manager.seedAccount(TestManager.ACCOUNT_ID, VIEWER_KEY, Role.VIEWER, null);
        manager.seedAccount("acct-installer-other", OTHER_KEY, Role.ADMIN, null);
        api = manager.api();
    }

    @AfterAll
    static void stop() {
        manager.close();
    }

    @Test
    void aFargateDownloadIsCompleteValidAsDownloadedAndCarriesANewGroupToken() throws Exception {
        TestHttp.BinaryResponse r = api.postForBytes(
                "/api/v1/installers/ecs",
                Map.of(
                        "delegateGroupName",
                        "ecs-prod",
                        "awsVpcMode",
                        true,
                        "taskRoleArn",
                        ROLE,
                        "executionRoleArn",
                        EXEC_ROLE));

        assertThat(r.status()).as(r.text()).isEqualTo(200);
        assertThat(r.header("Content-Type")).isEqualTo("application/gzip");
        assertThat(r.header("Content-Disposition")).isEqualTo("attachment; filename=\"opendelegate-ecs.tar.gz\"");
        Map<String, TarGz.Entry> files = TarGz.read(r.body());
        assertThat(files.keySet())
                .containsExactly(
                        "opendelegate-ecs/",
                        "opendelegate-ecs/README.txt",
                        "opendelegate-ecs/ecs-task-spec.json",
                        "opendelegate-ecs/service-spec-for-awsvpc-mode.json",
                        "opendelegate-ecs/cloudformation.yaml");
        assertThat(files.get("opendelegate-ecs/").mode()).isEqualTo(0755);
        assertThat(files.get("opendelegate-ecs/").type()).isEqualTo('5');
        assertThat(files.get("opendelegate-ecs/README.txt").mode()).isEqualTo(0644);
        assertThat(files.get("opendelegate-ecs/ecs-task-spec.json").mode())
                .as("holds the token")
                .isEqualTo(0600);
        assertThat(files.get("opendelegate-ecs/cloudformation.yaml").mode())
                .as("holds the token")
                .isEqualTo(0600);

        JsonNode spec = json(files.get("opendelegate-ecs/ecs-task-spec.json"));
        assertThat(spec.get("family").asText()).isEqualTo("opendelegate-task-spec");
        assertThat(spec.get("networkMode").asText()).isEqualTo("awsvpc");
        assertThat(texts(spec.get("requiresCompatibilities"))).containsExactly("FARGATE");
        assertThat(spec.get("cpu").asText()).isEqualTo("256");
        assertThat(spec.get("memory").asText()).isEqualTo("512");
        assertThat(spec.get("executionRoleArn").asText()).isEqualTo(EXEC_ROLE);
        assertThat(spec.get("taskRoleArn").asText()).isEqualTo(ROLE);
        JsonNode container = spec.get("containerDefinitions").get(0);
        assertThat(container.get("name").asText()).isEqualTo("ecs-delegate");
        assertThat(container.get("image").asText()).isEqualTo("registry.example.com/opendelegate/delegate:9.9.9");
        assertThat(container.has("hostname")).isFalse();
        assertThat(container.has("secrets")).isFalse();
        Map<String, String> env = environment(container);
        assertThat(env)
                .containsEntry("MANAGER_URL", EXTERNAL_URL)
                .containsEntry("ACCOUNT_ID", TestManager.ACCOUNT_ID)
                .containsEntry("DELEGATE_GROUP_NAME", "ecs-prod")
                .containsEntry("DELEGATE_PROFILE", "Primary")
                .containsEntry("DELEGATE_TYPE", "ECS")
                .containsEntry("DELEGATE_HEALTH_PORT", "8089")
                .containsEntry("MALLOC_ARENA_MAX", "2");
        assertThat(env.get("DELEGATE_TOKEN")).startsWith("odt_");
        // The JVM options that keep a delegate small after work (docs/benchmarks.md), read by any JVM.
        assertThat(env.get("JAVA_TOOL_OPTIONS").split(" "))
                .contains(
                        "-XX:MaxRAMPercentage=60",
                        "-XX:+UseSerialGC",
                        "-XX:MaxNewSize=4m",
                        "-XX:MinHeapFreeRatio=10",
                        "-XX:MaxHeapFreeRatio=20",
                        "-XX:-ShrinkHeapInSteps",
                        "-XX:TrimNativeHeapInterval=10000",
                        "-XX:TieredStopAtLevel=1",
                        "-XX:+ExitOnOutOfMemoryError");
        assertThat(container.get("portMappings").get(0).get("containerPort").asInt())
                .isEqualTo(8089);
        assertThat(container.get("portMappings").get(0).has("hostPort")).isFalse();
        assertThat(texts(container.get("healthCheck").get("command")))
                .containsExactly("CMD-SHELL", "wget -qO- http://127.0.0.1:8089/healthz >/dev/null || exit 1");

        JsonNode service = json(files.get("opendelegate-ecs/service-spec-for-awsvpc-mode.json"));
        assertThat(service.get("cluster").asText()).isEqualTo("REPLACE_WITH_CLUSTER_NAME");
        assertThat(service.get("serviceName").asText()).isEqualTo("opendelegate-ecs-prod");
        assertThat(service.get("taskDefinition").asText()).isEqualTo("opendelegate-task-spec");
        assertThat(service.get("launchType").asText()).isEqualTo("FARGATE");
        assertThat(service.get("desiredCount").asInt()).isEqualTo(1);
        JsonNode vpc = service.get("networkConfiguration").get("awsvpcConfiguration");
        assertThat(texts(vpc.get("subnets"))).containsExactly("subnet-REPLACE_ME");
        assertThat(texts(vpc.get("securityGroups"))).containsExactly("sg-REPLACE_ME");

        String readme = files.get("opendelegate-ecs/README.txt").text();
        assertThat(readme)
                .contains(
                        "aws ecs register-task-definition --cli-input-json file://ecs-task-spec.json",
                        "aws ecs create-service --cli-input-json file://service-spec-for-awsvpc-mode.json",
                        "--desired-count 3",
                        "ec2:DescribeSecurityGroups",
                        "docker build -f delegate/Dockerfile")
                .doesNotContain("WARNING", "REPLACE_WITH_AWS_ACCOUNT_ID", env.get("DELEGATE_TOKEN"));

        // The token is new, named, bound to the group, listed, and lets a delegate of that group in.
        JsonNode group = groupNamed("ecs-prod");
        JsonNode token = tokenWithId(r.header("X-OpenDelegate-Token-Id"));
        assertThat(r.header("X-OpenDelegate-Token-Created")).isEqualTo("true");
        assertThat(token.get("name").asText()).startsWith("ecs-prod-ecs-");
        assertThat(token.get("groupId").asText()).isEqualTo(group.get("id").asText());
        assertThat(token.get("status").asText()).isEqualTo("ACTIVE");
        assertThat(manager.delegate("fargate-1", "ecs-prod", TestManager.ACCOUNT_ID, env.get("DELEGATE_TOKEN"))
                        .register()
                        .status())
                .isEqualTo(200);
    }

    @Test
    void anEc2BridgeDownloadUsesDynamicHostPortsAndTheEc2CreateServiceCommand() {
        Map<String, TarGz.Entry> files = download(Map.of(
                "delegateGroupName",
                "ecs-ec2",
                "hostname",
                "delegate-host",
                "profile",
                "Build Agents",
                "cpu",
                512,
                "memory",
                768));

        assertThat(files).doesNotContainKey("opendelegate-ecs/service-spec-for-awsvpc-mode.json");
        JsonNode spec = json(files.get("opendelegate-ecs/ecs-task-spec.json"));
        assertThat(spec.get("networkMode").asText()).isEqualTo("bridge");
        assertThat(texts(spec.get("requiresCompatibilities"))).containsExactly("EC2");
        assertThat(spec.has("executionRoleArn")).isFalse();
        assertThat(spec.get("cpu").asText()).isEqualTo("512");
        assertThat(spec.get("memory").asText()).isEqualTo("768");
        JsonNode container = spec.get("containerDefinitions").get(0);
        assertThat(container.get("hostname").asText()).isEqualTo("delegate-host");
        assertThat(container.get("portMappings").get(0).get("hostPort").asInt()).isZero();
        assertThat(environment(container)).containsEntry("DELEGATE_PROFILE", "Build Agents");
        assertThat(files.get("opendelegate-ecs/README.txt").text())
                .contains("aws ecs create-service --cluster "
                        + "REPLACE_WITH_CLUSTER_NAME --service-name opendelegate-ecs-ec2 --task-definition opendelegate-task-spec "
                        + "--desired-count 1 --launch-type EC2");
        assertThat(files.get("opendelegate-ecs/cloudformation.yaml").text())
                .doesNotContain("AwsvpcConfiguration", "SecurityGroups:")
                .contains("Hostname: \"delegate-host\"", "HostPort: 0");
    }

    @Test
    void aTokenFromSsmKeepsTheSecretOutOfTheTaskDefinition() {
        Map<String, TarGz.Entry> files = download(Map.of(
                "delegateGroupName",
                "ecs-secret",
                "awsVpcMode",
                true,
                "tokenSecretArn",
                SSM_ARN,
                "logGroup",
                "/ecs/opendelegate",
                "region",
                "us-east-1"));

        JsonNode spec = json(files.get("opendelegate-ecs/ecs-task-spec.json"));
        JsonNode container = spec.get("containerDefinitions").get(0);
        assertThat(environment(container)).doesNotContainKey("DELEGATE_TOKEN");
        assertThat(container.get("secrets").get(0).get("name").asText()).isEqualTo("DELEGATE_TOKEN");
        assertThat(container.get("secrets").get(0).get("valueFrom").asText()).isEqualTo(SSM_ARN);
        assertThat(spec.get("executionRoleArn").asText()).isEqualTo(EcsSettings.EXECUTION_ROLE_PLACEHOLDER);
        JsonNode logs = container.get("logConfiguration");
        assertThat(logs.get("logDriver").asText()).isEqualTo("awslogs");
        assertThat(logs.get("options").get("awslogs-group").asText()).isEqualTo("/ecs/opendelegate");
        assertThat(logs.get("options").get("awslogs-region").asText()).isEqualTo("us-east-1");
        assertThat(files.get("opendelegate-ecs/ecs-task-spec.json").mode()).isEqualTo(0644);
        assertThat(files.get("opendelegate-ecs/cloudformation.yaml").mode()).isEqualTo(0644);

        TarGz.Entry tokenFile = files.get("opendelegate-ecs/delegate-token.txt");
        assertThat(tokenFile.mode()).isEqualTo(0600);
        assertThat(tokenFile.text()).startsWith("odt_").doesNotContain("\n");
        for (TarGz.Entry other : files.values()) {
            if (!other.name().equals(tokenFile.name())) {
                assertThat(other.text()).as(other.name()).doesNotContain(tokenFile.text());
            }
        }
        assertThat(files.get("opendelegate-ecs/README.txt").text())
                .contains(
                        "aws ssm put-parameter --region us-east-1 "
                                + "--name /opendelegate/ecs-token --type SecureString --overwrite --value file://delegate-token.txt",
                        "REPLACE_WITH_AWS_ACCOUNT_ID",
                        "ssm:GetParameters");
        assertThat(files.get("opendelegate-ecs/cloudformation.yaml").text())
                .contains("Action: \"ssm:GetParameters\"", "ValueFrom: \"" + SSM_ARN + "\"");
    }

    @Test
    void anExistingTokenIsUsedWithoutMakingANewOne() {
        String groupId = manager.api()
                .post("/api/v1/delegate-tokens", Map.of("name", "bootstrap-for-reuse"))
                .json()
                .get("id")
                .asText();
        int before = tokens().size();

        TestHttp.BinaryResponse r = api.postForBytes(
                "/api/v1/installers/ecs",
                Map.of(
                        "delegateGroupName",
                        "ecs-reuse",
                        "awsVpcMode",
                        true,
                        "tokenId",
                        groupId,
                        "executionRoleArn",
                        EXEC_ROLE,
                        "tokenSecretArn",
                        "arn:aws:secretsmanager:eu-west-1:123456789012:secret:opendelegate-token-AbCdEf"));

        assertThat(r.status()).as(r.text()).isEqualTo(200);
        assertThat(r.header("X-OpenDelegate-Token-Created")).isEqualTo("false");
        assertThat(r.header("X-OpenDelegate-Token-Id")).isEqualTo(groupId);
        assertThat(tokens()).hasSize(before);
        Map<String, TarGz.Entry> files = TarGz.read(r.body());
        assertThat(files).doesNotContainKey("opendelegate-ecs/delegate-token.txt");
        assertThat(files.get("opendelegate-ecs/README.txt").text())
                .doesNotContain("put-secret-value")
                .contains("secretsmanager:GetSecretValue");
    }

    @Test
    void badInputIsRefusedWithEveryReasonAndCreatesNothing() {
        int tokensBefore = tokens().size();
        int groupsBefore =
                api.get("/api/v1/delegate-groups").json().get("groups").size();
        Map<String, Object> bad = new HashMap<>();
        bad.put("delegateGroupName", "ecs\"prod");
        bad.put("hostname", "-not valid-");
        bad.put("awsVpcMode", true);
        bad.put("cpu", 256);
        bad.put("memory", 4096);
        bad.put("taskRoleArn", "arn:aws:iam::123:role/x");
        bad.put("executionRoleArn", "ecsTaskExecutionRole");
        bad.put("region", "us-east-1");
        bad.put("image", "Bad Image");
        bad.put("tokenSecretArn", "arn:aws:s3:::bucket/token");
        bad.put("family", "family with spaces");
        bad.put("desiredCount", -1);

        TestHttp.Response r = api.post("/api/v1/installers/ecs", bad);

        assertThat(r.status()).isEqualTo(400);
        assertThat(r.header("Content-Type")).startsWith("application/problem+json");
        List<String> fields = new ArrayList<>();
        r.json().get("errors").forEach(e -> fields.add(e.get("field").asText()));
        assertThat(fields)
                .contains(
                        "delegateGroupName",
                        "hostname",
                        "memory",
                        "taskRoleArn",
                        "executionRoleArn",
                        "region",
                        "image",
                        "tokenSecretArn",
                        "family",
                        "desiredCount");
        assertThat(r.json().get("detail").asText())
                .contains(
                        "does not fit cpu 256 on Fargate; with cpu 256 use 512, " + "1024 or 2048 MiB",
                        "cannot be set in awsvpc mode");
        assertThat(tokens()).hasSize(tokensBefore);
        assertThat(api.get("/api/v1/delegate-groups").json().get("groups")).hasSize(groupsBefore);
    }

    @Test
    void eachRuleSaysWhatWouldBeRight() {
        assertThat(problem(Map.of("awsVpcMode", true, "cpu", 300))).contains("`cpu` cpu 300 is not a Fargate size");
        assertThat(problem(Map.of("launchType", "FARGATE"))).contains("FARGATE needs the awsvpc network mode");
        assertThat(problem(Map.of("launchType", "EXTERNAL"))).contains("must be FARGATE or EC2");
        assertThat(problem(Map.of("memory", 128))).contains("the delegate needs at least 256");
        assertThat(problem(Map.of("logGroup", "/ecs/od"))).contains("`region` is required with logGroup");
        assertThat(problem(Map.of("assignPublicIp", true))).contains("only supported for the FARGATE launch type");
        assertThat(problem(Map.of("tokenId", "abc"))).contains("needs tokenSecretArn");
        assertThat(problem(Map.of("hostname", "a".repeat(64)))).contains("at most 63 characters");
        assertThat(problem(Map.of("profile", "rm -rf $HOME;"))).contains("`profile`");
        assertThat(problem(Map.of("delegateGroupName", "x".repeat(64)))).contains("1 to 63 characters");
        Map<String, Object> noGroup = new HashMap<>();
        noGroup.put("delegateGroupName", null);
        assertThat(api.post("/api/v1/installers/ecs", noGroup)
                        .json()
                        .get("detail")
                        .asText())
                .contains("`delegateGroupName` is required");
    }

    @Test
    void malformedUnauthorizedAndCrossAccountRequestsAreRefused() {
        int tokensBefore = tokens().size();
        TestHttp.Response unknown =
                api.post("/api/v1/installers/ecs", Map.of("delegateGroupName", "g", "colour", "red"));
        TestHttp.Response wrongType =
                api.post("/api/v1/installers/ecs", Map.of("delegateGroupName", "g", "cpu", "lots"));
        TestHttp.Response notJson = api.postRaw("/api/v1/installers/ecs", "text/plain", "delegateGroupName=g");
        TestHttp.Response malformed =
                api.postRaw("/api/v1/installers/ecs", "application/json", "{\"delegateGroupName\":");
        TestHttp.Response anonymous =
                manager.anonymous().post("/api/v1/installers/ecs", Map.of("delegateGroupName", "g"));
        TestHttp.Response viewer =
                manager.api(VIEWER_KEY).post("/api/v1/installers/ecs", Map.of("delegateGroupName", "g"));
        String mine = tokens().get(0).get("id").asText();
        TestHttp.Response foreignToken = manager.api(OTHER_KEY)
                .post(
                        "/api/v1/installers/ecs",
                        Map.of(
                                "delegateGroupName",
                                "g",
                                "awsVpcMode",
                                true,
                                "tokenId",
                                mine,
                                "tokenSecretArn",
                                SSM_ARN));

        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.json().get("detail").asText()).contains("`colour` is not a known field");
        assertThat(wrongType.status()).isEqualTo(400);
        assertThat(wrongType.json().get("errors").get(0).get("field").asText()).isEqualTo("cpu");
        assertThat(notJson.status()).isEqualTo(415);
        assertThat(malformed.status()).isEqualTo(400);
        assertThat(anonymous.status()).isEqualTo(401);
        assertThat(viewer.status()).isEqualTo(403);
        assertThat(foreignToken.status()).isEqualTo(400);
        assertThat(foreignToken.json().get("detail").asText()).contains("names no delegate token of this account");
        assertThat(tokens()).hasSize(tokensBefore);
    }

    @Test
    void aTakenTokenNameIsAConflictAndTokensOfOtherGroupsCannotBeReused() {
        download(Map.of("delegateGroupName", "ecs-named", "tokenName", "named-once"));
        String otherGroupToken = tokens().stream()
                .filter(t -> t.get("name").asText().equals("named-once"))
                .findFirst()
                .orElseThrow()
                .get("id")
                .asText();

        TestHttp.Response again =
                api.post("/api/v1/installers/ecs", Map.of("delegateGroupName", "ecs-named", "tokenName", "named-once"));
        TestHttp.Response reuse = api.post(
                "/api/v1/installers/ecs",
                Map.of(
                        "delegateGroupName",
                        "ecs-elsewhere",
                        "awsVpcMode",
                        true,
                        "tokenId",
                        otherGroupToken,
                        "tokenSecretArn",
                        SSM_ARN));

        assertThat(again.status()).isEqualTo(409);
        assertThat(again.json().get("detail").asText()).contains("`named-once` already exists");
        assertThat(reuse.status()).isEqualTo(400);
        assertThat(reuse.json().get("detail").asText()).contains("bound to another delegate group");
        assertThat(api.get("/api/v1/delegate-groups").json().get("groups").findValuesAsText("name"))
                .doesNotContain("ecs-elsewhere");
    }

    @Test
    void aDownloadForAnotherAccountCarriesThatAccountAndItsOwnToken() {
        TestHttp.BinaryResponse r =
                manager.api(OTHER_KEY).postForBytes("/api/v1/installers/ecs", Map.of("delegateGroupName", "theirs"));

        JsonNode container = json(TarGz.read(r.body()).get("opendelegate-ecs/ecs-task-spec.json"))
                .get("containerDefinitions")
                .get(0);
        assertThat(environment(container)).containsEntry("ACCOUNT_ID", "acct-installer-other");
        assertThat(tokens().stream().map(t -> t.get("id").asText()))
                .doesNotContain(r.header("X-OpenDelegate-Token-Id"));
    }

    @Test
    void theApiDescriptionNamesTheInstallers() {
        assertThat(manager.anonymous().get("/api/openapi.yaml").body())
                .contains("/api/v1/installers/ecs", "/api/v1/installers/shell", "EcsInstallerRequest");
    }

    private static Map<String, TarGz.Entry> download(Map<String, Object> body) {
        TestHttp.BinaryResponse r = api.postForBytes("/api/v1/installers/ecs", body);
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        return TarGz.read(r.body());
    }

    private static String problem(Map<String, Object> fields) {
        Map<String, Object> body = new HashMap<>(fields);
        body.putIfAbsent("delegateGroupName", "ecs-rules");
        TestHttp.Response r = api.post("/api/v1/installers/ecs", body);
        assertThat(r.status()).as(r.body()).isEqualTo(400);
        return r.json().get("detail").asText();
    }

    static JsonNode json(TarGz.Entry entry) {
        try {
            return ProtocolJson.mapper().readTree(entry.content());
        } catch (java.io.IOException e) {
            throw new AssertionError(entry.name() + " is not JSON", e);
        }
    }

    static Map<String, String> environment(JsonNode container) {
        Map<String, String> env = new LinkedHashMap<>();
        container
                .get("environment")
                .forEach(e -> env.put(e.get("name").asText(), e.get("value").asText()));
        return env;
    }

    static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    private static List<JsonNode> tokens() {
        List<JsonNode> out = new ArrayList<>();
        api.get("/api/v1/delegate-tokens").json().get("tokens").forEach(out::add);
        return out;
    }

    private static JsonNode tokenWithId(String id) {
        return tokens().stream()
                .filter(t -> t.get("id").asText().equals(id))
                .findFirst()
                .orElseThrow();
    }

    private static JsonNode groupNamed(String name) {
        for (JsonNode g : api.get("/api/v1/delegate-groups").json().get("groups")) {
            if (g.get("name").asText().equals(name)) {
                return g;
            }
        }
        throw new AssertionError("no group " + name);
    }
}
