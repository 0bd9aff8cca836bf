package org.opendelegate.tasks.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.opendelegate.spi.TaskContext;
import org.opendelegate.spi.TaskFailure;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.ClientException;
import software.amazon.awssdk.services.ecs.model.CreateServiceRequest;
import software.amazon.awssdk.services.ecs.model.Deployment;
import software.amazon.awssdk.services.ecs.model.DesiredStatus;
import software.amazon.awssdk.services.ecs.model.RegisterTaskDefinitionRequest;
import software.amazon.awssdk.services.ecs.model.Service;
import software.amazon.awssdk.services.ecs.model.ServiceEvent;
import software.amazon.awssdk.services.ecs.model.Task;
import software.amazon.awssdk.services.ecs.model.TaskDefinition;
import software.amazon.awssdk.services.iam.model.NoSuchEntityException;

/**
 * One run of an {@code aws.ecs.deploy} task: Prepare, Register task definition, Update (or Create) service, Wait
 * for steady state, and Rollback on failure. The state lives in the task's checkpoint, saved before every
 * change to AWS (which also confirms this attempt still holds the lease), so that a later attempt resumes: it
 * never registers a second revision (an identical latest revision is reused) and never repeats an update the
 * service already shows.
 */
final class EcsDeployment {
    static final String PREPARE = "PREPARE";
    static final String REGISTER = "REGISTER_TASK_DEFINITION";
    static final String UPDATE = "UPDATE_SERVICE";
    static final String CREATE = "CREATE_SERVICE";
    static final String WAIT = "WAIT_FOR_STEADY_STATE";
    static final String ROLLBACK = "ROLLBACK";
    private static final int MAX_SEEN_EVENTS = 200;
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private final AwsSession session;
    private final TaskContext context;
    private final DeployRequest request;
    private final Duration pollInterval;
    private final EcsClient ecs;
    private final ObjectNode state;
    private final Set<String> seenEvents = new LinkedHashSet<>();
    private ArrayNode stoppedTasks = JSON.arrayNode();
    private String serviceArn;
    private String ecsDeploymentId;
    private int runningCount;

    EcsDeployment(AwsSession session, DeployRequest request, Duration pollInterval) {
        this.session = session;
        this.context = session.context();
        this.request = request;
        this.pollInterval = pollInterval;
        this.ecs = session.ecs();
        JsonNode saved = context.checkpoint();
        this.state = saved != null && saved.isObject() ? (ObjectNode) saved.deepCopy() : JSON.objectNode();
        state.path("seenEventIds").forEach(id -> seenEvents.add(id.asText()));
    }

    JsonNode run() throws TaskFailure, InterruptedException {
        if (state.path("steps").size() > 0) {
            log("resuming from the checkpoint of an earlier attempt (phase "
                    + state.path("phase").asText() + ", steps " + stepSummary() + ")");
        }
        state.put("phase", state.path("phase").asText("DEPLOYING"));

        // 1. Prepare: what is there, what rollback needs, what would change, and what is wrong.
        ObjectNode prepare = step(PREPARE);
        Service service = describeService();
        if (!state.has("before")) {
            state.set("before", before(service));
        }
        ObjectNode before = (ObjectNode) state.get("before");
        JsonNode base = baseDefinition(before);
        List<ObjectNode> problems = new ArrayList<>();
        ObjectNode target = request.taskDefinitionArn() != null
                ? describeDefinition(request.taskDefinitionArn())
                : targetDefinition(base, problems);
        checkProblems(service, target, problems);
        ObjectNode after = state.withObject("after");
        after.put("image", imageOf(target));
        after.put("desiredCount", wantedCount(before));
        if (!after.has("taskDefinitionArn")) {
            after.putNull("taskDefinitionArn");
            after.putNull("revision");
        }
        if (request.dryRun()) {
            end(prepare, "SUCCEEDED", problems.isEmpty() ? "preview ready" : problems.size() + " problem(s) found");
            save(); // the Manager shows the preview's PREPARE step too; saving changes nothing in AWS
            return preview(base, target, before, problems);
        }
        if (!problems.isEmpty()) {
            String list = problems.stream()
                    .map(p -> p.path("message").asText())
                    .reduce((a, b) -> a + "; " + b)
                    .orElse("");
            end(prepare, "FAILED", list);
            save();
            ObjectNode result = result("FAILED", "the deployment was not started: " + list);
            result.set("problems", request.mask(JSON.arrayNode().addAll(problems)));
            throw TaskFailure.task("the deployment found problems before changing anything: " + request.mask(list))
                    .withResult(result);
        }
        if (!"SUCCEEDED".equals(prepare.path("state").asText())) {
            end(
                    prepare,
                    "SUCCEEDED",
                    "service "
                            + (before.path("serviceExists").asBoolean()
                                    ? "runs " + before.path("taskDefinitionArn").asText() + " with "
                                            + before.path("desiredCount").asInt() + " task(s)"
                                    : "does not exist yet; it will be created"));
            save();
        }

        if (!state.path("phase").asText().equals("ROLLING_BACK")) {
            String targetArn = register(target);
            updateOrCreate(targetArn, before);
            String failure = waitStep(targetArn);
            if (failure == null) {
                save();
                log("deployed " + targetArn + ": " + runningCount + " task(s) running");
                return result("SUCCEEDED", null);
            }
            if (!request.rollbackOnFailure()) {
                save();
                throw fail("FAILED", failure + "; rollbackOnFailure is false, so the service was left as it is");
            }
            if (!before.path("serviceExists").asBoolean()) {
                ObjectNode skipped = step(ROLLBACK);
                end(skipped, "SKIPPED", "the service did not exist before this deployment; nothing to roll back to");
                save();
                throw fail(
                        "FAILED",
                        failure + "; the service was created by this deployment, so there is nothing to"
                                + " roll back to");
            }
            state.put("phase", "ROLLING_BACK");
            state.put("failure", failure);
        }
        return rollBack(before, state.path("failure").asText());
    }

    // ---- steps

    /** Registers the wanted task definition, or reuses the latest revision of the family when it is identical. */
    private String register(ObjectNode target) throws TaskFailure, InterruptedException {
        ObjectNode after = (ObjectNode) state.get("after");
        ObjectNode step = step(REGISTER);
        if (step.path("state").asText().equals("SUCCEEDED") && after.hasNonNull("taskDefinitionArn")) {
            return after.get("taskDefinitionArn").asText();
        }
        if (request.taskDefinitionArn() != null) {
            // An existing revision (a rollback deployment): nothing to register.
            TaskDefinition existing = session.call(
                            "ecs",
                            "DescribeTaskDefinition",
                            () -> ecs.describeTaskDefinition(r -> r.taskDefinition(request.taskDefinitionArn())))
                    .taskDefinition();
            after.put("taskDefinitionArn", existing.taskDefinitionArn());
            after.put("revision", existing.revision());
            end(step, "SKIPPED", "deploys the existing revision " + existing.taskDefinitionArn());
            save();
            return existing.taskDefinitionArn();
        }
        String family = target.path("family").asText();
        TaskDefinition latest = latestRevision(family);
        String arn;
        if (latest != null
                && TaskDefinitionShape.identical(TaskDefinitionShape.registerInput(target), SdkJson.write(latest))) {
            arn = latest.taskDefinitionArn();
            after.put("taskDefinitionArn", arn);
            after.put("revision", latest.revision());
            end(step, "SUCCEEDED", "revision " + latest.revision() + " of " + family + " is identical; reused it");
        } else {
            step.put("registerRequested", true);
            save();
            RegisterTaskDefinitionRequest register = ((RegisterTaskDefinitionRequest.Builder) SdkJson.read(
                            target, RegisterTaskDefinitionRequest.serializableBuilderClass(), "taskDefinition"))
                    .build();
            TaskDefinition registered = mutate(
                            step,
                            "RegisterTaskDefinition",
                            "task definition family " + family,
                            () -> ecs.registerTaskDefinition(register))
                    .taskDefinition();
            arn = registered.taskDefinitionArn();
            after.put("taskDefinitionArn", arn);
            after.put("revision", registered.revision());
            session.record("ecs", "RegisterTaskDefinition", 1, -1, "registered " + arn);
            end(step, "SUCCEEDED", "registered revision " + registered.revision() + " of " + family);
        }
        save();
        return arn;
    }

    /** Points the service at the new revision (and count), or creates it; never twice. */
    private void updateOrCreate(String targetArn, ObjectNode before) throws TaskFailure, InterruptedException {
        boolean exists = before.path("serviceExists").asBoolean();
        String name = exists ? UPDATE : CREATE;
        ObjectNode step = step(name);
        if (step.path("state").asText().equals("SUCCEEDED")) {
            return;
        }
        Integer count = request.desiredCount();
        Service service = describeService();
        if (service != null
                && targetArn.equals(service.taskDefinition())
                && (count == null || count.equals(service.desiredCount()))) {
            serviceArn = service.serviceArn();
            ecsDeploymentId = primary(service) == null ? null : primary(service).id();
            end(
                    step,
                    "SUCCEEDED",
                    "the service already runs " + targetArn
                            + (step.path("requested").asBoolean()
                                    ? " (updated by an earlier attempt)"
                                    : "; nothing to change"));
            save();
            return;
        }
        step.put("requested", true);
        save();
        Service changed;
        if (service != null) {
            changed = mutate(
                            step,
                            "UpdateService",
                            serviceName(),
                            () -> ecs.updateService(r -> {
                                r.cluster(request.cluster())
                                        .service(request.service())
                                        .taskDefinition(targetArn);
                                if (count != null) {
                                    r.desiredCount(count);
                                }
                            }))
                    .service();
            session.record("ecs", "UpdateService", 1, -1, "service " + request.service() + " now on " + targetArn);
        } else {
            CreateServiceRequest.Builder create = SdkJson.read(
                    request.serviceDefinition(), CreateServiceRequest.serializableBuilderClass(), "serviceDefinition");
            create.cluster(request.cluster()).serviceName(request.service()).taskDefinition(targetArn);
            if (count != null) {
                create.desiredCount(count);
            }
            CreateServiceRequest built = create.build();
            changed = mutate(step, "CreateService", serviceName(), () -> ecs.createService(built))
                    .service();
            session.record("ecs", "CreateService", 1, -1, "created service " + changed.serviceArn());
        }
        serviceArn = changed.serviceArn();
        Deployment primary = primary(changed);
        ecsDeploymentId = primary == null ? null : primary.id();
        state.put("ecsDeploymentId", ecsDeploymentId);
        end(
                step,
                "SUCCEEDED",
                (service != null ? "updated" : "created") + " service " + serviceArn
                        + (ecsDeploymentId == null ? "" : ", ECS deployment " + ecsDeploymentId));
        save();
    }

    /** Waits for the new revision to run steady; the failure's description, or null on success. */
    private String waitStep(String targetArn) throws TaskFailure, InterruptedException {
        ObjectNode step = step(WAIT);
        if (step.path("state").asText().equals("SUCCEEDED")) {
            return null;
        }
        save();
        String failure = awaitSteadyState(targetArn, deadline(step));
        end(
                step,
                failure == null ? "SUCCEEDED" : "FAILED",
                failure == null ? "steady: " + runningCount + " running" : failure);
        return failure;
    }

    private JsonNode rollBack(ObjectNode before, String failure) throws TaskFailure, InterruptedException {
        String previous = before.path("taskDefinitionArn").asText();
        int count = before.path("desiredCount").asInt();
        ObjectNode step = step(ROLLBACK);
        save();
        log("rolling back to " + previous + " with " + count + " task(s): " + failure);
        Service service = describeService();
        if (service == null) {
            end(step, "FAILED", "the service no longer exists");
            save();
            throw fail("ROLLBACK_FAILED", failure + "; the rollback failed: the service no longer exists");
        }
        if (!previous.equals(service.taskDefinition()) || service.desiredCount() != count) {
            if (step.path("requested").asBoolean()) {
                log("an earlier attempt asked for the rollback; the service does not show it yet, asking again");
            }
            step.put("requested", true);
            save();
            try {
                Service changed = mutate(
                                step,
                                "UpdateService",
                                serviceName(),
                                () -> ecs.updateService(r -> r.cluster(request.cluster())
                                        .service(request.service())
                                        .taskDefinition(previous)
                                        .desiredCount(count)))
                        .service();
                session.record("ecs", "UpdateService", 1, -1, "service " + request.service() + " back on " + previous);
                ecsDeploymentId =
                        primary(changed) == null ? null : primary(changed).id();
            } catch (TaskFailure e) {
                throw fail("ROLLBACK_FAILED", failure + "; the rollback failed: " + e.getMessage());
            }
        }
        String rollbackFailure = awaitSteadyState(previous, deadline(step));
        if (rollbackFailure != null) {
            end(step, "FAILED", rollbackFailure);
            save();
            throw fail(
                    "ROLLBACK_FAILED", failure + "; the rollback to " + previous + " failed too: " + rollbackFailure);
        }
        end(step, "SUCCEEDED", "back on " + previous + " with " + runningCount + " task(s) running");
        save();
        throw fail("ROLLED_BACK", failure + "; rolled back to " + previous);
    }

    // ---- waiting

    /** Polls DescribeServices until the primary deployment runs {@code targetArn} steady, fails, or time runs out. */
    private String awaitSteadyState(String targetArn, Instant deadline) throws TaskFailure, InterruptedException {
        Duration delay = pollInterval;
        Duration longest = pollInterval.multipliedBy(15).compareTo(Duration.ofSeconds(15)) < 0
                ? pollInterval.multipliedBy(15)
                : Duration.ofSeconds(15);
        String lastProgress = null;
        while (true) {
            if (Instant.now().isAfter(deadline)) {
                return "the service did not reach a steady state on " + targetArn + " within "
                        + request.steadyStateTimeout().toSeconds() + " s (ecs:DescribeServices on " + serviceName()
                        + ")";
            }
            Service service;
            try {
                service = describeServiceOnce();
            } catch (AwsServiceException e) {
                if (!e.isThrottlingException()) {
                    session.<Void>call("ecs", "DescribeServices", () -> {
                        throw e;
                    });
                }
                delay = delay.multipliedBy(2).compareTo(longest) > 0 ? longest : delay.multipliedBy(2);
                log("ecs:DescribeServices was throttled; asking again in " + delay.toMillis() + " ms");
                Thread.sleep(delay.toMillis());
                continue;
            }
            delay = pollInterval;
            if (service == null) {
                return "the service " + serviceName() + " no longer exists";
            }
            serviceArn = service.serviceArn();
            logNewEvents(service);
            Deployment primary = primary(service);
            if (primary != null && targetArn.equals(primary.taskDefinition())) {
                ecsDeploymentId = primary.id();
                runningCount = primary.runningCount();
                String progress = "deployment " + primary.id() + ": " + primary.runningCount() + "/"
                        + primary.desiredCount() + " running"
                        + (primary.rolloutStateAsString() == null ? "" : ", " + primary.rolloutStateAsString());
                if (!progress.equals(lastProgress)) {
                    log(progress);
                    lastProgress = progress;
                }
                if ("FAILED".equals(primary.rolloutStateAsString())) {
                    collectStoppedTasks(targetArn);
                    return "the ECS deployment " + primary.id() + " failed: " + primary.rolloutStateReason()
                            + stoppedSummary();
                }
                if (primary.failedTasks() != null && primary.failedTasks() > 0 && collectStoppedTasks(targetArn)) {
                    return "tasks of " + targetArn + " stopped" + stoppedSummary();
                }
                boolean completed = "COMPLETED".equals(primary.rolloutStateAsString())
                        || (primary.rolloutStateAsString() == null
                                && service.deployments().size() == 1
                                && primary.runningCount().equals(primary.desiredCount()));
                if (completed) {
                    runningCount = primary.runningCount();
                    return null;
                }
            }
            Thread.sleep(pollInterval.toMillis());
        }
    }

    private void logNewEvents(Service service) {
        List<ServiceEvent> events = new ArrayList<>(service.events());
        for (int i = events.size() - 1; i >= 0; i--) {
            ServiceEvent event = events.get(i);
            if (seenEvents.add(event.id())) {
                log("ECS event " + (event.createdAt() == null ? "" : event.createdAt() + " ") + event.message());
            }
        }
        while (seenEvents.size() > MAX_SEEN_EVENTS) {
            seenEvents.remove(seenEvents.iterator().next());
        }
    }

    /** Reads the stopped tasks of the revision; true when some stopped with a reason. */
    private boolean collectStoppedTasks(String targetArn) throws TaskFailure, InterruptedException {
        List<String> arns = session.call(
                "ecs",
                "ListTasks",
                () -> ecs.listTasks(r -> r.cluster(request.cluster())
                                .serviceName(request.service())
                                .desiredStatus(DesiredStatus.STOPPED))
                        .taskArns());
        if (arns.isEmpty()) {
            return false;
        }
        List<Task> tasks = session.call(
                "ecs",
                "DescribeTasks",
                () -> ecs.describeTasks(r ->
                                r.cluster(request.cluster()).tasks(arns.subList(0, Math.min(100, arns.size()))))
                        .tasks());
        ArrayNode found = JSON.arrayNode();
        for (Task task : tasks) {
            if (!targetArn.equals(task.taskDefinitionArn()) || task.stoppedReason() == null) {
                continue;
            }
            ObjectNode stopped = found.addObject()
                    .put("taskArn", task.taskArn())
                    .put("stoppedReason", request.mask(task.stoppedReason()));
            ArrayNode containers = stopped.putArray("containers");
            StringBuilder line = new StringBuilder("stopped task " + task.taskArn() + ": " + task.stoppedReason());
            task.containers().forEach(c -> {
                ObjectNode container = containers.addObject().put("name", c.name());
                if (c.exitCode() != null) {
                    container.put("exitCode", c.exitCode());
                } else {
                    container.putNull("exitCode");
                }
                container.put("reason", request.mask(c.reason()));
                line.append("; container ")
                        .append(c.name())
                        .append(c.exitCode() == null ? "" : " exited with code " + c.exitCode())
                        .append(c.reason() == null ? "" : " (" + c.reason() + ")");
            });
            log(line.toString());
        }
        stoppedTasks = found;
        return found.size() > 0;
    }

    private String stoppedSummary() {
        if (stoppedTasks.isEmpty()) {
            return "";
        }
        StringBuilder s = new StringBuilder("; stopped tasks:");
        for (JsonNode task : stoppedTasks) {
            s.append(' ')
                    .append(Arns.lastPart(task.path("taskArn").asText()))
                    .append(": ")
                    .append(task.path("stoppedReason").asText());
            for (JsonNode c : task.path("containers")) {
                if (c.hasNonNull("exitCode")) {
                    s.append(" (")
                            .append(c.path("name").asText())
                            .append(" exit code ")
                            .append(c.path("exitCode").asInt())
                            .append(')');
                }
            }
        }
        return s.toString();
    }

    // ---- prepare

    private ObjectNode before(Service service) throws TaskFailure, InterruptedException {
        ObjectNode before = JSON.objectNode().put("serviceExists", service != null);
        if (service == null) {
            before.putNull("serviceArn")
                    .putNull("taskDefinitionArn")
                    .putNull("image")
                    .put("desiredCount", 0);
        } else {
            before.put("serviceArn", service.serviceArn())
                    .put("taskDefinitionArn", service.taskDefinition())
                    .put("desiredCount", service.desiredCount());
        }
        before.set(
                "scaling",
                service == null ? JSON.nullNode() : ScalableTargets.of(session, request.cluster(), request.service()));
        return before;
    }

    /** The register input of an existing revision. */
    private ObjectNode describeDefinition(String arn) throws TaskFailure, InterruptedException {
        TaskDefinition described = session.call(
                        "ecs", "DescribeTaskDefinition", () -> ecs.describeTaskDefinition(r -> r.taskDefinition(arn)))
                .taskDefinition();
        return TaskDefinitionShape.registerInput(SdkJson.write(described));
    }

    private JsonNode baseDefinition(ObjectNode before) throws TaskFailure, InterruptedException {
        String arn = before.path("taskDefinitionArn").asText(null);
        if (arn == null) {
            return null;
        }
        ObjectNode json = describeDefinition(arn);
        if (!before.hasNonNull("image")) {
            before.put("image", imageOf(json));
        }
        return json;
    }

    private ObjectNode targetDefinition(JsonNode base, List<ObjectNode> problems) {
        if (request.taskDefinition() != null) {
            return request.taskDefinition().deepCopy();
        }
        if (base == null) {
            problems.add(problem(
                    "SERVICE_MISSING",
                    "an image deployment changes the service's current task definition,"
                            + " but service " + request.service() + " does not exist in cluster " + request.cluster()
                            + "; deploy a full taskDefinition with a serviceDefinition instead"));
            return JSON.objectNode();
        }
        ObjectNode target = ((ObjectNode) base).deepCopy();
        ArrayNode containers = target.withArray("containerDefinitions");
        ObjectNode chosen = null;
        if (request.container() == null && containers.size() != 1) {
            problems.add(problem(
                    "CONTAINER_REQUIRED",
                    "the task definition has " + containers.size()
                            + " containers; name the one to change in \"container\" (" + names(containers) + ")"));
        }
        for (JsonNode c : containers) {
            if (request.container() == null
                    ? containers.size() == 1
                    : request.container().equals(c.path("name").asText())) {
                chosen = (ObjectNode) c;
            }
        }
        if (chosen == null && request.container() != null) {
            problems.add(problem(
                    "UNKNOWN_CONTAINER",
                    "container \"" + request.container() + "\" is not in "
                            + target.path("family").asText() + " (it has " + names(containers) + ")"));
        }
        if (chosen != null) {
            chosen.put("image", request.image());
        }
        return target;
    }

    private void checkProblems(Service service, ObjectNode target, List<ObjectNode> problems)
            throws TaskFailure, InterruptedException {
        if (service == null && request.serviceDefinition() == null && request.taskDefinition() != null) {
            problems.add(problem(
                    "SERVICE_MISSING",
                    "service " + request.service() + " does not exist in cluster " + request.cluster()
                            + "; give a serviceDefinition to create it"));
        }
        if (target.isEmpty()) {
            return;
        }
        if (!target.path("family").isTextual()) {
            problems.add(problem("FAMILY_MISSING", "the task definition needs a \"family\""));
        }
        boolean fargate = false;
        for (JsonNode c : target.path("requiresCompatibilities")) {
            fargate |= c.asText().equals("FARGATE");
        }
        fargate |= service != null && "FARGATE".equals(service.launchTypeAsString());
        if (fargate) {
            String cpu = target.path("cpu").asText(null);
            String memory = target.path("memory").asText(null);
            if (!FargateSizes.valid(cpu, memory)) {
                problems.add(problem(
                        "FARGATE_CPU_MEMORY",
                        "Fargate does not run cpu " + cpu + " with memory " + memory + "; "
                                + FargateSizes.allowed(cpu)));
            }
        }
        for (String field : List.of("taskRoleArn", "executionRoleArn")) {
            String arn = target.path(field).asText(null);
            if (arn != null && roleMissing(arn)) {
                problems.add(problem("ROLE_MISSING", field + " " + arn + " does not exist (iam:GetRole)"));
            }
        }
    }

    /** True when IAM says the role does not exist; false when it exists or AWS cannot tell us. */
    private boolean roleMissing(String arn) throws InterruptedException {
        String name = Arns.lastPart(arn);
        try {
            session.call("iam", "GetRole", () -> session.iam().getRole(r -> r.roleName(name)));
            return false;
        } catch (TaskFailure e) {
            if (e.getCause() instanceof NoSuchEntityException) {
                return true;
            }
            log("cannot check that role " + arn + " exists: " + e.getMessage());
            return false;
        }
    }

    private JsonNode preview(JsonNode base, ObjectNode target, ObjectNode before, List<ObjectNode> problems) {
        ObjectNode result = JSON.objectNode().put("outcome", "PREVIEW");
        ArrayNode changes = result.putArray("changes");
        Map<String, String> was = base == null ? Map.of() : TaskDefinitionShape.flatten(base);
        Map<String, String> will = TaskDefinitionShape.flatten(TaskDefinitionShape.registerInput(target));
        Set<String> paths = new TreeSet<>(was.keySet());
        paths.addAll(will.keySet());
        boolean definitionChanges = false;
        for (String path : paths) {
            String a = was.get(path);
            String b = will.get(path);
            boolean same = a == null
                    ? TaskDefinitionShape.isDefault(path, b)
                    : b == null ? TaskDefinitionShape.isDefault(path, a) : a.equals(b);
            if (!same) {
                change(changes, "taskDefinition", path, a, b);
                definitionChanges = true;
            }
        }
        int count = wantedCount(before);
        if (!before.path("serviceExists").asBoolean()) {
            change(changes, "service", "serviceName", null, request.service());
            if (request.serviceDefinition() != null) {
                Map<String, String> def = TaskDefinitionShape.flatten(request.serviceDefinition());
                def.forEach((path, value) -> {
                    if (!Set.of("cluster", "serviceName", "taskDefinition", "desiredCount")
                            .contains(path)) {
                        change(changes, "service", path, null, value);
                    }
                });
            }
        }
        if (before.path("desiredCount").asInt() != count
                || !before.path("serviceExists").asBoolean()) {
            change(
                    changes,
                    "service",
                    "desiredCount",
                    before.path("serviceExists").asBoolean()
                            ? before.path("desiredCount").asText()
                            : null,
                    String.valueOf(count));
        }
        if (definitionChanges || !before.path("serviceExists").asBoolean()) {
            change(
                    changes,
                    "service",
                    "taskDefinition",
                    before.path("taskDefinitionArn").asText(null),
                    target.path("family").asText() + ":(new or identical latest revision)");
        }
        result.set("problems", JSON.arrayNode().addAll(problems));
        result.set("before", before);
        result.set("after", state.get("after"));
        changes.forEach(c -> log("would change " + c.path("section").asText() + " "
                + c.path("path").asText() + ": " + c.path("before").asText("(none)") + " -> "
                + c.path("after").asText("(none)")));
        problems.forEach(p -> log(
                "problem " + p.path("code").asText() + ": " + p.path("message").asText()));
        return request.mask(result);
    }

    // ---- helpers

    private Service describeService() throws TaskFailure, InterruptedException {
        return session.call("ecs", "DescribeServices", this::describeServiceOnce);
    }

    /** The service, or null when ECS has none by that name (missing, or deleted: INACTIVE). */
    private Service describeServiceOnce() {
        List<Service> services = ecs.describeServices(
                        r -> r.cluster(request.cluster()).services(request.service()))
                .services();
        return services.stream()
                .filter(s -> !"INACTIVE".equals(s.status()))
                .findFirst()
                .orElse(null);
    }

    private TaskDefinition latestRevision(String family) throws TaskFailure, InterruptedException {
        try {
            return session.call(
                            "ecs",
                            "DescribeTaskDefinition",
                            () -> ecs.describeTaskDefinition(r -> r.taskDefinition(family)))
                    .taskDefinition();
        } catch (TaskFailure e) {
            if (e.getCause() instanceof ClientException) {
                return null; // no revision of the family yet
            }
            throw e;
        }
    }

    private static Deployment primary(Service service) {
        return service.deployments().stream()
                .filter(d -> "PRIMARY".equals(d.status()))
                .findFirst()
                .orElse(null);
    }

    /**
     * Runs a call that changes AWS. When it fails, the step is marked FAILED with a note of what was done before
     * it, and the failure names the action and the resource.
     */
    private <T> T mutate(ObjectNode step, String action, String resource, java.util.concurrent.Callable<T> call)
            throws TaskFailure, InterruptedException {
        try {
            return session.call("ecs", action, call);
        } catch (TaskFailure e) {
            String message = "ecs:" + action + " on " + resource + " failed: " + e.getMessage();
            end(step, "FAILED", message);
            try {
                save();
            } catch (TaskFailure | InterruptedException ignored) {
                // the failure below says what happened; the checkpoint is a courtesy here
            }
            String done = doneSoFar();
            ObjectNode result = result("FAILED", message);
            throw rebuild(e, request.mask(message + ". " + done)).withResult(result);
        }
    }

    private static TaskFailure rebuild(TaskFailure original, String message) {
        return original.kind() == org.opendelegate.protocol.ErrorKind.CAPABILITY
                ? TaskFailure.capability(message, original.getCause())
                : TaskFailure.task(message, original.getCause());
    }

    private String doneSoFar() {
        List<String> done = new ArrayList<>();
        for (JsonNode step : state.path("steps")) {
            if (step.path("state").asText().equals("SUCCEEDED")
                    && !step.path("name").asText().equals(PREPARE)) {
                done.add(
                        step.path("name").asText() + " (" + step.path("message").asText() + ")");
            }
        }
        return done.isEmpty() ? "Nothing was changed." : "Done before it: " + String.join("; ", done) + ".";
    }

    private TaskFailure fail(String outcome, String reason) {
        String message = request.mask(reason);
        return TaskFailure.task(message).withResult(result(outcome, message));
    }

    private ObjectNode result(String outcome, String reason) {
        ObjectNode after = (ObjectNode) state.get("after");
        ObjectNode result = JSON.objectNode().put("outcome", outcome);
        String arn = after == null ? null : after.path("taskDefinitionArn").asText(null);
        result.put("taskDefinitionArn", arn);
        if (after != null && after.hasNonNull("revision")) {
            result.put("revision", after.get("revision").asInt());
        } else {
            result.putNull("revision");
        }
        result.put(
                "serviceArn",
                serviceArn != null
                        ? serviceArn
                        : state.path("before").path("serviceArn").asText(null));
        result.put(
                "deploymentId",
                ecsDeploymentId != null
                        ? ecsDeploymentId
                        : state.path("ecsDeploymentId").asText(null));
        result.put("runningCount", runningCount);
        result.put(
                "desiredCount", after == null ? 0 : after.path("desiredCount").asInt());
        result.put("image", after == null ? null : after.path("image").asText(null));
        result.set("before", state.path("before").deepCopy());
        result.set("after", after == null ? JSON.objectNode() : after.deepCopy());
        if (reason != null) {
            result.put("reason", reason);
            result.set("stoppedTasks", stoppedTasks);
        }
        return (ObjectNode) request.mask(result);
    }

    private int wantedCount(ObjectNode before) {
        return request.desiredCount() != null
                ? request.desiredCount()
                : before.path("desiredCount").asInt();
    }

    private String imageOf(JsonNode definition) {
        for (JsonNode c : definition.path("containerDefinitions")) {
            if (request.container() == null
                    || request.container().equals(c.path("name").asText())) {
                return c.path("image").asText(null);
            }
        }
        return null;
    }

    private Instant deadline(ObjectNode step) {
        return Instant.parse(step.path("startedAt").asText()).plus(request.steadyStateTimeout());
    }

    private String serviceName() {
        return "service " + request.service() + " in cluster " + request.cluster();
    }

    /** The step of that name: the one an earlier attempt started (to resume), or a new one, RUNNING. */
    private ObjectNode step(String name) {
        ArrayNode steps = state.withArray("steps");
        for (JsonNode step : steps) {
            if (step.path("name").asText().equals(name)) {
                ObjectNode existing = (ObjectNode) step;
                if (!existing.path("state").asText().equals("SUCCEEDED")) {
                    existing.put("state", "RUNNING").putNull("endedAt").putNull("message");
                }
                return existing;
            }
        }
        log("step " + name);
        return steps.addObject()
                .put("name", name)
                .put("state", "RUNNING")
                .put("startedAt", Instant.now().toString())
                .putNull("endedAt")
                .putNull("message");
    }

    private void end(ObjectNode step, String result, String message) {
        step.put("state", result).put("endedAt", Instant.now().toString()).put("message", request.mask(message));
        log("step " + step.path("name").asText() + " " + result + ": " + message);
    }

    private void save() throws TaskFailure, InterruptedException {
        ArrayNode seen = state.putArray("seenEventIds");
        seenEvents.forEach(seen::add);
        context.saveCheckpoint(request.mask(state));
    }

    private String stepSummary() {
        List<String> steps = new ArrayList<>();
        state.path("steps")
                .forEach(s -> steps.add(
                        s.path("name").asText() + " " + s.path("state").asText()));
        return String.join(", ", steps);
    }

    private void log(String line) {
        context.log(request.mask((request.deploymentId() == null ? "" : "[" + request.deploymentId() + "] ") + line));
    }

    private static ObjectNode problem(String code, String message) {
        return JSON.objectNode().put("code", code).put("message", message);
    }

    private static void change(ArrayNode changes, String section, String path, String before, String after) {
        changes.addObject()
                .put("section", section)
                .put("path", path)
                .put("before", before)
                .put("after", after);
    }

    private static String names(ArrayNode containers) {
        List<String> names = new ArrayList<>();
        containers.forEach(c -> names.add(c.path("name").asText()));
        return String.join(", ", names);
    }
}
