package org.opendelegate.manager.deployments;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.opendelegate.manager.dispatch.TaskService;
import org.opendelegate.manager.dispatch.TaskSource;
import org.opendelegate.manager.problems.DomainProblem;
import org.opendelegate.manager.problems.ProblemKind;
import org.opendelegate.manager.providers.CloudProviders;
import org.opendelegate.manager.providers.ProviderView;
import org.opendelegate.manager.secrets.SecretReferences;
import org.opendelegate.manager.security.Permission;
import org.opendelegate.manager.security.Principal;
import org.opendelegate.manager.security.Secrets;
import org.opendelegate.manager.store.AuditDao;
import org.opendelegate.manager.store.Deployment;
import org.opendelegate.manager.store.DeploymentDao;
import org.opendelegate.manager.store.Task;
import org.opendelegate.manager.store.TaskLogDao;
import org.opendelegate.manager.store.TaskState;
import org.opendelegate.protocol.AwsTaskTypes;
import org.opendelegate.protocol.Problem;
import org.opendelegate.protocol.ProtocolJson;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * ECS deployments through delegates: what people submit, follow, roll back and cancel (the API and the console
 * both come here). A deployment runs as one {@code aws.ecs.deploy} task of its cloud provider; its step
 * timeline comes from the task's checkpoints ({@link DeploymentSteps}) and its end from the task's end. One
 * active deployment per account, provider, region, cluster and service: the store's unique key decides, so two
 * submissions at once cannot both win; the service is free again when the deployment ends, however it ends.
 */
public final class Deployments {
    /** The wait for a steady state when the request sets none. */
    public static final int DEFAULT_STEADY_STATE_TIMEOUT_SECONDS = 600;
    /** A resumable deployment may move to another delegate twice. */
    public static final int MAX_ATTEMPTS = 3;
    /** A list page's size when the request sets none. */
    public static final int DEFAULT_LIMIT = 50;
    /** The most a list page may ask for. */
    public static final int MAX_LIMIT = 500;

    /** The task's time budget beyond two waits for a steady state (the deployment's and a rollback's). */
    static final int EXTRA_SECONDS = 300;

    private static final Logger LOG = LoggerFactory.getLogger(Deployments.class);
    private static final String NO_TASK = "-";
    private static final String CURSOR_VERSION = "p1";

    private final DeploymentDao dao;
    private final TaskService tasks;
    private final TaskLogDao logs;
    private final CloudProviders providers;
    private final SecretReferences secretReferences;
    private final AuditDao audit;
    private final Clock clock;

    public Deployments(
            DeploymentDao dao,
            TaskService tasks,
            TaskLogDao logs,
            CloudProviders providers,
            SecretReferences secretReferences,
            AuditDao audit,
            Clock clock) {
        this.dao = dao;
        this.tasks = tasks;
        this.logs = logs;
        this.providers = providers;
        this.secretReferences = secretReferences;
        this.audit = audit;
        this.clock = clock;
    }

    /**
     * Submits a deployment (or, with {@code dryRun}, a preview). Answers at once, QUEUED.
     *
     * @throws DomainProblem 400 naming the field for bad input, 422 UNKNOWN_SECRET for a {@code secret:} variable
     *     that does not exist, 409 DEPLOYMENT_IN_PROGRESS naming the active deployment of the same service, 403
     *     for a viewer
     */
    public DeploymentView submit(Principal principal, DeploymentRequest request) {
        principal.require(Permission.DEPLOY);
        DeploymentRules.Valid v = DeploymentRules.check(request);
        ProviderView provider = provider(principal.accountId(), v.cloudProviderId());
        Optional<SecretReferences.Resolved> resolved =
                secretReferences.resolve(principal.accountId(), v.variables(), "variables");
        ObjectNode payload = JsonNodeFactory.instance.objectNode();
        payload.put("cluster", v.cluster()).put("service", v.service());
        if (v.taskDefinition() != null) {
            payload.set("taskDefinition", v.taskDefinition());
        } else {
            payload.put("image", v.image());
            if (v.container() != null) {
                payload.put("container", v.container());
            }
        }
        payload.set("variables", v.variables());
        if (v.desiredCount() != null) {
            payload.put("desiredCount", v.desiredCount());
        }
        if (v.serviceDefinition() != null) {
            payload.set("serviceDefinition", v.serviceDefinition());
        }
        payload.put("steadyStateTimeoutSeconds", v.steadyStateTimeoutSeconds())
                .put("rollbackOnFailure", v.rollbackOnFailure())
                .put("dryRun", v.dryRun());
        ObjectNode stored =
                payload.deepCopy().put("cloudProviderId", provider.id()).put("region", v.region());
        Start start = new Start(
                provider, v.region(), v.cluster(), v.clusterName(), v.service(), v.dryRun(), payload, stored, null);
        Deployment d = start(principal, start, resolved);
        audit(principal, "submitted", d.id(), describe(d) + (v.dryRun() ? " dryRun" : "") + " task=" + d.taskId());
        return view(d);
    }

    /** A dry run of the request (its {@code dryRun} is ignored): what would change, changing nothing. */
    public DeploymentView preview(Principal principal, DeploymentRequest r) {
        return submit(
                principal,
                new DeploymentRequest(
                        r.cloudProviderId(),
                        r.region(),
                        r.cluster(),
                        r.service(),
                        r.taskDefinition(),
                        r.image(),
                        r.container(),
                        r.variables(),
                        r.desiredCount(),
                        r.serviceDefinition(),
                        r.steadyStateTimeoutSeconds(),
                        r.rollbackOnFailure(),
                        true));
    }

    /**
     * The account's deployments, newest first, a page at a time.
     *
     * @param limit 1 to {@link #MAX_LIMIT}; null for {@link #DEFAULT_LIMIT}
     * @param cursor the {@code nextCursor} of the previous page, or null for the first
     */
    public DeploymentList list(String accountId, DeploymentFilter filter, Integer limit, String cursor) {
        int size = limit == null ? DEFAULT_LIMIT : limit;
        if (size < 1 || size > MAX_LIMIT) {
            throw DomainProblem.invalidField("limit", "is " + size + "; use 1 to " + MAX_LIMIT + ".");
        }
        DeploymentFilter f = filter == null ? DeploymentFilter.all() : filter;
        DeploymentState state = DeploymentState.parse(f.state());
        Instant afterAt = null;
        String afterId = null;
        if (cursor != null && !cursor.isBlank()) {
            String[] position = decode(cursor);
            afterAt = Instant.parse(position[1]);
            afterId = position[2];
        }
        List<Deployment> rows = dao.page(
                accountId,
                blankToNull(f.cluster()),
                blankToNull(f.service()),
                state == null ? null : state.name(),
                afterAt,
                afterId,
                size + 1);
        List<DeploymentView> page = new ArrayList<>();
        for (Deployment d : rows.subList(0, Math.min(size, rows.size()))) {
            page.add(view(settle(d)));
        }
        String next = null;
        if (rows.size() > size) {
            Deployment last = rows.get(size - 1);
            next = encode(last);
        }
        return new DeploymentList(page, size, next);
    }

    /** One deployment with its steps, diff and result; 404 when the account has no such deployment. */
    public DeploymentView get(String accountId, String id) {
        return view(settle(find(accountId, id)));
    }

    /** Completes with the deployment once it ended (a preview's diff, say), or as it is when its time ran out. */
    public CompletableFuture<DeploymentView> awaitEnd(String accountId, String id) {
        Deployment d = settle(find(accountId, id));
        if (d.endedAt() != null || NO_TASK.equals(d.taskId())) {
            return CompletableFuture.completedFuture(view(d));
        }
        Task task = tasks.find(accountId, d.taskId());
        return tasks.awaitEnd(task).thenApply(ended -> get(accountId, id));
    }

    /**
     * Deploys again the task definition (and count) that was live before the given deployment, as a new
     * deployment with {@code rollbackOf} set; 409 NOTHING_TO_ROLL_BACK when that deployment recorded none.
     */
    public DeploymentView rollback(Principal principal, String id) {
        principal.require(Permission.DEPLOY);
        Deployment of = settle(find(principal.accountId(), id));
        JsonNode before = json(of.before());
        String arn = before == null ? null : before.path("taskDefinitionArn").asText(null);
        if (of.dryRun()
                || arn == null
                || arn.isBlank()
                || !before.path("serviceExists").asBoolean(true)) {
            throw DomainProblem.conflict(
                    "NOTHING_TO_ROLL_BACK",
                    "Deployment " + id + " recorded no task definition that was live before it"
                            + (of.dryRun() ? " (it is a dry run, which changes nothing)" : "")
                            + "; there is nothing to roll back to. Deploy the revision you want instead.");
        }
        JsonNode request = json(of.request());
        ProviderView provider = provider(principal.accountId(), of.cloudProviderId());
        int timeout = request == null
                ? DEFAULT_STEADY_STATE_TIMEOUT_SECONDS
                : request.path("steadyStateTimeoutSeconds").asInt(DEFAULT_STEADY_STATE_TIMEOUT_SECONDS);
        ObjectNode payload = JsonNodeFactory.instance.objectNode();
        payload.put("cluster", of.cluster()).put("service", of.service()).put("taskDefinitionArn", arn);
        if (before.path("desiredCount").isInt()) {
            payload.put("desiredCount", before.path("desiredCount").asInt());
        }
        payload.put("steadyStateTimeoutSeconds", timeout)
                .put("rollbackOnFailure", true)
                .put("dryRun", false);
        ObjectNode stored = payload.deepCopy()
                .put("cloudProviderId", provider.id())
                .put("region", of.region())
                .put("rollbackOf", of.id());
        String clusterName = of.serviceKey().split("\n", -1)[2];
        Start start = new Start(
                provider, of.region(), of.cluster(), clusterName, of.service(), false, payload, stored, of.id());
        Deployment d = start(principal, start, Optional.empty());
        audit(principal, "rolled-back", of.id(), "as=" + d.id() + " to=" + arn + " task=" + d.taskId());
        return view(d);
    }

    /** Cancels an active deployment (its task); 409 DEPLOYMENT_ENDED when it already ended. */
    public DeploymentView cancel(Principal principal, String id) {
        principal.require(Permission.DEPLOY);
        Deployment d = settle(find(principal.accountId(), id));
        if (d.endedAt() != null) {
            throw ended(d);
        }
        try {
            tasks.cancel(principal, d.taskId());
        } catch (DomainProblem e) {
            if ("TASK_ENDED".equals(e.code())) {
                throw ended(settle(d));
            }
            throw e;
        }
        audit(principal, "cancelled", id, "task=" + d.taskId());
        return get(principal.accountId(), id);
    }

    /** Follows the tasks of the deployments that have not ended (after a start), so that they end with them. */
    public void followUnended() {
        for (Deployment d : dao.active(10_000)) {
            Deployment now = settle(d);
            if (now.endedAt() == null) {
                follow(now);
            }
        }
    }

    private record Start(
            ProviderView provider,
            String region,
            String cluster,
            String clusterName,
            String service,
            boolean dryRun,
            ObjectNode payload,
            ObjectNode request,
            String rollbackOf) {}

    /**
     * Stores the deployment, taking its service unless it is a dry run, then submits its task. Two submissions for
     * one service at once: the store's unique key lets one in; the other answers 409 naming it.
     */
    private Deployment start(Principal principal, Start s, Optional<SecretReferences.Resolved> resolved) {
        String id = Secrets.newId();
        Instant now = clock.instant();
        String key = s.provider().id() + "\n" + s.region() + "\n" + s.clusterName() + "\n" + s.service();
        s.payload().put("deploymentId", id);
        Deployment d = new Deployment(
                id,
                principal.accountId(),
                s.provider().id(),
                s.provider().name(),
                s.region(),
                s.cluster(),
                s.service(),
                key,
                !s.dryRun(),
                DeploymentState.QUEUED.name(),
                s.dryRun(),
                s.rollbackOf(),
                s.request().toString(),
                NO_TASK,
                "[]",
                null,
                null,
                null,
                null,
                principal.actor(),
                now,
                null,
                null);
        if (!dao.insert(d)) {
            Optional<Deployment> holder =
                    dao.findActive(principal.accountId(), key).map(this::settle);
            if (holder.isPresent() && holder.get().endedAt() == null) {
                throw inProgress(holder.get());
            }
            // The holder ended just now: one more try, which may meet a newer holder.
            if (!dao.insert(d)) {
                throw inProgress(dao.findActive(principal.accountId(), key).orElse(d));
            }
        }
        Task task;
        try {
            ObjectNode secrets = null;
            if (resolved.isPresent()) {
                secrets = JsonNodeFactory.instance.objectNode();
                secrets.set("variables", resolved.get().values());
            }
            int steady = s.payload().path("steadyStateTimeoutSeconds").asInt(DEFAULT_STEADY_STATE_TIMEOUT_SECONDS);
            task = providers.submitTask(
                    principal,
                    s.provider().id(),
                    AwsTaskTypes.ECS_DEPLOY,
                    s.region(),
                    s.payload(),
                    2 * steady + EXTRA_SECONDS,
                    MAX_ATTEMPTS,
                    secrets,
                    TaskSource.DEPLOYMENT);
        } catch (DomainProblem e) {
            dao.delete(id);
            throw renamed(e);
        } catch (RuntimeException e) {
            dao.delete(id);
            throw e;
        }
        dao.attachTask(id, task.id());
        resolved.ifPresent(r -> secretReferences.recordUses(principal.accountId(), task.id(), r, now));
        Deployment stored = find(principal.accountId(), id);
        follow(stored);
        return stored;
    }

    /** When the deployment's task ends, the deployment ends with it (and frees its service). */
    private void follow(Deployment d) {
        if (NO_TASK.equals(d.taskId())) {
            return;
        }
        Optional<Task> task = taskOf(d);
        if (task.isEmpty()) {
            return;
        }
        var unused = tasks.awaitEnd(task.get()).whenComplete((t, e) -> {
            try {
                Deployment now = settle(d);
                if (now.endedAt() == null && t != null && !t.state().isTerminal()) {
                    follow(now);
                }
            } catch (RuntimeException ex) {
                LOG.warn("Deployment {}: could not apply the end of task {}: {}", d.id(), d.taskId(), ex.toString());
            }
        });
    }

    /**
     * The deployment as it is once its task's end (if it ended) is applied: the end state from the result's
     * {@code outcome}, the timeline closed, the service freed. Applied once; a repeat changes nothing.
     */
    private Deployment settle(Deployment d) {
        if (d.endedAt() != null) {
            return d;
        }
        Optional<Task> found = taskOf(d);
        Instant now = clock.instant();
        if (found.isEmpty()) {
            if (NO_TASK.equals(d.taskId())
                    && Duration.between(d.submittedAt(), now).toMinutes() < 5) {
                return d; // being submitted right now
            }
            dao.end(
                    d.id(),
                    DeploymentState.FAILED.name(),
                    d.steps(),
                    null,
                    null,
                    null,
                    "The deployment's task was never stored; nothing was deployed.",
                    now);
            return dao.find(d.accountId(), d.id()).orElse(d);
        }
        Task task = found.get();
        if (!task.state().isTerminal()) {
            return d;
        }
        DeploymentState state = endState(d, task);
        JsonNode result = task.result();
        String error = state == DeploymentState.SUCCEEDED || state == DeploymentState.PREVIEWED ? null : error(task);
        List<DeploymentStep> steps = DeploymentTimeline.close(
                DeploymentTimeline.read(d.steps()),
                state == DeploymentState.SUCCEEDED || state == DeploymentState.PREVIEWED,
                error,
                logs.lastId(task.id()),
                now);
        boolean changed = dao.end(
                d.id(),
                state.name(),
                DeploymentTimeline.write(steps),
                result == null ? null : object(result.get("before")),
                result == null ? null : object(result.get("after")),
                result == null || result.isNull() ? null : result.toString(),
                error == null ? null : limit(error, 4000),
                now);
        if (changed) {
            audit.record(
                    d.accountId(),
                    now,
                    "manager",
                    "deployment.ended",
                    "deployment",
                    d.id(),
                    "state=" + state.name() + " task=" + task.id() + " " + describe(d));
        }
        return dao.find(d.accountId(), d.id()).orElse(d);
    }

    static DeploymentState endState(Deployment d, Task task) {
        String outcome =
                task.result() == null ? "" : task.result().path("outcome").asText("");
        return switch (task.state()) {
            case SUCCEEDED ->
                d.dryRun() || "PREVIEW".equals(outcome) ? DeploymentState.PREVIEWED : DeploymentState.SUCCEEDED;
            case CANCELLED -> DeploymentState.CANCELLED;
            default ->
                "ROLLED_BACK".equals(outcome)
                        ? DeploymentState.ROLLED_BACK
                        : "ROLLBACK_FAILED".equals(outcome) ? DeploymentState.ROLLBACK_FAILED : DeploymentState.FAILED;
        };
    }

    private static String error(Task task) {
        String message = task.errorMessage() == null ? "" : task.errorMessage();
        return switch (task.state()) {
            case TIMED_OUT -> "The deployment ran out of time. " + message;
            case CANCELLED -> "Cancelled. " + message;
            case NOT_ASSIGNED -> "No delegate took the deployment in time. " + message;
            default -> message.isBlank() ? "The deployment's task ended as " + task.state() + "." : message;
        };
    }

    private Optional<Task> taskOf(Deployment d) {
        if (NO_TASK.equals(d.taskId())) {
            return Optional.empty();
        }
        try {
            return Optional.of(tasks.find(d.accountId(), d.taskId()));
        } catch (DomainProblem e) {
            return Optional.empty();
        }
    }

    private DeploymentView view(Deployment d) {
        DeploymentState state = DeploymentState.valueOf(d.state());
        Instant startedAt = d.startedAt();
        if (state == DeploymentState.QUEUED) {
            Optional<Task> task = taskOf(d);
            if (task.isPresent() && task.get().state() == TaskState.RUNNING) {
                state = DeploymentState.RUNNING;
                startedAt = task.get().startedAt();
            }
        }
        JsonNode result = json(d.result());
        Instant end = d.endedAt() != null ? d.endedAt() : clock.instant();
        return new DeploymentView(
                d.id(),
                d.cloudProviderId(),
                d.cloudProviderName(),
                d.region(),
                d.cluster(),
                d.service(),
                state,
                d.dryRun(),
                d.rollbackOf(),
                d.submittedBy(),
                d.submittedAt(),
                startedAt,
                d.endedAt(),
                Math.max(0, Duration.between(d.submittedAt(), end).toMillis()),
                revision(json(d.before())),
                revision(json(d.after())),
                DeploymentTimeline.read(d.steps()),
                changes(result),
                problems(result),
                json(d.request()),
                result,
                d.error(),
                NO_TASK.equals(d.taskId()) ? null : d.taskId());
    }

    private static Revision revision(JsonNode state) {
        if (state == null) {
            return null;
        }
        String arn = state.path("taskDefinitionArn").asText(null);
        Integer revision =
                state.path("revision").isInt() ? state.path("revision").asInt() : null;
        if (revision == null && arn != null) {
            int colon = arn.lastIndexOf(':');
            try {
                revision = colon < 0 ? null : Integer.valueOf(arn.substring(colon + 1));
            } catch (NumberFormatException e) {
                revision = null;
            }
        }
        return new Revision(
                arn,
                revision,
                state.path("image").asText(null),
                state.path("desiredCount").isInt() ? state.path("desiredCount").asInt() : null);
    }

    private static List<DiffChange> changes(JsonNode result) {
        List<DiffChange> changes = new ArrayList<>();
        if (result != null) {
            for (JsonNode c : result.path("changes")) {
                changes.add(new DiffChange(
                        c.path("section").asText(null),
                        c.path("path").asText(null),
                        c.path("before").isNull() || c.path("before").isMissingNode()
                                ? null
                                : c.path("before").asText(),
                        c.path("after").isNull() || c.path("after").isMissingNode()
                                ? null
                                : c.path("after").asText()));
            }
        }
        return changes;
    }

    private static List<DeploymentProblem> problems(JsonNode result) {
        List<DeploymentProblem> problems = new ArrayList<>();
        if (result != null) {
            for (JsonNode p : result.path("problems")) {
                problems.add(new DeploymentProblem(
                        p.path("code").asText(null), p.path("message").asText(null)));
            }
        }
        return problems;
    }

    private Deployment find(String accountId, String id) {
        return dao.find(accountId, id).orElseThrow(() -> DomainProblem.notFound("deployment", id));
    }

    private ProviderView provider(String accountId, String id) {
        try {
            return providers.get(accountId, id);
        } catch (DomainProblem e) {
            if (e.kind() == ProblemKind.NOT_FOUND) {
                throw DomainProblem.invalidField(
                        "cloudProviderId",
                        "(\"" + id + "\") names no cloud provider of this account; see GET /api/v1/cloud-providers.");
            }
            throw e;
        }
    }

    private static DomainProblem inProgress(Deployment holder) {
        return DomainProblem.conflict(
                        "DEPLOYMENT_IN_PROGRESS",
                        "Deployment " + holder.id() + " of service `" + holder.service() + "` on cluster `"
                                + holder.cluster() + "` (" + holder.region() + ") is "
                                + holder.state().toLowerCase(Locale.ROOT)
                                + "; one deployment per service runs at a time. Wait "
                                + "for it to end, or cancel it (POST /api/v1/deployments/" + holder.id() + "/cancel).")
                .with(Map.of("deploymentId", holder.id()));
    }

    private static DomainProblem ended(Deployment d) {
        return DomainProblem.conflict(
                "DEPLOYMENT_ENDED",
                "Deployment " + d.id() + " already ended as " + d.state() + "; there is nothing to cancel.");
    }

    /** A refusal of the task's own rules, said in the deployment's terms (its time budget follows the wait). */
    private static DomainProblem renamed(DomainProblem e) {
        if (e.kind() != ProblemKind.INVALID) {
            return e;
        }
        List<Problem.FieldError> errors = new ArrayList<>();
        for (Problem.FieldError f : e.errors()) {
            errors.add(
                    "timeoutSeconds".equals(f.field())
                            ? new Problem.FieldError(
                                    "steadyStateTimeoutSeconds",
                                    "makes the deployment's time budget (twice the wait plus " + EXTRA_SECONDS
                                            + " s) too long" + " for this Manager: the task " + f.message())
                            : f);
        }
        return errors.isEmpty() ? e : DomainProblem.invalid(errors);
    }

    private static String encode(Deployment last) {
        String plain = CURSOR_VERSION + "\n" + last.submittedAt() + "\n" + last.id();
        return Base64.getUrlEncoder().withoutPadding().encodeToString(plain.getBytes(StandardCharsets.UTF_8));
    }

    private static String[] decode(String token) {
        DomainProblem refused = DomainProblem.invalidField(
                "cursor",
                "is not a cursor this Manager gave; send the `nextCursor` of the previous answer unchanged, or leave"
                        + " it out to start at the first page.");
        if (token.length() > 500) {
            throw refused;
        }
        try {
            String[] parts = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8).split("\n", -1);
            if (parts.length != 3 || !parts[0].equals(CURSOR_VERSION)) {
                throw refused;
            }
            Instant.parse(parts[1]);
            return parts;
        } catch (IllegalArgumentException | DateTimeParseException e) {
            throw refused;
        }
    }

    private void audit(Principal principal, String action, String id, String detail) {
        audit.record(
                principal.accountId(),
                clock.instant(),
                principal.actor(),
                "deployment." + action,
                "deployment",
                id,
                detail);
    }

    private static String describe(Deployment d) {
        return "provider=" + d.cloudProviderName() + " region=" + d.region() + " cluster=" + d.cluster() + " service="
                + d.service();
    }

    private static JsonNode json(String text) {
        if (text == null) {
            return null;
        }
        try {
            return ProtocolJson.mapper().readTree(text);
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    private static String object(JsonNode node) {
        return node instanceof ObjectNode ? node.toString() : null;
    }

    private static String limit(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 3) + "...";
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
