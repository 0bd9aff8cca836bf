package org.opendelegate.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.opendelegate.e2e.support.Api;
import org.opendelegate.e2e.support.DelegateProcess;
import org.opendelegate.e2e.support.FaultProxy;
import org.opendelegate.e2e.support.ManagerProcess;
import org.opendelegate.e2e.support.MotoServer;
import org.opendelegate.testkit.FreePorts;

/**
 * AWS cloud providers end to end: the built Manager and real delegate processes against {@code moto_server}
 * on loopback, one story in order. Delegates act with their own credentials (the default chain, dummy keys in
 * their environment), with a provider's access key sent in the task, and with a cross-account role assumed
 * with an external id; a fault proxy in front of moto's EC2 endpoint injects what moto cannot; and at the end
 * nothing the test saw contains the secret access key.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AwsCloudProvidersE2ETest {
    private static final List<AutoCloseable> RUNNING = new ArrayList<>();
    private static final List<String> ANSWERS = new ArrayList<>();
    private static final List<DelegateProcess> DELEGATES = new ArrayList<>();
    private static Path work;
    private static MotoServer moto;
    private static JsonNode seeded;
    private static FaultProxy proxy;
    private static int closedPort;
    private static ManagerProcess manager;
    private static Api api;
    private static Path classLog;
    private static String roleProvider;

    @BeforeAll
    static void start() {
        work = Path.of(System.getProperty("opendelegate.workDir", "target/e2e-work"))
                .resolve("aws-" + UUID.randomUUID().toString().substring(0, 8));
        moto = track(MotoServer.start(work));
        seeded = moto.seedForProviders(work);
        proxy = track(FaultProxy.start(moto.endpoint()));
        closedPort = FreePorts.next();
        manager = track(ManagerProcess.start(
                "manager", work.resolve("data"), 0, Map.of("OPENDELEGATE_NO_ELIGIBLE_WAIT", "2s")));
        api = manager.api();
        classLog = work.resolve("role-classes.log");
        Map<String, String> role = new HashMap<>(moto.environment());
        role.put("JAVA_TOOL_OPTIONS", "-Xlog:class+load=info:file=" + classLog);
        delegate("aws-role", role);
        Map<String, String> keys = new HashMap<>(moto.environment());
        keys.remove("AWS_ACCESS_KEY_ID");
        keys.remove("AWS_SECRET_ACCESS_KEY");
        delegate("aws-keys", keys);
        Map<String, String> faulty = new HashMap<>(moto.environment());
        faulty.put("AWS_ENDPOINT_URL_EC2", proxy.endpoint());
        faulty.remove("AWS_MAX_ATTEMPTS"); // the delegate's own retry policy: throttling is retried with backoff
        delegate("aws-faulty", faulty);
        Map<String, String> down = new HashMap<>(moto.environment());
        down.put("AWS_ENDPOINT_URL_EC2", "http://127.0.0.1:" + closedPort);
        delegate("aws-down", down);
        DELEGATES.forEach(DelegateProcess::awaitConnected);
    }

    private static void delegate(String group, Map<String, String> env) {
        Map<String, String> all = new HashMap<>(env);
        all.put("DELEGATE_NAME", group + "-1");
        DELEGATES.add(track(DelegateProcess.start(group, manager, group, all, work)));
    }

    @AfterAll
    static void stop() throws Exception {
        for (int i = RUNNING.size() - 1; i >= 0; i--) {
            RUNNING.get(i).close();
        }
    }

    @Test
    @Order(1)
    void anIdleDelegateHasNotLoadedTheAwsSdk() throws IOException {
        assertThat(Files.readString(classLog))
                .contains("org.opendelegate.delegate.aws.AwsRuntime")
                .doesNotContain("software.amazon");
    }

    @Test
    @Order(2)
    void aProviderWhoseSelectorNoDelegateHasFailsFastUntilAGroupGetsIt() {
        roleProvider = create(provider("delegate-role", role("aws-prod"), null));

        Api.Response none = get("/api/v1/cloud-providers/" + roleProvider + "/vpcs");

        assertThat(none.status()).isEqualTo(424);
        assertThat(none.json().get("detail").asText()).contains("no connected delegate has selector `aws-prod`");
        assertThat(none.json().get("selectionLog").toString()).contains("aws-role-1", "selector `aws-prod` missing");
        String group = api.delegate("aws-role-1").get("groupId").asText();
        assertThat(api.put("/api/v1/delegate-groups/" + group + "/selectors", Map.of("selectors", List.of("aws-prod")))
                        .status())
                .isEqualTo(200);

        Api.Response vpcs = get("/api/v1/cloud-providers/" + roleProvider + "/vpcs");

        assertThat(vpcs.status()).as(vpcs.json().toString()).isEqualTo(200);
        assertThat(ids(vpcs)).contains(seeded.get("vpcId").asText());
        assertThat(vpcs.json().get("delegateName").asText()).isEqualTo("aws-role-1");
    }

    @Test
    @Order(3)
    void theDelegatesRoleConnectsAndEveryLookupIsCompleteAcrossPages() throws IOException {
        String p = "/api/v1/cloud-providers/" + roleProvider;
        String vpc = seeded.get("vpcId").asText();

        Api.Response test = post(p + "/test");
        Api.Response regions = get(p + "/regions");
        Api.Response clusters = get(p + "/ecs-clusters");
        Api.Response services = get(p + "/ecs-services?cluster=cluster-000");
        Api.Response subnets = get(p + "/subnets?vpcId=" + vpc);
        Api.Response groups = get(p + "/security-groups?vpcId=" + vpc);
        Api.Response roles = get(p + "/iam-roles");

        assertThat(test.json().get("connected").asBoolean())
                .as(test.json().toString())
                .isTrue();
        assertThat(test.json().get("message").asText())
                .isEqualTo("Connected as arn:aws:sts::123456789012:user/moto in "
                        + "account 123456789012 through delegate aws-role-1.");
        assertThat(regions.json().get("count").asInt()).isGreaterThan(10);
        assertThat(clusters.json().get("count").asInt())
                .isEqualTo(seeded.get("clusters").asInt());
        assertThat(names(clusters)).contains("cluster-000", "cluster-104");
        assertThat(names(services)).containsExactlyInAnyOrder("web", "api", "worker");
        assertThat(subnets.json().get("count").asInt())
                .isEqualTo(seeded.get("subnets").asInt());
        JsonNode subnet = subnets.json().get("items").get(0);
        assertThat(subnet.get("availabilityZone").asText()).startsWith("us-east-1");
        assertThat(subnet.get("cidr").asText()).startsWith("10.0.").endsWith("/28");
        assertThat(names(groups)).contains("sg-e2e-0", "sg-e2e-1", "sg-e2e-2");
        assertThat(roles.json().get("count").asInt())
                .isEqualTo(seeded.get("ecsRoles").asInt());
        assertThat(names(roles)).contains("ecs-task-000", "ecs-task-103").noneMatch(n -> n.startsWith("lambda-"));
        String subnetsLog = log(subnets.json().get("taskId").asText());
        assertThat(subnetsLog)
                .contains("ec2:DescribeSubnets as arn:aws:sts::123456789012:user/moto (region "
                        + "us-east-1): 1,005 subnets in " + vpc);
        assertThat(log(roles.json().get("taskId").asText()))
                .contains("iam:ListRoles as arn:aws:sts::123456789012:"
                        + "user/moto (region us-east-1): " + seeded.get("roles").asInt()
                        + " roles, 104 assumable by ECS tasks "
                        + "in 2 pages");
        assertThat(get(p + "/subnets?vpcId=" + vpc).json().get("cached").asBoolean())
                .isTrue();
        assertThat(Files.readString(classLog)).contains("software.amazon.awssdk.services.ec2.Ec2Client");
    }

    @Test
    @Order(4)
    void anAccessKeyTravelsWithTheTaskToADelegateThatHasNoCredentialsOfItsOwn() {
        String id = create(provider(
                "access-key",
                Map.of(
                        "type",
                        "ACCESS_KEY",
                        "accessKeyId",
                        seeded.get("accessKeyId").asText(),
                        "secretAccessKey",
                        seeded.get("secretAccessKey").asText(),
                        "delegateSelectors",
                        List.of("aws-keys")),
                null));

        Api.Response test = post("/api/v1/cloud-providers/" + id + "/test");
        Api.Response vpcs = get("/api/v1/cloud-providers/" + id + "/vpcs");

        assertThat(test.json().get("arn").asText())
                .as(test.json().toString())
                .isEqualTo("arn:aws:iam::123456789012:user/ci");
        assertThat(vpcs.json().get("principal").asText()).isEqualTo("arn:aws:iam::123456789012:user/ci");
        assertThat(vpcs.json().get("delegateName").asText()).isEqualTo("aws-keys-1");
    }

    @Test
    @Order(5)
    void aCrossAccountRoleIsAssumedWithItsExternalIdAndTheLookupsActAsIt() {
        String id = create(provider(
                "cross-account",
                role("aws-prod"),
                Map.of("roleArn", seeded.get("deployerArn").asText(), "externalId", "e2e-external-id")));

        Api.Response vpcs = get("/api/v1/cloud-providers/" + id + "/vpcs");

        assertThat(vpcs.status()).as(vpcs.json().toString()).isEqualTo(200);
        assertThat(vpcs.json().get("principal").asText())
                .startsWith("arn:aws:sts::123456789012:assumed-role/deployer/opendelegate-");
        assertThat(log(vpcs.json().get("taskId").asText()))
                .contains(
                        "sts:AssumeRole as arn:aws:sts::123456789012:user/"
                                + "moto (region us-east-1): now acting as arn:aws:sts::123456789012:assumed-role/deployer/",
                        "(with external id)",
                        "ec2:DescribeVpcs as arn:aws:sts::123456789012:assumed-role/deployer/");
    }

    @Test
    @Order(6)
    void failuresAnswerClearProblemsAndThrottlingIsRetried() {
        proxy.fault(FaultProxy.Fault.ACCESS_DENIED);
        Api.Response denied =
                get("/api/v1/cloud-providers/" + create(provider("denied", role("aws-faulty"), null)) + "/vpcs");
        proxy.fault(FaultProxy.Fault.EXPIRED_TOKEN);
        Api.Response expired =
                get("/api/v1/cloud-providers/" + create(provider("expired", role("aws-faulty"), null)) + "/vpcs");
        proxy.fault(FaultProxy.Fault.NONE);
        proxy.throttle(2);
        Api.Response throttled =
                get("/api/v1/cloud-providers/" + create(provider("throttled", role("aws-faulty"), null)) + "/vpcs");
        Api.Response down =
                get("/api/v1/cloud-providers/" + create(provider("down", role("aws-down"), null)) + "/vpcs");

        assertThat(denied.status()).isEqualTo(502);
        assertThat(denied.json().get("detail").asText())
                .contains("access denied: ec2:DescribeVpcs for " + "arn:aws:sts::123456789012:user/moto");
        assertThat(expired.status()).isEqualTo(502);
        assertThat(expired.json().get("detail").asText())
                .contains("the credentials of this delegate expired " + "(ExpiredToken on ec2:DescribeVpcs)");
        assertThat(throttled.status()).as(throttled.json().toString()).isEqualTo(200);
        assertThat(proxy.throttledCount()).isEqualTo(2);
        assertThat(ids(throttled)).contains(seeded.get("vpcId").asText());
        assertThat(down.status()).isEqualTo(502);
        assertThat(down.json().get("detail").asText())
                .contains("cannot reach http://127.0.0.1:" + closedPort, "AWS_ENDPOINT_URL_EC2");
        for (Api.Response r : List.of(denied, expired, down)) {
            assertThat(r.json().get("taskId").asText()).isNotBlank();
            assertThat(r.json().get("code").asText()).isEqualTo("DELEGATE_COULD_NOT_CALL_AWS");
        }
    }

    @Test
    @Order(7)
    void theSecretAccessKeyAppearsInNoLogNoAnswerAndNoTaskTheApiShows() {
        String secret = seeded.get("secretAccessKey").asText();
        get("/api/v1/cloud-providers");
        Api.Response tasks = get("/api/v1/tasks?limit=1000");
        tasks.json()
                .get("tasks")
                .forEach(t -> get("/api/v1/tasks/" + t.get("id").asText()));
        tasks.json()
                .get("tasks")
                .forEach(t -> get("/api/v1/tasks/" + t.get("id").asText() + "/log"));

        // For docs/benchmarks.md: the resident size of a delegate that has run AWS tasks (not an assertion).
        DELEGATES.forEach(
                d -> System.out.println("[footprint] " + d.name() + " VmRSS after AWS tasks: " + vmRss(d.pid())));
        assertThat(ANSWERS).isNotEmpty().noneMatch(a -> a.contains(secret));
        assertThat(manager.output()).doesNotContain(secret);
        DELEGATES.forEach(d -> assertThat(d.output()).as(d.name()).doesNotContain(secret));
    }

    @Test
    @Order(8)
    void aManagerStartedWithAnotherMasterKeyRefusesToStartWithAClearLine() {
        manager.sigterm();
        assertThat(manager.waitForExit(Duration.ofSeconds(30))).isZero();
        byte[] other = new byte[32];
        new java.security.SecureRandom().nextBytes(other);

        assertThatThrownBy(() -> track(ManagerProcess.start(
                        "manager-wrong-key",
                        work.resolve("data"),
                        0,
                        Map.of("OPENDELEGATE_MASTER_KEY", Base64.getEncoder().encodeToString(other)))))
                .hasMessageContaining("is not the key this store's secrets were encrypted with");
    }

    private static Map<String, Object> role(String selector) {
        return Map.of("type", "DELEGATE_IAM_ROLE", "delegateSelectors", List.of(selector));
    }

    private static Map<String, Object> provider(
            String name, Map<String, Object> credentials, Map<String, Object> crossAccountRole) {
        Map<String, Object> body = new HashMap<>(
                Map.of("name", name, "type", "AWS", "region", MotoServer.REGION, "credentials", credentials));
        if (crossAccountRole != null) {
            body.put("crossAccountRole", crossAccountRole);
        }
        return body;
    }

    private static String create(Map<String, Object> body) {
        Api.Response r = api.post("/api/v1/cloud-providers", body);
        ANSWERS.add(r.json().toString());
        assertThat(r.status()).as(r.json().toString()).isEqualTo(201);
        return r.json().get("id").asText();
    }

    private static Api.Response get(String path) {
        Api.Response r = api.get(path);
        ANSWERS.add(r.json().toString());
        assertThat(r.status()).as(path + " " + r.json()).isNotEqualTo(500);
        return r;
    }

    private static Api.Response post(String path) {
        Api.Response r = api.post(path, Map.of());
        ANSWERS.add(r.json().toString());
        assertThat(r.status()).as(path + " " + r.json()).isEqualTo(200);
        return r;
    }

    private static String log(String taskId) {
        StringBuilder text = new StringBuilder();
        get("/api/v1/tasks/" + taskId + "/log")
                .json()
                .get("lines")
                .forEach(l -> text.append(l.get("text").asText()).append('\n'));
        return text.toString();
    }

    private static List<String> names(Api.Response r) {
        List<String> names = new ArrayList<>();
        r.json().get("items").forEach(i -> names.add(i.get("name").asText()));
        return names;
    }

    private static List<String> ids(Api.Response r) {
        List<String> ids = new ArrayList<>();
        r.json().get("items").forEach(i -> ids.add(i.get("id").asText()));
        return ids;
    }

    private static String vmRss(long pid) {
        try {
            return Files.readAllLines(Path.of("/proc/" + pid + "/status")).stream()
                    .filter(l -> l.startsWith("VmRSS"))
                    .findFirst()
                    .orElse("?")
                    .replaceAll("\\s+", " ");
        } catch (IOException e) {
            return "?";
        }
    }

    private static <T extends AutoCloseable> T track(T closeable) {
        RUNNING.add(closeable);
        return closeable;
    }
}
