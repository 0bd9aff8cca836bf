package org.opendelegate.manager.deployments;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.opendelegate.manager.security.Role;
import org.opendelegate.manager.testing.TestManager;
import org.opendelegate.protocol.AwsTaskTypes;
import org.opendelegate.protocol.DelegateApiPaths;
import org.opendelegate.testkit.FakeDelegate;
import org.opendelegate.testkit.TestHttp;

/**
 * The deployments API against a real Manager, with a fake delegate that plays the {@code aws.ecs.deploy} handler
 * by the contract: it takes the task, reports checkpoints with steps, and ends it with a result's {@code outcome}.
 * Each test deploys its own service, and ends every task it starts, so the tests do not meet.
 */
class DeploymentsHttpTest {
    private static final String VIEWER_KEY = "odk_deploy-viewer-key-0123456789";
    private static final String OPERATOR_KEY = "odk_deploy-operator-key-0123456789";
    private static TestManager manager;
    private static TestHttp api;
    private static FakeDelegate delegate;
    private static String providerId;

    @BeforeAll
    static void start() {
        manager = TestManager.start();
        manager.seedAccount(TestManager.ACCOUNT_ID, VIEWER_KEY, Role.VIEWER, null);
        manager.seedAccount(TestManager.ACCOUNT_ID, OPERATOR_KEY, Role.OPERATOR, null);
        api = manager.api();
        // A deployment may carry secrets: only a selector its group grants brings it to a delegate.
        TestHttp.Response group =
                api.post("/api/v1/delegate-groups", Map.of("name", "ecs-prod", "selectors", List.of("deploy")));
        assertThat(group.status()).as(group.toString()).isEqualTo(201);
        String groupId = group.json().get("id").asText();
        assertThat(api.post("/api/v1/delegate-groups/" + groupId + "/unlock", Map.of())
                        .status())
                .isEqualTo(200);
        List<String> types = new ArrayList<>(AwsTaskTypes.ALL);
        types.add(AwsTaskTypes.ECS_DEPLOY);
        delegate = manager.delegate("deployer-1", "ecs-prod")
                .with("selectors", List.of("deploy"))
                .with("taskTypes", types);
        assertThat(delegate.register().status()).isEqualTo(200);
        delegate.keepAlive(Duration.ofMillis(300));
        TestHttp.Response p = api.post(
                "/api/v1/cloud-providers",
                Map.of(
                        "name", "deploy-provider",
                        "type", "AWS",
                        "region", "eu-west-1",
                        "credentials", Map.of("type", "DELEGATE_IAM_ROLE", "delegateSelectors", List.of("deploy"))));
        assertThat(p.status()).as(p.toString()).isEqualTo(201);
        providerId = p.json().get("id").asText();
    }

    @AfterAll
    static void stop() {
        manager.close();
    }

    private static Map<String, Object> imageDeploy(String service) {
        Map<String, Object> body = new HashMap<>();
        body.put("cloudProviderId", providerId);
        body.put("region", "eu-west-1");
        body.put("cluster", "prod");
        body.put("service", service);
        body.put("image", "registry.example.com/web:2");
        return body;
    }

    private static TestHttp.Response submit(Map<String, Object> body) {
        return api.post("/api/v1/deployments", body);
    }

    private static String submitted(Map<String, Object> body) {
        TestHttp.Response r = submit(body);
        assertThat(r.status()).as(r.toString()).isEqualTo(202);
        assertThat(r.json().get("state").asText()).isEqualTo("QUEUED");
        return r.json().get("id").asText();
    }

    private static JsonNode deployment(String id) {
        TestHttp.Response r = api.get("/api/v1/deployments/" + id);
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return r.json();
    }

    private static TestHttp.Response checkpoint(JsonNode a, Object checkpoint, String... lines) {
        List<Map<String, Object>> logLines = new ArrayList<>();
        for (String line : lines) {
            logLines.add(Map.of("at", java.time.Instant.now().toString(), "text", line));
        }
        Map<String, Object> body = new HashMap<>();
        body.put("delegateId", delegate.delegateId);
        body.put("sessionId", delegate.sessionId);
        body.put("fencingToken", a.get("fencingToken").asLong());
        body.put("leaseId", a.get("leaseId").asText());
        body.put("lines", logLines);
        body.put("checkpoint", checkpoint);
        return delegate.http()
                .post(DelegateApiPaths.taskProgress(a.get("taskId").asText()), body);
    }

    private static Map<String, Object> step(String name, String state) {
        Map<String, Object> s = new HashMap<>();
        s.put("name", name);
        s.put("state", state);
        s.put("startedAt", "2026-12-05T01:00:00Z");
        s.put("endedAt", "RUNNING".equals(state) ? null : "2026-12-05T01:00:05Z");
        s.put("message", null);
        return s;
    }

    private static Map<String, Object> before() {
        return Map.of(
                "serviceExists", true,
                "serviceArn", "arn:aws:ecs:eu-west-1:123456789012:service/prod/web",
                "taskDefinitionArn", "arn:aws:ecs:eu-west-1:123456789012:task-definition/web:6",
                "image", "registry.example.com/web:1",
                "desiredCount", 2);
    }

    private static void failWithOutcome(JsonNode a, String outcome) {
        TestHttp.Response r = delegate.outcomes(Map.of(
                "taskId", a.get("taskId").asText(),
                "fencingToken", a.get("fencingToken").asLong(),
                "leaseId", a.get("leaseId").asText(),
                "status", "FAILED",
                "error",
                        Map.of(
                                "kind",
                                "TASK",
                                "message",
                                "ecs:UpdateService on arn:aws:ecs:eu-west-1:123456789012:"
                                        + "service/prod/web: the deployment circuit breaker tripped"),
                "result", Map.of("outcome", outcome, "reason", "circuit breaker", "before", before())));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
    }

    @Test
    void badInputNamesEachFieldAndStoresNothing() {
        int before = api.get("/api/v1/deployments?limit=500")
                .json()
                .get("deployments")
                .size();

        TestHttp.Response empty = submit(Map.of());
        Map<String, Object> both = imageDeploy("validation");
        both.put("taskDefinition", Map.of("family", "web", "containerDefinitions", List.of(Map.of("name", "web"))));
        Map<String, Object> placeholders = imageDeploy("validation");
        placeholders.remove("image");
        placeholders.put(
                "taskDefinition",
                Map.of(
                        "family",
                        "web",
                        "containerDefinitions",
                        List.of(Map.of("name", "web", "image", "r/web:${TAG}"))));
        placeholders.put("variables", Map.of("bad-name", "x"));
        placeholders.put("steadyStateTimeoutSeconds", 10);
        placeholders.put("desiredCount", -1);
        placeholders.put("container", "web");
        Map<String, Object> badPlaces = imageDeploy("no such service!");
        badPlaces.put("region", "Europe");
        badPlaces.put("cluster", "arn:aws:ecs:nowhere");
        Map<String, Object> noProvider = imageDeploy("validation");
        noProvider.put("cloudProviderId", "no-such-provider");
        Map<String, Object> otherRegion = imageDeploy("validation");
        otherRegion.put("cluster", "arn:aws:ecs:us-east-1:123456789012:cluster/prod");
        Map<String, Object> unknownSecret = imageDeploy("validation");
        unknownSecret.put("variables", Map.of("DB_PASSWORD", "secret:no-such-secret"));

        assertThat(fields(empty)).contains("cloudProviderId", "region", "cluster", "service", "taskDefinition");
        assertThat(fields(submit(both))).containsExactly("taskDefinition");
        assertThat(fields(submit(placeholders)))
                .contains(
                        "variables.bad-name",
                        "variables.TAG",
                        "steadyStateTimeoutSeconds",
                        "desiredCount",
                        "container");
        assertThat(fields(submit(badPlaces))).containsExactlyInAnyOrder("region", "cluster", "service");
        assertThat(fields(submit(noProvider))).containsExactly("cloudProviderId");
        TestHttp.Response wrongRegion = submit(otherRegion);
        assertThat(fields(wrongRegion)).containsExactly("cluster");
        assertThat(wrongRegion.body()).contains("region us-east-1 but `region` is eu-west-1");
        TestHttp.Response secret = submit(unknownSecret);
        assertThat(secret.status()).as(secret.toString()).isEqualTo(422);
        assertThat(secret.json().get("code").asText()).isEqualTo("UNKNOWN_SECRET");
        assertThat(secret.body()).contains("variables.DB_PASSWORD");
        assertThat(api.get("/api/v1/deployments?limit=500")
                        .json()
                        .get("deployments")
                        .size())
                .isEqualTo(before);
    }

    private static List<String> fields(TestHttp.Response r) {
        assertThat(r.status()).as(r.toString()).isEqualTo(400);
        List<String> fields = new ArrayList<>();
        r.json().path("errors").forEach(e -> fields.add(e.get("field").asText()));
        return fields;
    }

    @Test
    void aDeploymentFollowsItsCheckpointsHoldsItsServiceAndEndsWithItsTask() {
        assertThat(api.post(
                                "/api/v1/secrets",
                                Map.of(
                                        "name",
                                        "deploy-db-password",
                                        "description",
                                        "for the deploy test",
                                        "value",
                                        "hunter2-deploy"))
                        .status())
                .isEqualTo(201);
        Map<String, Object> body = imageDeploy("web-a");
        body.put("variables", Map.of("DB_PASSWORD", "secret:deploy-db-password", "LEVEL", "info"));
        String id = submitted(body);

        JsonNode a = delegate.take();
        assertThat(a.get("type").asText()).isEqualTo(AwsTaskTypes.ECS_DEPLOY);
        JsonNode payload = a.get("payload");
        assertThat(payload.get("deploymentId").asText()).isEqualTo(id);
        assertThat(payload.get("image").asText()).isEqualTo("registry.example.com/web:2");
        assertThat(payload.get("variables").get("DB_PASSWORD").asText()).isEqualTo("secret:deploy-db-password");
        assertThat(payload.get("steadyStateTimeoutSeconds").asInt()).isEqualTo(600);
        assertThat(payload.toString()).doesNotContain("hunter2-deploy");
        assertThat(a.get("secrets").get("variables").get("DB_PASSWORD").asText())
                .isEqualTo("hunter2-deploy");
        assertThat(a.get("timeoutMillis").asLong()).isBetween(1_400_000L, 1_500_000L);

        assertThat(checkpoint(a, Map.of("phase", "DEPLOYING", "steps", List.of(step("PREPARE", "RUNNING"))))
                        .status())
                .isEqualTo(200);
        assertThat(checkpoint(
                                a,
                                Map.of(
                                        "phase", "DEPLOYING",
                                        "before", before(),
                                        "steps",
                                                List.of(
                                                        step("PREPARE", "SUCCEEDED"),
                                                        step("UPDATE_SERVICE", "RUNNING"))),
                                "described service web: task definition web:6, 2 tasks")
                        .status())
                .isEqualTo(200);
        JsonNode running = deployment(id);
        TestHttp.Response second = submit(imageDeploy("web-a"));

        assertThat(running.get("state").asText()).isEqualTo("RUNNING");
        assertThat(running.get("from").get("revision").asInt()).isEqualTo(6);
        JsonNode prepare = running.get("steps").get(0);
        assertThat(prepare.get("state").asText()).isEqualTo("SUCCEEDED");
        assertThat(prepare.get("logUntilId").asLong())
                .isGreaterThan(prepare.get("logAfterId").asLong());
        assertThat(running.get("steps").get(1).has("logUntilId"))
                .as("a running step's lines still come")
                .isFalse();
        assertThat(second.status()).as(second.toString()).isEqualTo(409);
        assertThat(second.json().get("code").asText()).isEqualTo("DEPLOYMENT_IN_PROGRESS");
        assertThat(second.json().get("deploymentId").asText()).isEqualTo(id);
        assertThat(second.json().get("detail").asText()).contains(id);

        delegate.succeed(
                a.get("taskId").asText(),
                a.get("fencingToken").asLong(),
                Map.of(
                        "outcome",
                        "SUCCEEDED",
                        "taskDefinitionArn",
                        "arn:aws:ecs:eu-west-1:123456789012:task-definition/web:7",
                        "revision",
                        7,
                        "before",
                        before(),
                        "after",
                        Map.of(
                                "taskDefinitionArn",
                                "arn:aws:ecs:eu-west-1:123456789012:task-definition/web:7",
                                "revision",
                                7,
                                "image",
                                "registry.example.com/web:2",
                                "desiredCount",
                                2)));
        JsonNode done = deployment(id);

        assertThat(done.get("state").asText()).isEqualTo("SUCCEEDED");
        assertThat(done.get("to").get("revision").asInt()).isEqualTo(7);
        assertThat(done.get("steps").get(1).get("state").asText()).isEqualTo("SUCCEEDED");
        assertThat(done.get("steps").get(1).has("logUntilId")).isTrue();
        assertThat(done.toString()).doesNotContain("hunter2-deploy");
        // The service is free again: the next deployment is taken, and cancelled while queued.
        String next = submitted(imageDeploy("web-a"));
        TestHttp.Response cancelled = api.post("/api/v1/deployments/" + next + "/cancel", Map.of());
        assertThat(cancelled.status()).as(cancelled.toString()).isEqualTo(200);
        assertThat(cancelled.json().get("state").asText()).isEqualTo("CANCELLED");
        assertThat(api.post("/api/v1/deployments/" + next + "/cancel", Map.of())
                        .json()
                        .get("code")
                        .asText())
                .isEqualTo("DEPLOYMENT_ENDED");
        String third = submitted(imageDeploy("web-a"));
        api.post("/api/v1/deployments/" + third + "/cancel", Map.of());
    }

    @Test
    void ofTwoSubmissionsAtOnceForOneServiceExactlyOneIsTaken() throws Exception {
        CountDownLatch go = new CountDownLatch(1);
        List<CompletableFuture<TestHttp.Response>> racing = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            racing.add(CompletableFuture.supplyAsync(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return submit(imageDeploy("web-race"));
            }));
        }
        go.countDown();
        List<Integer> statuses = new ArrayList<>();
        String winner = null;
        for (CompletableFuture<TestHttp.Response> f : racing) {
            TestHttp.Response r = f.get();
            statuses.add(r.status());
            if (r.status() == 202) {
                winner = r.json().get("id").asText();
            }
        }

        assertThat(statuses).containsExactlyInAnyOrder(202, 409);
        assertThat(api.post("/api/v1/deployments/" + winner + "/cancel", Map.of())
                        .status())
                .isEqualTo(200);
    }

    @Test
    void aProviderCannotBeDeletedWhileADeploymentRunsThroughIt() {
        TestHttp.Response p = api.post(
                "/api/v1/cloud-providers",
                Map.of(
                        "name", "provider-in-use",
                        "type", "AWS",
                        "region", "eu-west-1",
                        "credentials", Map.of("type", "DELEGATE_IAM_ROLE", "delegateSelectors", List.of("deploy"))));
        assertThat(p.status()).as(p.toString()).isEqualTo(201);
        String inUse = p.json().get("id").asText();
        Map<String, Object> body = imageDeploy("web-provider-in-use");
        body.put("cloudProviderId", inUse);
        String running = submitted(body);

        TestHttp.Response refused = api.delete("/api/v1/cloud-providers/" + inUse);
        assertThat(refused.status()).as(refused.toString()).isEqualTo(409);
        assertThat(refused.json().get("code").asText()).isEqualTo("CLOUD_PROVIDER_IN_USE");
        assertThat(refused.body()).contains(running, "web-provider-in-use");
        assertThat(api.get("/api/v1/cloud-providers/" + inUse).status()).isEqualTo(200);

        // Once the deployment has ended, its history keeps the provider's name and the provider may go.
        assertThat(api.post("/api/v1/deployments/" + running + "/cancel", Map.of())
                        .status())
                .isEqualTo(200);
        assertThat(deployment(running).get("state").asText()).isEqualTo("CANCELLED");
        TestHttp.Response deleted = api.delete("/api/v1/cloud-providers/" + inUse);
        assertThat(deleted.status()).as(deleted.toString()).isIn(200, 204);
        assertThat(deployment(running).get("cloudProviderName").asText()).isEqualTo("provider-in-use");
    }

    @Test
    void theServiceIsFreedHoweverTheDeploymentEnds() {
        String rolledBack = submitted(imageDeploy("web-ends"));
        JsonNode a = delegate.take();
        failWithOutcome(a, "ROLLED_BACK");
        JsonNode first = deployment(rolledBack);
        assertThat(first.get("state").asText()).isEqualTo("ROLLED_BACK");
        assertThat(first.get("error").asText()).contains("ecs:UpdateService on arn:aws:ecs:");

        String plainFailure = submitted(imageDeploy("web-ends"));
        JsonNode b = delegate.take();
        delegate.fail(b.get("taskId").asText(), b.get("fencingToken").asLong(), "TASK", "the task definition is bad");
        assertThat(deployment(plainFailure).get("state").asText()).isEqualTo("FAILED");

        String cancelledWhileRunning = submitted(imageDeploy("web-ends"));
        JsonNode c = delegate.take();
        assertThat(api.post("/api/v1/deployments/" + cancelledWhileRunning + "/cancel", Map.of())
                        .status())
                .isEqualTo(200);
        delegate.report(c.get("taskId").asText(), c.get("fencingToken").asLong(), "CANCELLED");
        assertThat(deployment(cancelledWhileRunning).get("state").asText()).isEqualTo("CANCELLED");

        String last = submitted(imageDeploy("web-ends"));
        JsonNode d = delegate.take();
        failWithOutcome(d, "ROLLBACK_FAILED");
        assertThat(deployment(last).get("state").asText()).isEqualTo("ROLLBACK_FAILED");
        String free = submitted(imageDeploy("web-ends"));
        api.post("/api/v1/deployments/" + free + "/cancel", Map.of());
    }

    @Test
    void rollbackDeploysWhatWasLiveBeforeAsANewDeployment() {
        String id = submitted(imageDeploy("web-rollback"));
        JsonNode a = delegate.take();
        failWithOutcome(a, "FAILED");

        TestHttp.Response rollback = api.post("/api/v1/deployments/" + id + "/rollback", Map.of());
        assertThat(rollback.status()).as(rollback.toString()).isEqualTo(202);
        assertThat(rollback.json().get("rollbackOf").asText()).isEqualTo(id);
        JsonNode r = delegate.take();
        assertThat(r.get("payload").get("taskDefinitionArn").asText())
                .isEqualTo("arn:aws:ecs:eu-west-1:123456789012:task-definition/web:6");
        assertThat(r.get("payload").get("desiredCount").asInt()).isEqualTo(2);
        assertThat(r.get("payload").has("image")).isFalse();
        TestHttp.Response busy = api.post("/api/v1/deployments/" + id + "/rollback", Map.of());
        assertThat(busy.status()).isEqualTo(409);
        assertThat(busy.json().get("code").asText()).isEqualTo("DEPLOYMENT_IN_PROGRESS");
        delegate.fail(r.get("taskId").asText(), r.get("fencingToken").asLong(), "TASK", "stopped by the test");

        Map<String, Object> preview = imageDeploy("web-rollback");
        preview.put("dryRun", true);
        String dry = submitted(preview);
        JsonNode p = delegate.take();
        delegate.succeed(
                p.get("taskId").asText(),
                p.get("fencingToken").asLong(),
                Map.of(
                        "outcome",
                        "PREVIEW",
                        "changes",
                        List.of(Map.of(
                                "section", "taskDefinition",
                                "path", "containerDefinitions[web].image",
                                "before", "registry.example.com/web:1",
                                "after", "registry.example.com/web:2"))));
        JsonNode previewed = deployment(dry);
        assertThat(previewed.get("state").asText()).isEqualTo("PREVIEWED");
        assertThat(previewed.get("changes").get(0).get("path").asText()).isEqualTo("containerDefinitions[web].image");
        TestHttp.Response nothing = api.post("/api/v1/deployments/" + dry + "/rollback", Map.of());
        assertThat(nothing.status()).isEqualTo(409);
        assertThat(nothing.json().get("code").asText()).isEqualTo("NOTHING_TO_ROLL_BACK");
    }

    @Test
    void viewersReadOperatorsDeployAndListsPageAndFilter() {
        TestHttp viewer = manager.api(VIEWER_KEY);
        TestHttp operator = manager.api(OPERATOR_KEY);
        TestHttp.Response refused = viewer.post("/api/v1/deployments", imageDeploy("web-roles"));
        assertThat(refused.status()).as(refused.toString()).isEqualTo(403);

        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            TestHttp.Response r = operator.post("/api/v1/deployments", imageDeploy("web-page-" + i));
            assertThat(r.status()).as(r.toString()).isEqualTo(202);
            ids.add(r.json().get("id").asText());
        }
        assertThat(viewer.post("/api/v1/deployments/" + ids.get(0) + "/cancel", Map.of())
                        .status())
                .isEqualTo(403);
        for (String id : ids) {
            assertThat(operator.post("/api/v1/deployments/" + id + "/cancel", Map.of())
                            .status())
                    .isEqualTo(200);
        }

        JsonNode page1 = viewer.get("/api/v1/deployments?state=cancelled&cluster=prod&limit=2")
                .json();
        assertThat(page1.get("deployments")).hasSize(2);
        JsonNode page2 = viewer.get("/api/v1/deployments?state=CANCELLED&cluster=prod&limit=2&cursor="
                        + page1.get("nextCursor").asText())
                .json();
        List<String> seen = new ArrayList<>();
        page1.get("deployments").forEach(d -> seen.add(d.get("id").asText()));
        page2.get("deployments").forEach(d -> seen.add(d.get("id").asText()));
        assertThat(seen).doesNotHaveDuplicates().containsAll(ids);
        JsonNode one = viewer.get("/api/v1/deployments?service=web-page-1").json();
        assertThat(one.get("deployments"))
                .singleElement()
                .satisfies(d -> assertThat(d.get("id").asText()).isEqualTo(ids.get(1)));
        assertThat(one.has("nextCursor")).isFalse();
        assertThat(viewer.get("/api/v1/deployments?state=sideways").status()).isEqualTo(400);
        assertThat(viewer.get("/api/v1/deployments?cursor=nonsense").status()).isEqualTo(400);
        assertThat(viewer.get("/api/v1/deployments?limit=0").status()).isEqualTo(400);
        assertThat(viewer.get("/api/v1/deployments/no-such-id").status()).isEqualTo(404);
    }
}
