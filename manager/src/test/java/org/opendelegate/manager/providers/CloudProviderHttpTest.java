package org.opendelegate.manager.providers;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.opendelegate.manager.security.Role;
import org.opendelegate.manager.store.Database;
import org.opendelegate.manager.testing.TestManager;
import org.opendelegate.protocol.AwsTaskTypes;
import org.opendelegate.testkit.FakeDelegate;
import org.opendelegate.testkit.TestHttp;

/**
 * Cloud providers over HTTP against a real Manager, with a protocol-level fake delegate answering the AWS
 * tasks: the API's rules, the secret's path (sealed at rest, only in the assignment), lookups with their
 * cache, and every way a lookup fails answering a clear problem, never a 500.
 */
class CloudProviderHttpTest {
    private static final String SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzzSECRET";
    private static final String VIEWER_KEY = "odk_viewer-key-0123456789";
    private static final String OTHER_KEY = "odk_other-account-key-0123456789";
    private static TestManager manager;
    private static TestHttp api;
    private static FakeDelegate delegate;
    private static java.util.concurrent.ScheduledExecutorService heartbeats;

    @BeforeAll
    static void start() {
        manager = TestManager.start(Map.of("OPENDELEGATE_LOOKUP_CACHE_TTL", "60s"));
        manager.seedAccount(TestManager.ACCOUNT_ID, VIEWER_KEY, Role.VIEWER, null);
        manager.seedAccount("acct-other", OTHER_KEY, Role.ADMIN, null);
        api = manager.api();
        delegate = manager.delegate("aws-1", "ecs-prod")
                .with("selectors", List.of("aws"))
                .with("taskTypes", AwsTaskTypes.ALL);
        assertThat(delegate.register().status()).isEqualTo(200);
        heartbeats = java.util.concurrent.Executors.newSingleThreadScheduledExecutor();
        var unused = heartbeats.scheduleWithFixedDelay(
                () -> delegate.heartbeat(), 300, 300, java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    @AfterAll
    static void stop() {
        heartbeats.shutdownNow();
        manager.close();
    }

    private static Map<String, Object> keyProvider(String name, Object secret) {
        var credentials = new java.util.HashMap<String, Object>(
                Map.of("type", "ACCESS_KEY", "accessKeyId", "AKIAIOSFODNN7EXAMPLE"));
        if (secret != null) {
            credentials.put("secretAccessKey", secret);
        }
        return Map.of("name", name, "type", "AWS", "region", "us-east-1", "credentials", credentials);
    }

    private static Map<String, Object> roleProvider(String name, String selector) {
        return Map.of(
                "name",
                name,
                "type",
                "AWS",
                "region",
                "us-east-1",
                "credentials",
                Map.of("type", "DELEGATE_IAM_ROLE", "delegateSelectors", List.of(selector)));
    }

    private static String create(Map<String, Object> body) {
        TestHttp.Response r = api.post("/api/v1/cloud-providers", body);
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        return r.json().get("id").asText();
    }

    /** Runs a request on another thread while the fake delegate answers. */
    private static CompletableFuture<TestHttp.Response> async(String path) {
        return CompletableFuture.supplyAsync(() -> api.get(path));
    }

    @Test
    void aProviderIsCreatedListedAndEditedAndItsSecretIsNeverReturned() {
        String id = create(keyProvider("keys-" + System.nanoTime(), SECRET));

        TestHttp.Response one = api.get("/api/v1/cloud-providers/" + id);
        TestHttp.Response list = manager.api(VIEWER_KEY).get("/api/v1/cloud-providers");
        TestHttp.Response edited = api.put("/api/v1/cloud-providers/" + id, keyProvider("renamed-" + id, null));

        assertThat(one.json().get("credentials").get("hasSecretAccessKey").asBoolean())
                .isTrue();
        assertThat(one.json().get("credentials").get("accessKeyId").asText()).isEqualTo("AKIAIOSFODNN7EXAMPLE");
        assertThat(edited.status()).isEqualTo(200);
        assertThat(edited.json().get("credentials").get("hasSecretAccessKey").asBoolean())
                .isTrue();
        assertThat(list.status()).isEqualTo(200);
        assertThat(one.body() + list.body() + edited.body()).doesNotContain(SECRET);
        try (Database db = Database.open(manager.server().config().store())) {
            String stored = db.jdbi()
                    .withHandle(h -> h.createQuery("SELECT secret_access_key FROM cloud_provider " + "WHERE id = :id")
                            .bind("id", id)
                            .mapTo(String.class)
                            .one());
            List<String> details = db.jdbi()
                    .withHandle(h -> h.createQuery("SELECT detail FROM audit_event")
                            .mapTo(String.class)
                            .list());
            String audit = String.join("\n", details);
            assertThat(stored).startsWith("v1:").doesNotContain(SECRET);
            assertThat(audit).contains("accessKeyId=AKIAIOSFODNN7EXAMPLE").doesNotContain(SECRET);
        }
    }

    @Test
    void noAnswerOfTheProviderApiEverCarriesTheSecretAccessKey() {
        String newSecret = "Zq9/NEWsecretKEYvalue+0123456789abcdefXYZ";
        String name = "no-echo-" + System.nanoTime();
        TestHttp viewer = manager.api(VIEWER_KEY);

        TestHttp.Response created = api.post("/api/v1/cloud-providers", keyProvider(name, SECRET));
        String id = created.json().get("id").asText();
        TestHttp.Response read = api.get("/api/v1/cloud-providers/" + id);
        TestHttp.Response readByViewer = viewer.get("/api/v1/cloud-providers/" + id);
        TestHttp.Response updated = api.put("/api/v1/cloud-providers/" + id, keyProvider(name, newSecret));
        TestHttp.Response updatedKeepingIt = api.put("/api/v1/cloud-providers/" + id, keyProvider(name, null));
        TestHttp.Response list = api.get("/api/v1/cloud-providers");
        TestHttp.Response listByViewer = viewer.get("/api/v1/cloud-providers");
        // Refusals must not echo the secret either.
        TestHttp.Response duplicate = api.post("/api/v1/cloud-providers", keyProvider(name, SECRET));
        TestHttp.Response invalid = api.post(
                "/api/v1/cloud-providers",
                Map.of(
                        "name",
                        "bad-" + id,
                        "region",
                        "mars-1",
                        "credentials",
                        Map.of("type", "ACCESS_KEY", "secretAccessKey", newSecret)));

        assertThat(created.status()).isEqualTo(201);
        assertThat(List.of(read, readByViewer, updated, updatedKeepingIt)).allSatisfy(r -> {
            assertThat(r.status()).as(r.toString()).isEqualTo(200);
            assertThat(r.json().get("credentials").get("hasSecretAccessKey").asBoolean())
                    .isTrue();
        });
        assertThat(created.json().get("credentials").get("hasSecretAccessKey").asBoolean())
                .isTrue();
        assertThat(listed(list, id).get("credentials").get("hasSecretAccessKey").asBoolean())
                .isTrue();
        assertThat(listed(listByViewer, id)
                        .get("credentials")
                        .get("hasSecretAccessKey")
                        .asBoolean())
                .isTrue();
        assertThat(duplicate.status()).isEqualTo(409);
        assertThat(invalid.status()).isEqualTo(400);
        Map<String, TestHttp.Response> answers = Map.of(
                "create",
                created,
                "read",
                read,
                "read as viewer",
                readByViewer,
                "update with a new secret",
                updated,
                "update keeping the secret",
                updatedKeepingIt,
                "list",
                list,
                "list as viewer",
                listByViewer,
                "duplicate create",
                duplicate,
                "invalid create",
                invalid);
        answers.forEach((what, answer) -> assertThat(answer.body())
                .as("the %s answer", what)
                .doesNotContain(SECRET)
                .doesNotContain(newSecret)
                .doesNotContain("secretAccessKey\""));
    }

    private static JsonNode listed(TestHttp.Response list, String id) {
        assertThat(list.status()).isEqualTo(200);
        for (JsonNode p : list.json().get("cloudProviders")) {
            if (p.get("id").asText().equals(id)) {
                return p;
            }
        }
        throw new AssertionError("provider " + id + " is not in the list " + list.body());
    }

    @Test
    void badInputViewersAndOtherAccountsAreRefusedAndChangeNothing() {
        int before =
                api.get("/api/v1/cloud-providers").json().get("cloudProviders").size();

        TestHttp.Response invalid = api.post(
                "/api/v1/cloud-providers",
                Map.of("name", "x", "region", "mars-1", "credentials", Map.of("type", "DELEGATE_IAM_ROLE")));
        TestHttp.Response unknownField = api.post("/api/v1/cloud-providers", Map.of("name", "x", "secret", "s"));
        TestHttp.Response viewer = manager.api(VIEWER_KEY).post("/api/v1/cloud-providers", roleProvider("v", "aws"));
        String id = create(roleProvider("mine-" + System.nanoTime(), "aws"));
        TestHttp.Response foreign = manager.api(OTHER_KEY).get("/api/v1/cloud-providers/" + id);
        TestHttp.Response foreignDelete = manager.api(OTHER_KEY).delete("/api/v1/cloud-providers/" + id);
        TestHttp.Response viewerTest =
                manager.api(VIEWER_KEY).post("/api/v1/cloud-providers/" + id + "/test", Map.of());
        TestHttp.Response duplicate = api.post(
                "/api/v1/cloud-providers",
                roleProvider(
                        api.get("/api/v1/cloud-providers/" + id)
                                .json()
                                .get("name")
                                .asText(),
                        "aws"));

        assertThat(invalid.status()).isEqualTo(400);
        assertThat(invalid.json().get("detail").asText())
                .contains("`region`", "Delegate selectors are required for Assume IAM Role on Delegate");
        assertThat(unknownField.status()).isEqualTo(400);
        assertThat(viewer.status()).isEqualTo(403);
        assertThat(foreign.status()).isEqualTo(404);
        assertThat(foreignDelete.status()).isEqualTo(404);
        assertThat(viewerTest.status()).isEqualTo(403);
        assertThat(duplicate.status()).isEqualTo(409);
        assertThat(api.get("/api/v1/cloud-providers").json().get("cloudProviders"))
                .hasSize(before + 1);
        assertThat(api.delete("/api/v1/cloud-providers/" + id).status()).isEqualTo(204);
        assertThat(api.get("/api/v1/cloud-providers/" + id).status()).isEqualTo(404);
    }

    @Test
    void aLookupRunsOnADelegateWithTheSecretOnlyInTheAssignmentAndIsCachedUntilRefreshedOrEdited() {
        String id = create(keyProvider("lookup-" + System.nanoTime(), SECRET));
        String path = "/api/v1/cloud-providers/" + id + "/subnets?vpcId=vpc-0abc&region=eu-west-1";

        CompletableFuture<TestHttp.Response> first = async(path);
        JsonNode assignment = delegate.take();
        delegate.succeed(
                assignment.get("taskId").asText(),
                assignment.get("fencingToken").asLong(),
                Map.of(
                        "subnets",
                        List.of(Map.of("id", "subnet-1", "cidr", "10.0.0.0/24", "availabilityZone", "eu-west-1a")),
                        "principal",
                        "arn:aws:iam::123456789012:user/ci"));
        TestHttp.Response answer = first.join();
        TestHttp.Response cached = api.get(path);

        assertThat(assignment.get("type").asText()).isEqualTo(AwsTaskTypes.SUBNETS);
        assertThat(assignment.get("secrets").get("secretAccessKey").asText()).isEqualTo(SECRET);
        assertThat(assignment.get("payload").toString())
                .doesNotContain(SECRET)
                .contains("\"vpcId\":\"vpc-0abc\"", "\"region\":\"eu-west-1\"", "AKIAIOSFODNN7EXAMPLE");
        assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
        assertThat(answer.json().get("items").get(0).get("availabilityZone").asText())
                .isEqualTo("eu-west-1a");
        assertThat(answer.json().get("principal").asText()).isEqualTo("arn:aws:iam::123456789012:user/ci");
        assertThat(answer.json().get("delegateName").asText()).isEqualTo("aws-1");
        assertThat(answer.json().get("cached").asBoolean()).isFalse();
        assertThat(cached.json().get("cached").asBoolean()).isTrue();
        assertThat(cached.json().get("taskId").asText())
                .isEqualTo(answer.json().get("taskId").asText());
        String taskId = answer.json().get("taskId").asText();
        TestHttp.Response task = api.get("/api/v1/tasks/" + taskId);
        assertThat(task.body()).doesNotContain(SECRET).doesNotContain("secrets");
        assertThat(api.get("/api/v1/tasks").body()).doesNotContain(SECRET);
        try (Database db = Database.open(manager.server().config().store())) {
            String sealed = db.jdbi()
                    .withHandle(h -> h.createQuery("SELECT secrets FROM task WHERE id = :id")
                            .bind("id", taskId)
                            .mapTo(String.class)
                            .one());
            assertThat(sealed).startsWith("v1:").doesNotContain(SECRET);
        }

        CompletableFuture<TestHttp.Response> refreshed = async(path + "&refresh=true");
        JsonNode again = delegate.take();
        delegate.succeed(
                again.get("taskId").asText(), again.get("fencingToken").asLong(), Map.of("subnets", List.of()));
        assertThat(refreshed.join().json().get("count").asInt()).isZero();
        assertThat(api.put("/api/v1/cloud-providers/" + id, keyProvider("edited-" + id, null))
                        .status())
                .isEqualTo(200);
        CompletableFuture<TestHttp.Response> afterEdit = async(path);
        JsonNode third = delegate.take();
        assertThat(third.get("secrets").get("secretAccessKey").asText())
                .as("an edit without the secret keeps it")
                .isEqualTo(SECRET);
        delegate.succeed(
                third.get("taskId").asText(), third.get("fencingToken").asLong(), Map.of("subnets", List.of()));
        assertThat(afterEdit.join().json().get("cached").asBoolean()).isFalse();
    }

    @Test
    void aProviderWhoseSelectorNoDelegateHasFailsFastWithTheSelectorAndTheSelectionLog() {
        String id = create(roleProvider("nobody-" + System.nanoTime(), "gpu-fleet"));

        TestHttp.Response r = api.get("/api/v1/cloud-providers/" + id + "/vpcs");

        assertThat(r.status()).isEqualTo(424);
        assertThat(r.json().get("code").asText()).isEqualTo("NO_ELIGIBLE_DELEGATE");
        assertThat(r.json().get("detail").asText()).contains("no connected delegate has selector `gpu-fleet`");
        assertThat(r.json().get("taskId").asText()).isNotBlank();
        assertThat(r.json()
                        .get("selectionLog")
                        .get("candidates")
                        .get(0)
                        .get("reason")
                        .asText())
                .contains("gpu-fleet");
    }

    @Test
    void awsRefusalsAndDelegateFailuresAnswerTheirOwnProblemsAndTestRecordsWhatItFound() {
        String id = create(roleProvider("failing-" + System.nanoTime(), "aws"));

        CompletableFuture<TestHttp.Response> refused = async("/api/v1/cloud-providers/" + id + "/subnets?vpcId=vpc-9");
        JsonNode a = delegate.take();
        delegate.fail(
                a.get("taskId").asText(),
                a.get("fencingToken").asLong(),
                "TASK",
                "ec2:DescribeSubnets was refused: InvalidVpcID.NotFound");
        CompletableFuture<TestHttp.Response> denied = async("/api/v1/cloud-providers/" + id + "/vpcs?refresh=true");
        JsonNode b = delegate.take();
        delegate.fail(
                b.get("taskId").asText(),
                b.get("fencingToken").asLong(),
                "CAPABILITY",
                "access denied: ec2:DescribeVpcs for arn:aws:sts::1:assumed-role/r/s");
        TestHttp.Response deniedAnswer = denied.join();
        CompletableFuture<TestHttp.Response> test =
                CompletableFuture.supplyAsync(() -> api.post("/api/v1/cloud-providers/" + id + "/test", Map.of()));
        JsonNode c = delegate.take();
        delegate.succeed(
                c.get("taskId").asText(),
                c.get("fencingToken").asLong(),
                Map.of(
                        "arn",
                        "arn:aws:sts::123456789012:assumed-role/ecs-task/abc",
                        "account",
                        "123456789012",
                        "regionCount",
                        17));

        assertThat(refused.join().status()).isEqualTo(422);
        assertThat(refused.join().json().get("detail").asText()).contains("InvalidVpcID.NotFound");
        assertThat(deniedAnswer.status()).as(deniedAnswer.toString()).isEqualTo(502);
        assertThat(deniedAnswer.json().get("detail").asText())
                .contains("access denied: ec2:DescribeVpcs for " + "arn:aws:sts::1:assumed-role/r/s");
        TestHttp.Response tested = test.join();
        assertThat(tested.status()).isEqualTo(200);
        assertThat(tested.json().get("connected").asBoolean()).isTrue();
        assertThat(tested.json().get("message").asText())
                .isEqualTo("Connected as arn:aws:sts::123456789012:"
                        + "assumed-role/ecs-task/abc in account 123456789012 through delegate aws-1.");
        assertThat(api.get("/api/v1/cloud-providers/" + id)
                        .json()
                        .get("lastTest")
                        .get("connected")
                        .asBoolean())
                .isTrue();
        CompletableFuture<TestHttp.Response> retried = async("/api/v1/cloud-providers/" + id + "/vpcs?refresh=true");
        JsonNode d = delegate.take();
        assertThat(d.get("payload").get("providerId").asText())
                .as("the passed Test ended the avoidance")
                .isEqualTo(id);
        delegate.succeed(d.get("taskId").asText(), d.get("fencingToken").asLong(), Map.of("vpcs", List.of()));
        assertThat(retried.join().status()).isEqualTo(200);
    }
}
