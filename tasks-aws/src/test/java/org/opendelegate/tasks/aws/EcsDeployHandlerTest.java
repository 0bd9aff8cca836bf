package org.opendelegate.tasks.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.opendelegate.spi.TaskContext;
import org.opendelegate.spi.TaskFailure;
import org.opendelegate.testkit.FakeEcs;
import org.opendelegate.testkit.FakeEcs.Rollout;
import org.opendelegate.testkit.MotoProcess;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.Service;
import software.amazon.awssdk.services.ecs.model.TaskDefinition;

/**
 * The {@code aws.ecs.deploy} handler against moto (which checks every request and keeps the service's task
 * definition and count) behind {@link FakeEcs} (which plays the rollout), with a task context that records the
 * checkpoints and can hand the last one to a second run, as the Manager does for the next attempt.
 */
class EcsDeployHandlerTest {
    private static final String KEY = "AKIDDEPLOYTEST";
    private static final String SECRET = "deploy-secret-access-key";
    private static final String DB_PASSWORD = "s3cr3t-Pa55word";
    private static final Duration POLL = Duration.ofMillis(100);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static MotoProcess moto;
    private static EcsClient direct;
    private FakeEcs ecs;
    private String cluster;
    private String family;

    @BeforeAll
    static void startMoto() {
        moto = MotoProcess.start(Path.of("target", "moto"));
        direct = EcsClient.builder()
                .region(Region.US_EAST_1)
                .endpointOverride(URI.create(moto.endpoint()))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(KEY, SECRET)))
                .httpClient(UrlConnectionHttpClient.create())
                .build();
    }

    @AfterAll
    static void stopMoto() {
        direct.close();
        moto.close();
    }

    @BeforeEach
    void start() {
        ecs = FakeEcs.inFrontOf(moto.endpoint());
        System.setProperty("aws.endpointUrl", ecs.endpoint());
        String id = UUID.randomUUID().toString().substring(0, 8);
        cluster = "c-" + id;
        family = "web-" + id;
        direct.createCluster(r -> r.clusterName(cluster));
    }

    @AfterEach
    void stop() {
        System.clearProperty("aws.endpointUrl");
        System.clearProperty("aws.maxAttempts");
        ecs.close();
    }

    // ---- the paths of a deployment

    @Test
    void anImageDeploymentRegistersARevisionUpdatesTheServiceOnceAndWaitsForTheRollout() throws Exception {
        String v1 = existingService("nginx:1", 2);
        scalableTarget(1, 4);
        ecs.script(Rollout.completesAfter(2).withEvents("(service web) has started 2 tasks: (task a) (task b)."));
        Context context = new Context(imageDeploy("nginx:2"));

        JsonNode result = handler().run(context);

        assertThat(result.path("outcome").asText()).isEqualTo("SUCCEEDED");
        assertThat(result.path("revision").asInt()).isEqualTo(2);
        assertThat(result.path("taskDefinitionArn").asText()).endsWith(family + ":2");
        assertThat(result.path("image").asText()).isEqualTo("nginx:2");
        assertThat(result.path("runningCount").asInt()).isEqualTo(2);
        assertThat(result.path("deploymentId").asText()).startsWith("ecs-svc/");
        assertThat(result.path("before").path("taskDefinitionArn").asText()).isEqualTo(v1);
        assertThat(result.path("before").path("image").asText()).isEqualTo("nginx:1");
        assertThat(result.path("before").path("scaling").toString()).isEqualTo("{\"minCapacity\":1,\"maxCapacity\":4}");
        assertThat(service().taskDefinition()).endsWith(family + ":2");
        assertThat(ecs.accepted("UpdateService")).hasSize(1);
        assertThat(ecs.accepted("RegisterTaskDefinition")).hasSize(1);
        assertThat(context.lines.stream().filter(l -> l.contains("has started 2 tasks")))
                .as("each new service event once")
                .hasSize(1);
        assertThat(context.lines).anyMatch(l -> l.contains("has reached a steady state"));
        assertThat(context.lastCheckpoint().path("steps").findValuesAsText("name"))
                .containsExactly("PREPARE", "REGISTER_TASK_DEFINITION", "UPDATE_SERVICE", "WAIT_FOR_STEADY_STATE");
        assertThat(context.lastCheckpoint().path("steps").findValuesAsText("state"))
                .containsOnly("SUCCEEDED");
        assertThatEveryMutationFollowedACheckpointThatAnnouncedIt(context);
    }

    @Test
    void anExistingRevisionIsDeployedWithoutRegisteringAnother() throws Exception {
        String v1 = existingService("nginx:1", 2);
        ecs.script(Rollout.completesAfter(1), Rollout.completesAfter(1));
        handler().run(new Context(imageDeploy("nginx:2")));
        assertThat(service().taskDefinition()).endsWith(family + ":2");
        ObjectNode back = basePayload().put("taskDefinitionArn", v1);
        back.put("desiredCount", 2);

        JsonNode result = handler().run(new Context(back));

        assertThat(result.path("outcome").asText()).isEqualTo("SUCCEEDED");
        assertThat(result.path("taskDefinitionArn").asText()).isEqualTo(v1);
        assertThat(service().taskDefinition()).isEqualTo(v1);
        assertThat(ecs.accepted("RegisterTaskDefinition"))
                .as("only the first deployment registers")
                .hasSize(1);
        assertThat(ecs.accepted("UpdateService")).hasSize(2);
    }

    @Test
    void aServiceThatDoesNotExistIsCreatedFromTheServiceDefinition() throws Exception {
        ObjectNode payload = definitionDeploy("nginx:3");
        payload.put("desiredCount", 1);
        payload.putObject("serviceDefinition").put("launchType", "EC2").put("schedulingStrategy", "REPLICA");
        ecs.script(Rollout.completesAfter(1));

        JsonNode result = handler().run(new Context(payload));

        assertThat(result.path("outcome").asText()).isEqualTo("SUCCEEDED");
        assertThat(result.path("before").path("serviceExists").asBoolean()).isFalse();
        assertThat(ecs.accepted("CreateService")).hasSize(1);
        assertThat(ecs.accepted("UpdateService")).isEmpty();
        assertThat(service().desiredCount()).isEqualTo(1);
        assertThat(service().taskDefinition()).endsWith(family + ":1");
    }

    @Test
    void aFailedRolloutIsRolledBackToTheRecordedRevisionAndCountAndTheStoppedTasksAreReported() throws Exception {
        String v1 = existingService("nginx:1", 2);
        ecs.script(
                Rollout.failsAfter(1, "ECS deployment circuit breaker: tasks failed to start.")
                        .withStoppedTask("Essential container in task exited", "web", 137, "OutOfMemoryError"),
                Rollout.completesAfter(1));
        ObjectNode payload = imageDeploy("nginx:broken");
        payload.put("desiredCount", 3);
        Context context = new Context(payload);

        TaskFailure failure =
                catchThrowableOfType(TaskFailure.class, () -> handler().run(context));

        assertThat(failure.getMessage())
                .contains("circuit breaker")
                .contains("Essential container in task exited")
                .contains("exit code 137")
                .contains("rolled back to " + v1);
        JsonNode result = failure.result();
        assertThat(result.path("outcome").asText()).isEqualTo("ROLLED_BACK");
        assertThat(result.path("stoppedTasks")
                        .get(0)
                        .path("containers")
                        .get(0)
                        .path("exitCode")
                        .asInt())
                .isEqualTo(137);
        assertThat(service().taskDefinition()).isEqualTo(v1);
        assertThat(service().desiredCount()).isEqualTo(2);
        assertThat(ecs.accepted("UpdateService")).hasSize(2);
        assertThat(context.lastCheckpoint().path("phase").asText()).isEqualTo("ROLLING_BACK");
        assertThat(context.lastCheckpoint().path("steps").findValuesAsText("state"))
                .containsExactly("SUCCEEDED", "SUCCEEDED", "SUCCEEDED", "FAILED", "SUCCEEDED");
        assertThat(context.lines).anyMatch(l -> l.contains("container web exited with code 137 (OutOfMemoryError)"));
    }

    @Test
    void aFailedRolloutWithoutRollbackLeavesTheServiceOnTheNewRevision() throws Exception {
        existingService("nginx:1", 2);
        ecs.script(Rollout.failsAfter(1, "ECS deployment circuit breaker: tasks failed to start."));
        ObjectNode payload = imageDeploy("nginx:broken");
        payload.put("rollbackOnFailure", false);

        TaskFailure failure =
                catchThrowableOfType(TaskFailure.class, () -> handler().run(new Context(payload)));

        assertThat(failure.result().path("outcome").asText()).isEqualTo("FAILED");
        assertThat(failure.getMessage()).contains("circuit breaker").contains("rollbackOnFailure is false");
        assertThat(ecs.accepted("UpdateService")).hasSize(1);
        assertThat(service().taskDefinition()).endsWith(family + ":2");
    }

    @Test
    void aWaitStartedLongAgoTimesOutCountingFromTheFirstAttempt() throws Exception {
        existingService("nginx:1", 2);
        ecs.script(Rollout.neverCompletes());
        ObjectNode payload = imageDeploy("nginx:2");
        payload.put("steadyStateTimeoutSeconds", 30).put("rollbackOnFailure", false);
        Context first = new Context(payload);
        first.crashWhen = c -> step(c, "WAIT_FOR_STEADY_STATE") != null;
        assertThatThrownBy(() -> handler().run(first)).isInstanceOf(Crash.class);
        // The Manager holds the checkpoint of the step's start; the first attempt started waiting 29.5 s ago.
        ObjectNode saved = first.lastCheckpoint().deepCopy();
        ObjectNode wait = JSON.createObjectNode()
                .put("name", "WAIT_FOR_STEADY_STATE")
                .put("state", "RUNNING")
                .put("startedAt", Instant.now().minusMillis(29_500).toString());
        saved.withArray("steps").add(wait);
        Context second = new Context(payload, saved);

        TaskFailure failure =
                catchThrowableOfType(TaskFailure.class, () -> handler().run(second));

        assertThat(failure.getMessage())
                .contains("did not reach a steady state")
                .contains("within 30 s");
        assertThat(failure.result().path("outcome").asText()).isEqualTo("FAILED");
        assertThat(ecs.accepted("UpdateService")).hasSize(1);
    }

    @Test
    void throttledPollsBackOffAndTheDeploymentStillSucceeds() throws Exception {
        existingService("nginx:1", 1);
        System.setProperty("aws.maxAttempts", "1"); // the handler's own back-off, not the SDK's retries
        ecs.script(Rollout.completesAfter(1));
        Context context = new Context(imageDeploy("nginx:2"));
        context.onSave = c -> {
            if (step(c, "WAIT_FOR_STEADY_STATE") != null) {
                ecs.throttle("DescribeServices", 3);
            }
        };

        JsonNode result = handler().run(context);

        assertThat(result.path("outcome").asText()).isEqualTo("SUCCEEDED");
        assertThat(context.lines.stream().filter(l -> l.contains("ecs:DescribeServices was throttled")))
                .hasSize(3)
                .anyMatch(l -> l.contains("asking again in 200 ms"))
                .anyMatch(l -> l.contains("asking again in 800 ms"));
    }

    @Test
    void accessDeniedOnUpdateServiceNamesTheActionAndResourceAndSaysWhatWasDone() throws Exception {
        existingService("nginx:1", 2);
        ecs.deny("UpdateService");
        Context context = new Context(imageDeploy("nginx:2"));

        TaskFailure failure =
                catchThrowableOfType(TaskFailure.class, () -> handler().run(context));

        assertThat(failure.getMessage())
                .contains("ecs:UpdateService on service web in cluster " + cluster)
                .contains("access denied")
                .contains("Done before it: REGISTER_TASK_DEFINITION (registered revision 2 of " + family + ")");
        assertThat(failure.result().path("outcome").asText()).isEqualTo("FAILED");
        assertThat(ecs.accepted("UpdateService")).isEmpty();
        assertThat(step(context.lastCheckpoint(), "UPDATE_SERVICE")
                        .path("state")
                        .asText())
                .isEqualTo("FAILED");
    }

    // ---- resuming and fencing

    @Test
    void anAttemptThatDiedAfterRegisteringReusesThatRevision() throws Exception {
        existingService("nginx:1", 2);
        Context first = new Context(imageDeploy("nginx:2"));
        first.crashWhen = c -> "SUCCEEDED".equals(stateOf(c, "REGISTER_TASK_DEFINITION"));
        assertThatThrownBy(() -> handler().run(first)).isInstanceOf(Crash.class);
        assertThat(ecs.accepted("RegisterTaskDefinition")).hasSize(1);

        JsonNode result = handler().run(new Context(imageDeploy("nginx:2"), first.lastCheckpoint()));

        assertThat(result.path("outcome").asText()).isEqualTo("SUCCEEDED");
        assertThat(result.path("revision").asInt()).isEqualTo(2);
        assertThat(ecs.accepted("RegisterTaskDefinition"))
                .as("no second revision")
                .hasSize(1);
        assertThat(ecs.accepted("UpdateService")).hasSize(1);
    }

    @Test
    void anAttemptThatDiedAfterUpdatingDoesNotUpdateAgainAndWaitsForTheRollout() throws Exception {
        existingService("nginx:1", 2);
        ecs.script(Rollout.completesAfter(2));
        Context first = new Context(imageDeploy("nginx:2"));
        first.crashWhen = c -> "SUCCEEDED".equals(stateOf(c, "UPDATE_SERVICE"));
        assertThatThrownBy(() -> handler().run(first)).isInstanceOf(Crash.class);
        assertThat(step(first.lastCheckpoint(), "UPDATE_SERVICE").path("state").asText())
                .isEqualTo("RUNNING");

        Context second = new Context(imageDeploy("nginx:2"), first.lastCheckpoint());
        JsonNode result = handler().run(second);

        assertThat(result.path("outcome").asText()).isEqualTo("SUCCEEDED");
        assertThat(ecs.accepted("RegisterTaskDefinition")).hasSize(1);
        assertThat(ecs.accepted("UpdateService")).as("no second update").hasSize(1);
        assertThat(second.lines).anyMatch(l -> l.contains("updated by an earlier attempt"));
    }

    @Test
    void aLeaseLostWhenSavingBeforeTheUpdateMakesNoFurtherChange() throws Exception {
        existingService("nginx:1", 2);
        Context context = new Context(imageDeploy("nginx:2"));
        context.leaseLostWhen = c -> step(c, "UPDATE_SERVICE") != null;

        assertThatThrownBy(() -> handler().run(context)).isInstanceOf(InterruptedException.class);

        assertThat(ecs.accepted("RegisterTaskDefinition")).hasSize(1);
        assertThat(ecs.accepted("UpdateService"))
                .as("fenced: no update after the lease was lost")
                .isEmpty();
        assertThat(service().taskDefinition()).endsWith(family + ":1");
    }

    // ---- preview, placeholders, reuse, problems

    @Test
    void aDryRunShowsTheDiffWithSecretsMaskedAndTheProblemsAndChangesNothing() throws Exception {
        existingService("nginx:1", 2);
        ObjectNode payload = definitionDeploy("nginx:${TAG}");
        ObjectNode definition = (ObjectNode) payload.get("taskDefinition");
        definition.putArray("requiresCompatibilities").add("FARGATE");
        definition.put("networkMode", "awsvpc").put("cpu", "256").put("memory", "4096");
        definition.put("executionRoleArn", "arn:aws:iam::123456789012:role/no-such-role");
        payload.put("dryRun", true).put("desiredCount", 4);
        Context context = new Context(payload);

        JsonNode result = handler().run(context);

        assertThat(ecs.mutatingCalls()).as("no mutating call reached moto").isEmpty();
        assertThat(result.path("outcome").asText()).isEqualTo("PREVIEW");
        assertThat(change(result, "containerDefinitions[web].image"))
                .isEqualTo("{\"section\":\"taskDefinition\",\"path\":\"containerDefinitions[web].image\","
                        + "\"before\":\"nginx:1\",\"after\":\"nginx:7\"}");
        assertThat(change(result, "containerDefinitions[web].environment[DB_PASSWORD]"))
                .contains("\"after\":\"****\"");
        assertThat(change(result, "desiredCount")).contains("\"before\":\"2\",\"after\":\"4\"");
        assertThat(result.path("problems").findValuesAsText("code"))
                .containsExactlyInAnyOrder("FARGATE_CPU_MEMORY", "ROLE_MISSING");
        assertThat(result.toString() + context.lines + context.checkpoints).doesNotContain(DB_PASSWORD);
        assertThat(stateOf(context.lastCheckpoint(), "PREPARE")).isEqualTo("SUCCEEDED");
        assertThat(service().taskDefinition()).endsWith(family + ":1");
    }

    @Test
    void placeholdersAreFilledForAwsAndSecretValuesAreMaskedEverywhereElse() throws Exception {
        existingService("nginx:1", 2);
        Context context = new Context(definitionDeploy("nginx:${TAG}"));

        JsonNode result = handler().run(context);

        assertThat(result.path("image").asText()).isEqualTo("nginx:7");
        TaskDefinition registered = direct.describeTaskDefinition(r -> r.taskDefinition(family + ":2"))
                .taskDefinition();
        assertThat(registered.containerDefinitions().get(0).image()).isEqualTo("nginx:7");
        assertThat(registered.containerDefinitions().get(0).environment())
                .anyMatch(e -> e.name().equals("DB_PASSWORD") && e.value().equals(DB_PASSWORD));
        assertThat(result.toString() + context.lines + context.checkpoints).doesNotContain(DB_PASSWORD);
    }

    @Test
    void aDeploymentOfWhatTheServiceAlreadyRunsReusesTheRevisionAndUpdatesNothing() throws Exception {
        existingService("nginx:1", 2);
        Context context = new Context(imageDeploy("nginx:1"));

        JsonNode result = handler().run(context);

        assertThat(result.path("outcome").asText()).isEqualTo("SUCCEEDED");
        assertThat(result.path("revision").asInt()).isEqualTo(1);
        assertThat(ecs.accepted("RegisterTaskDefinition")).isEmpty();
        assertThat(ecs.accepted("UpdateService")).isEmpty();
        assertThat(context.lines).anyMatch(l -> l.contains("is identical; reused it"));
    }

    @Test
    void anUnknownContainerStopsARealDeploymentBeforeAnyChange() throws Exception {
        existingService("nginx:1", 2);
        ObjectNode payload = imageDeploy("nginx:2");
        payload.put("container", "api");

        TaskFailure failure =
                catchThrowableOfType(TaskFailure.class, () -> handler().run(new Context(payload)));

        assertThat(failure.getMessage()).contains("container \"api\" is not in " + family + " (it has web)");
        assertThat(failure.result().path("problems").findValuesAsText("code")).containsExactly("UNKNOWN_CONTAINER");
        assertThat(ecs.mutatingCalls()).isEmpty();
    }

    @Test
    void aPlaceholderWithoutAVariableFailsNamingIt() {
        ObjectNode payload = definitionDeploy("nginx:${MISSING}");
        assertThatThrownBy(() -> handler().run(new Context(payload)))
                .isInstanceOf(TaskFailure.class)
                .hasMessageContaining("\"variables.MISSING\" is missing");
        assertThat(ecs.calls()).isEmpty();
    }

    // ---- helpers

    private EcsDeployHandler handler() {
        return new EcsDeployHandler(POLL);
    }

    /** A service "web" on revision 1 of the family, image {@code image}; returns that revision's ARN. */
    private String existingService(String image, int count) {
        String arn = direct.registerTaskDefinition(r -> r.family(family)
                        .containerDefinitions(ContainerDefinition.builder()
                                .name("web")
                                .image(image)
                                .memory(128)
                                .build()))
                .taskDefinition()
                .taskDefinitionArn();
        direct.createService(
                r -> r.cluster(cluster).serviceName("web").taskDefinition(arn).desiredCount(count));
        return arn;
    }

    /** An Application Auto Scaling target for the service, registered in moto with the AWS CLI. */
    private void scalableTarget(int min, int max) throws Exception {
        ProcessBuilder cli = new ProcessBuilder(
                        "aws",
                        "--endpoint-url",
                        moto.endpoint(),
                        "--region",
                        "us-east-1",
                        "application-autoscaling",
                        "register-scalable-target",
                        "--service-namespace",
                        "ecs",
                        "--scalable-dimension",
                        "ecs:service:DesiredCount",
                        "--resource-id",
                        "service/" + cluster + "/web",
                        "--min-capacity",
                        String.valueOf(min),
                        "--max-capacity",
                        String.valueOf(max))
                .redirectErrorStream(true);
        cli.environment().put("AWS_ACCESS_KEY_ID", KEY);
        cli.environment().put("AWS_SECRET_ACCESS_KEY", SECRET);
        Process process = cli.start();
        String output = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(process.waitFor()).as(output).isZero();
    }

    private Service service() {
        return direct.describeServices(r -> r.cluster(cluster).services("web"))
                .services()
                .get(0);
    }

    private ObjectNode basePayload() {
        ObjectNode payload = JSON.createObjectNode().put("region", "us-east-1");
        payload.putObject("credentials").put("type", "ACCESS_KEY").put("accessKeyId", KEY);
        payload.put("cluster", cluster).put("service", "web").put("deploymentId", "dep-1");
        payload.put("steadyStateTimeoutSeconds", 60);
        return payload;
    }

    private ObjectNode imageDeploy(String image) {
        return basePayload().put("image", image);
    }

    private ObjectNode definitionDeploy(String image) {
        ObjectNode payload = basePayload();
        ObjectNode definition = payload.putObject("taskDefinition").put("family", family);
        ObjectNode container = definition
                .putArray("containerDefinitions")
                .addObject()
                .put("name", "web")
                .put("image", image)
                .put("memory", 128);
        container
                .putArray("environment")
                .add(JSON.createObjectNode().put("name", "DB_PASSWORD").put("value", "${DB_PASSWORD}"));
        payload.putObject("variables").put("TAG", "7").put("DB_PASSWORD", "secret:db-password");
        return payload;
    }

    private static String change(JsonNode result, String path) {
        for (JsonNode change : result.path("changes")) {
            if (change.path("path").asText().equals(path)) {
                return change.toString();
            }
        }
        return "(no change at " + path + " in " + result.path("changes") + ")";
    }

    /** The state of a step in a checkpoint, or null when it has not started. */
    static String stateOf(JsonNode checkpoint, String name) {
        JsonNode step = step(checkpoint, name);
        return step == null ? null : step.path("state").asText();
    }

    static JsonNode step(JsonNode checkpoint, String name) {
        for (JsonNode step : checkpoint.path("steps")) {
            if (step.path("name").asText().equals(name)) {
                return step;
            }
        }
        return null;
    }

    /** Every accepted mutating call came after a checkpoint whose steps show the step that makes it RUNNING. */
    private void assertThatEveryMutationFollowedACheckpointThatAnnouncedIt(Context context) {
        for (FakeEcs.Call call : ecs.mutatingCalls()) {
            String stepName =
                    call.action().equals("RegisterTaskDefinition") ? "REGISTER_TASK_DEFINITION" : "UPDATE_SERVICE";
            assertThat(context.savedAt.stream()
                            .filter(s -> s.at().isBefore(call.at()))
                            .anyMatch(s -> "RUNNING"
                                    .equals(
                                            step(s.state(), stepName) == null
                                                    ? null
                                                    : step(s.state(), stepName)
                                                            .path("state")
                                                            .asText())))
                    .as(call.action() + " was announced in a checkpoint first")
                    .isTrue();
        }
    }

    /** What a dying delegate does: it stops in the middle, its last checkpoint is what the Manager holds. */
    static final class Crash extends RuntimeException {
        Crash() {
            super("the delegate died");
        }
    }

    record Saved(JsonNode state, Instant at) {}

    /** A task context that records its log and checkpoints. */
    static final class Context implements TaskContext {
        final ObjectNode payload;
        final JsonNode checkpoint;
        final List<String> lines = new CopyOnWriteArrayList<>();
        final List<JsonNode> checkpoints = new CopyOnWriteArrayList<>();
        final List<Saved> savedAt = new CopyOnWriteArrayList<>();
        Predicate<JsonNode> crashWhen = c -> false;
        Predicate<JsonNode> leaseLostWhen = c -> false;
        java.util.function.Consumer<JsonNode> onSave = c -> {};

        Context(ObjectNode payload) {
            this(payload, JsonNodeFactory.instance.objectNode());
        }

        Context(ObjectNode payload, JsonNode checkpoint) {
            this.payload = payload;
            this.checkpoint = checkpoint;
        }

        JsonNode lastCheckpoint() {
            return checkpoints.get(checkpoints.size() - 1);
        }

        @Override
        public String taskId() {
            return "task-deploy";
        }

        @Override
        public int attempt() {
            return 1;
        }

        @Override
        public long fencingToken() {
            return 1;
        }

        @Override
        public JsonNode payload() {
            return payload;
        }

        @Override
        public JsonNode secrets() {
            ObjectNode secrets = JsonNodeFactory.instance.objectNode().put("secretAccessKey", SECRET);
            secrets.putObject("variables").put("DB_PASSWORD", DB_PASSWORD);
            return secrets;
        }

        @Override
        public JsonNode checkpoint() {
            return checkpoint.deepCopy();
        }

        @Override
        public void saveCheckpoint(JsonNode state) throws InterruptedException {
            if (leaseLostWhen.test(state)) {
                throw new InterruptedException("the lease was lost");
            }
            if (crashWhen.test(state)) {
                throw new Crash();
            }
            checkpoints.add(state.deepCopy());
            savedAt.add(new Saved(state.deepCopy(), Instant.now()));
            onSave.accept(state);
        }

        @Override
        public Instant deadline() {
            return Instant.now().plusSeconds(600);
        }

        @Override
        public void log(String line) {
            lines.add(line);
        }

        @Override
        public boolean isCancelled() {
            return false;
        }
    }
}
