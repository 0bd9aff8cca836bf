package org.opendelegate.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.opendelegate.e2e.support.Api;
import org.opendelegate.e2e.support.DelegateProcess;
import org.opendelegate.e2e.support.ManagerProcess;
import org.opendelegate.e2e.support.MotoServer;
import org.opendelegate.testkit.FakeEcs;

/**
 * ECS deployments with the built Manager and real delegate processes against moto, with the test kit's fake ECS
 * in front of it playing the rollout moto does not: a deployment through the API; a delegate killed with
 * {@code kill -9} mid-wait, resumed by another with no second registration or update; a stale delegate (stopped
 * with SIGSTOP before its UpdateService) that wakes after its lease moved and changes nothing; a second
 * deployment to a busy service refused with 409; a dry run that sends no mutating call to moto. Each test deploys
 * its own service of one cluster; leases last 3 s and delegates poll ECS every 200 ms.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EcsDeploymentsE2ETest {
    private static final Duration DEPLOY_WAIT = Duration.ofSeconds(45);
    private static final String CLUSTER = "prod";
    private static final String GROUP = "deployers";
    private static final List<AutoCloseable> RUNNING = new ArrayList<>();
    private static final Map<String, DelegateProcess> DELEGATES = new HashMap<>();
    private static Path work;
    private static MotoServer moto;
    private static FakeEcs ecs;
    private static ManagerProcess manager;
    private static Api api;
    private static String provider;

    @BeforeAll
    static void start() {
        work = Path.of(System.getProperty("opendelegate.workDir", "target/e2e-work"))
                .resolve("deployments-" + UUID.randomUUID().toString().substring(0, 8));
        moto = track(MotoServer.start(work));
        ecs = track(FakeEcs.inFrontOf(moto.endpoint()));
        moto.aws("ecs", "create-cluster", "--cluster-name", CLUSTER);
        manager = track(ManagerProcess.start(
                "manager", work.resolve("data"), 0, Map.of("OPENDELEGATE_NO_ELIGIBLE_WAIT", "2s")));
        api = manager.api();
        for (String name : List.of("deployer-1", "deployer-2")) {
            Map<String, String> env = new HashMap<>(moto.environment());
            env.put("AWS_ENDPOINT_URL", ecs.endpoint());
            env.put("DELEGATE_NAME", name);
            env.put("DELEGATE_ECS_POLL_INTERVAL", "200ms");
            DELEGATES.put(name, track(DelegateProcess.start(name, manager, GROUP, env, work)));
        }
        DELEGATES.values().forEach(DelegateProcess::awaitConnected);
        Api.Response created = api.post(
                "/api/v1/cloud-providers",
                Map.of(
                        "name",
                        "AWS deployments",
                        "type",
                        "AWS",
                        "region",
                        MotoServer.REGION,
                        "credentials",
                        Map.of("type", "DELEGATE_IAM_ROLE", "delegateSelectors", List.of(GROUP))));
        assertThat(created.status()).as(created.json().toString()).isEqualTo(201);
        provider = created.json().get("id").asText();
    }

    @AfterAll
    static void stop() throws Exception {
        for (int i = RUNNING.size() - 1; i >= 0; i--) {
            RUNNING.get(i).close();
        }
    }

    @Test
    @Order(1)
    void aDeploymentThroughTheApiPutsTheNewImageOnTheServiceStepByStep() {
        service("api", "nginx:1.25");
        ecs.script(FakeEcs.Rollout.completesAfter(3).withEvents("(service api) has started 1 tasks: (task 1)."));

        JsonNode done = awaitEnd(submit(image("api", "nginx:1.27")));

        assertThat(done.get("state").asText()).as(done.toString()).isEqualTo("SUCCEEDED");
        assertThat(done.get("to").get("image").asText()).isEqualTo("nginx:1.27");
        assertThat(done.get("steps").findValuesAsText("name"))
                .containsSubsequence("PREPARE", "REGISTER_TASK_DEFINITION", "UPDATE_SERVICE", "WAIT_FOR_STEADY_STATE");
        JsonNode live = describe("api");
        assertThat(live.get("taskDefinition").asText())
                .isEqualTo(done.get("to").get("taskDefinitionArn").asText());
        assertThat(api.text("/api/v1/tasks/" + done.get("taskId").asText() + "/log"))
                .contains("has started 1 tasks");
    }

    @Test
    @Order(2)
    void aDelegateKilledMidWaitIsReplacedWithoutASecondRegistrationOrUpdate() {
        service("worker", "nginx:1.25");
        ecs.script(FakeEcs.Rollout.completesAfter(20));
        int registered = ecs.accepted("RegisterTaskDefinition").size();
        int updated = ecs.accepted("UpdateService").size();
        String id = submit(image("worker", "nginx:1.27"));
        Awaitility.await("the wait for a steady state to begin")
                .atMost(DEPLOY_WAIT)
                .until(() ->
                        deployment(id).get("steps").findValuesAsText("name").contains("WAIT_FOR_STEADY_STATE"));
        String taskId = deployment(id).get("taskId").asText();
        DelegateProcess first =
                DELEGATES.get(api.task(taskId).get("delegateName").asText());

        first.kill9();
        JsonNode done = awaitEnd(id);

        assertThat(done.get("state").asText()).as(done.toString()).isEqualTo("SUCCEEDED");
        assertThat(api.task(taskId).get("attemptCount").asInt()).isEqualTo(2);
        assertThat(ecs.accepted("RegisterTaskDefinition")).hasSize(registered + 1);
        assertThat(ecs.accepted("UpdateService")).hasSize(updated + 1);
        DELEGATES.remove(first.name());
    }

    @Test
    @Order(3)
    void aStaleDelegateThatWakesAfterItsLeaseMovedMakesNoUpdate() throws Exception {
        restartMissingDelegates();
        service("batch", "nginx:1.25");
        int updated = ecs.accepted("UpdateService").size();
        ecs.hold("RegisterTaskDefinition");
        String id = submit(image("batch", "nginx:1.27"));
        Awaitility.await("the registration to reach the fake")
                .atMost(DEPLOY_WAIT)
                .until(() -> ecs.calls().stream().anyMatch(c -> c.action().equals("RegisterTaskDefinition")));
        String taskId = deployment(id).get("taskId").asText();
        DelegateProcess stale =
                DELEGATES.get(api.task(taskId).get("delegateName").asText());
        signal(stale, "STOP");
        ecs.release("RegisterTaskDefinition");

        JsonNode done = awaitEnd(id);
        signal(stale, "CONT");

        assertThat(done.get("state").asText()).as(done.toString()).isEqualTo("SUCCEEDED");
        assertThat(api.task(taskId).get("attemptCount").asInt()).isEqualTo(2);
        // The woken delegate's next step is to save its checkpoint, which its lost lease refuses: no update.
        Awaitility.await("the woken delegate to stay out")
                .during(Duration.ofSeconds(3))
                .atMost(Duration.ofSeconds(10))
                .until(() -> ecs.accepted("UpdateService").size() == updated + 1);
        assertThat(stale.isAlive()).isTrue();
    }

    @Test
    @Order(4)
    void aSecondDeploymentToABusyServiceIsRefusedNamingTheFirst() {
        restartMissingDelegates();
        service("queue", "nginx:1.25");
        ecs.script(FakeEcs.Rollout.completesAfter(15));
        String first = submit(image("queue", "nginx:1.27"));

        Api.Response second = api.post("/api/v1/deployments", image("queue", "nginx:1.28"));

        assertThat(second.status()).as(second.json().toString()).isEqualTo(409);
        assertThat(second.json().get("code").asText()).isEqualTo("DEPLOYMENT_IN_PROGRESS");
        assertThat(second.json().get("detail").asText()).contains(first);
        assertThat(awaitEnd(first).get("state").asText()).isEqualTo("SUCCEEDED");
    }

    @Test
    @Order(5)
    void aDryRunShowsTheDiffAndSendsNoMutatingCall() {
        service("preview", "nginx:1.25");
        int mutating = ecs.mutatingCalls().size();
        Map<String, Object> request = new HashMap<>(image("preview", "nginx:1.27"));
        request.put("dryRun", true);

        JsonNode done = awaitEnd(submit(request));

        assertThat(done.get("state").asText()).as(done.toString()).isEqualTo("PREVIEWED");
        assertThat(done.get("changes").toString()).contains("nginx:1.25", "nginx:1.27");
        assertThat(ecs.mutatingCalls()).hasSize(mutating);
        assertThat(describe("preview").get("taskDefinition").asText()).endsWith("preview:1");
    }

    /** A task definition family and a service of one task running it, made in moto directly. */
    private static void service(String name, String image) {
        moto.aws(
                "ecs",
                "register-task-definition",
                "--family",
                name,
                "--container-definitions",
                "[{\"name\":\"" + name + "\",\"image\":\"" + image + "\",\"memory\":128}]");
        moto.aws(
                "ecs",
                "create-service",
                "--cluster",
                CLUSTER,
                "--service-name",
                name,
                "--task-definition",
                name,
                "--desired-count",
                "1");
    }

    private static JsonNode describe(String service) {
        return moto.aws("ecs", "describe-services", "--cluster", CLUSTER, "--services", service)
                .get("services")
                .get(0);
    }

    private static Map<String, Object> image(String service, String image) {
        return Map.of(
                "cloudProviderId", provider,
                "region", MotoServer.REGION,
                "cluster", CLUSTER,
                "service", service,
                "image", image,
                "steadyStateTimeoutSeconds", 60);
    }

    private static String submit(Map<String, Object> request) {
        Api.Response r = api.post("/api/v1/deployments", request);
        assertThat(r.status()).as(r.json().toString()).isEqualTo(202);
        return r.json().get("id").asText();
    }

    private static JsonNode deployment(String id) {
        return api.get("/api/v1/deployments/" + id).json();
    }

    private static JsonNode awaitEnd(String id) {
        Awaitility.await("deployment " + id + " to end")
                .atMost(DEPLOY_WAIT)
                .pollInterval(Duration.ofMillis(200))
                .until(() -> !List.of("QUEUED", "RUNNING")
                        .contains(deployment(id).get("state").asText()));
        return deployment(id);
    }

    /** Two delegates again after one was killed, so the next test has a second one to move to. */
    private static void restartMissingDelegates() {
        for (String name : List.of("deployer-1", "deployer-2")) {
            if (!DELEGATES.containsKey(name)) {
                Map<String, String> env = new HashMap<>(moto.environment());
                env.put("AWS_ENDPOINT_URL", ecs.endpoint());
                env.put("DELEGATE_NAME", name);
                env.put("DELEGATE_ECS_POLL_INTERVAL", "200ms");
                DelegateProcess d = track(DelegateProcess.start(name + "-again", manager, GROUP, env, work));
                d.awaitConnected();
                DELEGATES.put(name, d);
            }
        }
    }

    private static void signal(DelegateProcess delegate, String signal) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + signal, String.valueOf(delegate.pid())).start();
        assertThat(kill.waitFor()).isZero();
    }

    private static <T extends AutoCloseable> T track(T closeable) {
        RUNNING.add(closeable);
        return closeable;
    }
}
