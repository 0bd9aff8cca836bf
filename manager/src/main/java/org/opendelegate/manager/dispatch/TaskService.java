package org.opendelegate.manager.dispatch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.opendelegate.manager.config.DispatchConfig;
import org.opendelegate.manager.delegates.KnownDelegates;
import org.opendelegate.manager.delegates.ResolvedDelegate;
import org.opendelegate.manager.delegates.ScopeRules;
import org.opendelegate.manager.delegates.Selectors;
import org.opendelegate.manager.problems.DomainProblem;
import org.opendelegate.manager.problems.FieldRules;
import org.opendelegate.manager.problems.ProblemKind;
import org.opendelegate.manager.secrets.SecretReferences;
import org.opendelegate.manager.security.Principal;
import org.opendelegate.manager.security.SecretBox;
import org.opendelegate.manager.store.AuditDao;
import org.opendelegate.manager.store.Task;
import org.opendelegate.manager.store.TaskAttempt;
import org.opendelegate.manager.store.TaskDao;
import org.opendelegate.manager.store.TaskLogDao;
import org.opendelegate.manager.store.TaskState;
import org.opendelegate.protocol.Problem;
import org.opendelegate.protocol.TaskTypes;

/**
 * What people (and the Manager's own features) do with tasks: submit, look, follow, cancel.
 */
public final class TaskService {
    /** The longest a sync submission may wait; longer work should be submitted async. */
    public static final int MAX_SYNC_SECONDS = 300;

    private static final Pattern TYPE = Pattern.compile("[a-z0-9][a-z0-9._-]{0,99}");

    private final TaskDao tasks;
    private final TaskLogDao logs;
    private final AuditDao audit;
    private final Dispatcher dispatcher;
    private final TaskWaiters waiters;
    private final KnownDelegates directory;
    private final DispatchConfig config;
    private final SecretBox secretBox;
    private final SecretReferences secretReferences;
    private final ScriptAudit scriptAudit;
    private final Clock clock;
    private final TaskIds ids;

    public TaskService(
            TaskDao tasks,
            TaskLogDao logs,
            AuditDao audit,
            Dispatcher dispatcher,
            TaskWaiters waiters,
            KnownDelegates directory,
            DispatchConfig config,
            SecretBox secretBox,
            SecretReferences secretReferences,
            Clock clock) {
        this.tasks = tasks;
        this.logs = logs;
        this.audit = audit;
        this.dispatcher = dispatcher;
        this.waiters = waiters;
        this.directory = directory;
        this.config = config;
        this.secretBox = secretBox;
        this.secretReferences = secretReferences;
        this.scriptAudit = new ScriptAudit(audit, clock);
        this.clock = clock;
        this.ids = new TaskIds(clock);
    }

    /**
     * The outcome of a submission: the task, whether it already existed (idempotent repeat), and for a new task
     * the routing decision made when it was stored (null for an existing one).
     */
    public record Submitted(Task task, boolean existing, SelectionLog log) {
        Submitted(Task existing) {
            this(existing, true, null);
        }
    }

    /** The most tasks one batch submission takes. */
    public static final int MAX_BATCH = 1000;

    /**
     * Submits up to {@link #MAX_BATCH} async tasks stored in one commit, then offered to the delegates asking for
     * work. Every item is checked first, and a wrong item refuses the whole batch, naming it by its index
     * ({@code tasks[3].type}); nothing is stored then. A repeat of an idempotency key answers the first task, as
     * a single submission does.
     *
     * @return one entry per request, in the order given
     */
    public List<Submitted> submitBatch(Principal principal, List<TaskRequest> requests) {
        principal.requireTaskRunner();
        if (requests == null || requests.isEmpty() || requests.size() > MAX_BATCH) {
            throw DomainProblem.invalidField(
                    "tasks",
                    "holds " + (requests == null ? 0 : requests.size()) + " tasks; send 1 to " + MAX_BATCH
                            + " per request.");
        }
        List<Task> checked = new ArrayList<>(requests.size());
        List<Problem.FieldError> errors = new ArrayList<>();
        java.util.Map<String, Integer> keys = new java.util.HashMap<>();
        for (int i = 0; i < requests.size(); i++) {
            TaskRequest r = requests.get(i);
            String at = "tasks[" + i + "]";
            if (r == null) {
                errors.add(new Problem.FieldError(at, "is null; send a task object."));
                continue;
            }
            if (Boolean.TRUE.equals(r.sync())) {
                errors.add(new Problem.FieldError(
                        at + ".sync", "is true; a batch takes async tasks only: submit a sync task on its own."));
            }
            try {
                Task task = validate(principal, r, TaskSource.API);
                Integer first = task.idempotencyKey() == null ? null : keys.putIfAbsent(task.idempotencyKey(), i);
                if (first != null) {
                    errors.add(new Problem.FieldError(
                            at + ".idempotencyKey",
                            "repeats the key of tasks[" + first + "]; give each task of a batch its own key."));
                }
                checked.add(task);
            } catch (DomainProblem e) {
                if (e.kind() != ProblemKind.INVALID) {
                    // Not a wrong field but, say, a payload too large (413): answered as such, naming the item.
                    throw new DomainProblem(e.kind(), e.title(), e.code(), "`" + at + "`: " + e.detail());
                }
                errors.addAll(atIndex(at, e));
            }
        }
        if (!errors.isEmpty()) {
            throw DomainProblem.invalid(errors.size() > 100 ? errors.subList(0, 100) : errors);
        }
        List<Submitted> answers = new ArrayList<>(checked.size());
        List<Task> fresh = new ArrayList<>(checked.size());
        List<SecretReferences.Resolved> secrets = new ArrayList<>(checked.size());
        for (int i = 0; i < checked.size(); i++) {
            Task task = checked.get(i);
            Optional<Task> existing = task.idempotencyKey() == null
                    ? Optional.empty()
                    : tasks.findByIdempotencyKey(principal.accountId(), task.idempotencyKey());
            if (existing.isPresent()) {
                try {
                    answers.add(new Submitted(sameRequest(existing.get(), task)));
                } catch (DomainProblem e) {
                    throw new DomainProblem(e.kind(), e.title(), e.code(), "`tasks[" + i + "]`: " + e.detail());
                }
                continue;
            }
            try {
                secrets.add(secretReferences
                        .resolve(task.accountId(), task.payload())
                        .orElse(null));
            } catch (DomainProblem e) {
                throw DomainProblem.unresolved(e.code(), e.title(), atIndex("tasks[" + i + "]", e));
            }
            fresh.add(task);
            answers.add(null);
        }
        // Every item is right: record where store secrets are used, seal them, and store the new tasks at once.
        for (int i = 0; i < fresh.size(); i++) {
            SecretReferences.Resolved resolved = secrets.get(i);
            if (resolved != null) {
                Task task = fresh.get(i);
                secretReferences.recordUses(task.accountId(), task.id(), resolved, clock.instant());
                fresh.set(
                        i,
                        task.withSealedSecrets(
                                secretBox.seal(resolved.values().toString(), TaskSecrets.context(task.id()))));
            }
        }
        if (!fresh.isEmpty()) {
            dispatcher.submitAll(fresh);
        }
        int next = 0;
        for (int i = 0; i < answers.size(); i++) {
            if (answers.get(i) == null) {
                Task stored = fresh.get(next++);
                scriptAudit.submitted(principal, stored);
                answers.set(i, new Submitted(stored, false, null));
            }
        }
        return answers;
    }

    /** A problem with one item of a batch, its fields named from the batch: {@code tasks[3].type}. */
    private static List<Problem.FieldError> atIndex(String at, DomainProblem e) {
        if (e.errors().isEmpty()) {
            return List.of(new Problem.FieldError(at, e.detail()));
        }
        List<Problem.FieldError> errors = new ArrayList<>(e.errors().size());
        for (Problem.FieldError error : e.errors()) {
            errors.add(new Problem.FieldError(at + "." + error.field(), error.message()));
        }
        return errors;
    }

    /** Submits a task; a repeat with the same idempotency key returns the first one. */
    public Submitted submit(Principal principal, TaskRequest request) {
        principal.requireTaskRunner();
        Task task = validate(principal, request, TaskSource.API);
        if (task.idempotencyKey() != null) {
            Optional<Task> existing = tasks.findByIdempotencyKey(principal.accountId(), task.idempotencyKey());
            if (existing.isPresent()) {
                return new Submitted(sameRequest(existing.get(), task));
            }
        }
        task = withStoreSecrets(task);
        Dispatcher.Dispatched stored;
        try {
            stored = dispatcher.submit(task);
        } catch (RuntimeException e) {
            // Two submissions with one key raced: the loser answers with the winner's task.
            if (task.idempotencyKey() != null) {
                Optional<Task> winner = tasks.findByIdempotencyKey(principal.accountId(), task.idempotencyKey());
                if (winner.isPresent()) {
                    return new Submitted(sameRequest(winner.get(), task));
                }
            }
            throw e;
        }
        scriptAudit.submitted(principal, stored.task());
        return new Submitted(stored.task(), false, stored.log());
    }

    /**
     * Submits a task on behalf of one of the Manager's own features (a cloud provider lookup, say), with secrets
     * that travel sealed: stored encrypted for {@code "task:" + id}, opened only into the delegate's assignment,
     * never in a view, a log or an answer. Not reachable from {@code POST /api/v1/tasks}. The caller has decided
     * whether the principal may cause this work (a viewer may browse a provider's lookups), so no role is
     * required here.
     *
     * @param secrets a JSON object of secrets, or null for none
     * @param source who asked for the work (never {@link TaskSource#API}: that is {@link #submit})
     */
    public Task submitInternal(Principal principal, TaskRequest request, ObjectNode secrets, TaskSource source) {
        Task task = validate(principal, request, source);
        if (secrets != null && !secrets.isEmpty()) {
            task = task.withSealedSecrets(secretBox.seal(secrets.toString(), TaskSecrets.context(task.id())));
        }
        return dispatcher.submit(task).task();
    }

    /**
     * Seals the values of the store secrets the payload's {@code secrets} map references ({@code secret:NAME})
     * into the task, and records where they are used; the payload keeps the references only. An unknown secret
     * refuses the submission before anything is stored.
     */
    private Task withStoreSecrets(Task task) {
        Optional<SecretReferences.Resolved> resolved = secretReferences.resolve(task.accountId(), task.payload());
        if (resolved.isEmpty()) {
            return task;
        }
        secretReferences.recordUses(task.accountId(), task.id(), resolved.get(), clock.instant());
        return task.withSealedSecrets(
                secretBox.seal(resolved.get().values().toString(), TaskSecrets.context(task.id())));
    }

    /** Completes when the task ends, or with the task as it is when the wait runs out. */
    public CompletableFuture<Task> awaitEnd(Task task) {
        Duration wait = Duration.between(clock.instant(), task.deadline()).plusSeconds(2);
        return waiters.await(task.id())
                .completeOnTimeout(null, Math.max(1, wait.toMillis()), TimeUnit.MILLISECONDS)
                .thenApply(ended ->
                        ended != null ? ended : tasks.findById(task.id()).orElse(task));
    }

    public TaskView view(String accountId, String id) {
        return view(find(accountId, id));
    }

    /** The full view: attempts, result, and for a queued task why it is still waiting, as of now. */
    public TaskView view(Task task) {
        List<TaskAttempt> attempts = task.attempts() == 0 ? List.of() : tasks.attempts(task.id());
        TaskView view = TaskView.of(task, delegateName(task.delegateId()), attempts, true)
                .withLogBytesDropped(logs.droppedBytes(task.id()));
        return task.state() == TaskState.QUEUED ? view.waiting(dispatcher.waitingLog(task)) : view;
    }

    /**
     * The view of a task just submitted. A new task is shown from what the submission already knows (its
     * attempt, if a waiting delegate took it, and the routing decision just made) without reading the store or
     * routing it again; an idempotent repeat gets the full view.
     */
    public TaskView view(Submitted submitted) {
        Task task = submitted.task();
        if (submitted.existing() || submitted.log() == null) {
            return view(task);
        }
        if (task.state() == TaskState.QUEUED) {
            return TaskView.of(task, null, List.of(), true)
                    .withLogBytesDropped(0)
                    .waiting(submitted.log());
        }
        String name = delegateName(task.delegateId());
        TaskAttempt attempt = new TaskAttempt(
                task.id(),
                task.attempts(),
                task.delegateId(),
                name,
                task.fencingToken(),
                task.startedAt(),
                null,
                null,
                null);
        // Its history is the decision just made: shown from memory, not read back from the JSON just stored.
        return TaskView.of(task, name, List.of(attempt), List.of(submitted.log()))
                .withLogBytesDropped(0);
    }

    /**
     * The newest tasks, optionally of one state, type and source.
     *
     * @param state a state's name as a person or a program wrote it; blank for every state
     * @param source one source or several, comma-separated ({@code api,lookup}); blank for every source
     */
    public List<TaskView> list(String accountId, String state, String type, String source, int limit) {
        List<TaskView> result = new ArrayList<>();
        for (Task t : tasks.list(accountId, TaskStateNames.parse(state), type, TaskSource.parse(source), limit)) {
            result.add(TaskView.of(t, delegateName(t.delegateId()), null, false));
        }
        return result;
    }

    /** How many tasks each listed delegate of the account runs now, as the store knows it (absent: none). */
    public Map<String, Integer> runningCounts(String accountId, java.util.Collection<String> delegateIds) {
        return tasks.runningCounts(accountId, delegateIds);
    }

    /** Cancels a task: a queued one at once, a running one by telling its delegate. */
    public TaskView cancel(Principal principal, String id) {
        principal.requireTaskRunner();
        Task task = find(principal.accountId(), id);
        Instant now = clock.instant();
        if (task.state() == TaskState.QUEUED
                && tasks.finishQueued(id, TaskState.CANCELLED, null, "Cancelled by " + principal.actor() + ".", now)) {
            dispatcher.requeuedOrEnded(task, false);
        } else if (task.state() == TaskState.RUNNING && tasks.requestCancel(id)) {
            dispatcher.deliverCancel(task.delegateId(), id);
        } else {
            Task fresh = find(principal.accountId(), id);
            if (fresh.state().isTerminal()) {
                throw DomainProblem.conflict(
                        "TASK_ENDED",
                        "Task " + id + " already ended as " + fresh.state() + "; there is nothing to cancel.");
            }
        }
        audit.record(principal.accountId(), now, principal.actor(), "task.cancel-requested", "task", id, null);
        return view(principal.accountId(), id);
    }

    /** At most {@code limit} log lines after a given line id, oldest first. */
    public TaskLogPage log(String accountId, String id, long afterId, int limit) {
        Task task = find(accountId, id);
        return TaskLogPage.of(task, logs.after(id, afterId, limit), afterId, limit);
    }

    /** Every log line after {@code afterId}, page by page, oldest first: for a download of the whole log. */
    public void eachLogPage(String accountId, String id, int pageSize, java.util.function.Consumer<TaskLogPage> page) {
        Task task = find(accountId, id);
        long after = 0;
        while (true) {
            TaskLogPage next = TaskLogPage.of(task, logs.after(id, after, pageSize), after, pageSize);
            if (next.lines().isEmpty()) {
                return;
            }
            page.accept(next);
            after = next.next();
        }
    }

    /** Where log followers on this replica learn that lines were stored. */
    public LogSignals logSignals() {
        return dispatcher.logSignals();
    }

    public Task find(String accountId, String id) {
        return tasks.find(accountId, id).orElseThrow(() -> DomainProblem.notFound("task", id));
    }

    private String delegateName(String delegateId) {
        return delegateId == null
                ? null
                : directory.get(delegateId).map(ResolvedDelegate::name).orElse(null);
    }

    private Task validate(Principal principal, TaskRequest r, TaskSource source) {
        List<Problem.FieldError> errors = new ArrayList<>();
        if (r.type() == null || !TYPE.matcher(r.type()).matches()) {
            errors.add(new Problem.FieldError(
                    "type",
                    "(\"" + r.type() + "\") is required: 1 to 100 lower-case "
                            + "letters, digits, '.', '_' or '-', e.g. \"echo\"."));
        }
        JsonNode payload =
                r.payload() == null || r.payload().isNull() ? JsonNodeFactory.instance.objectNode() : r.payload();
        if (!payload.isObject()) {
            errors.add(new Problem.FieldError("payload", "must be a JSON object."));
        } else {
            checkPayloadSize(payload);
            if (TaskTypes.SHELL_SCRIPT.equals(r.type())) {
                errors.addAll(ShellScriptRules.check(payload));
            }
        }
        boolean sync = Boolean.TRUE.equals(r.sync());
        long timeout = r.timeoutSeconds() == null ? config.defaultTimeout().toSeconds() : r.timeoutSeconds();
        long maxTimeout = sync ? MAX_SYNC_SECONDS : config.maxTimeout().toSeconds();
        if (sync && r.timeoutSeconds() == null) {
            timeout = Math.min(timeout, 60);
        }
        if (timeout < 1 || timeout > maxTimeout) {
            errors.add(new Problem.FieldError(
                    "timeoutSeconds",
                    "is " + timeout + "; use 1 to " + maxTimeout
                            + (sync ? " for a sync task (submit longer work async)." : ".")));
        }
        int maxAttempts = r.maxAttempts() != null ? r.maxAttempts() : defaultMaxAttempts(r.type());
        if (maxAttempts < 1 || maxAttempts > 10) {
            errors.add(new Problem.FieldError("maxAttempts", "is " + maxAttempts + "; use 1 to 10."));
        }
        errors.addAll(new FieldRules()
                .text("idempotencyKey", r.idempotencyKey(), 200)
                .text("affinityKey", r.affinityKey(), 200)
                .map("scope", r.scope())
                .errors());
        List<String> selectors = List.of();
        try {
            selectors = Selectors.validate("selectors", r.selectors());
        } catch (DomainProblem e) {
            errors.addAll(e.errors());
        }
        java.util.Map<String, String> scope = java.util.Map.of();
        try {
            scope = ScopeRules.validateTarget("scope", r.scope());
        } catch (DomainProblem e) {
            errors.addAll(e.errors());
        }
        if (!errors.isEmpty()) {
            throw DomainProblem.invalid(errors);
        }
        Task.Spec spec = new Task.Spec(
                r.type(),
                payload,
                selectors,
                scope,
                blankToNull(r.affinityKey()),
                blankToNull(r.idempotencyKey()),
                maxAttempts,
                timeout * 1000,
                sync,
                source.wire());
        return Task.queued(ids.next(), principal.accountId(), spec, principal.actor(), clock.instant());
    }

    /**
     * A payload that fits the request body limit may still not fit its column: refused as too large (413),
     * naming the field and the limit, before anything is stored.
     */
    private static void checkPayloadSize(JsonNode payload) {
        int length = payload.toString().length();
        if (length > FieldRules.PAYLOAD_COLUMN) {
            throw new DomainProblem(
                    ProblemKind.TOO_LARGE,
                    "Payload too large",
                    "PAYLOAD_TOO_LARGE",
                    "`payload` takes " + length + " characters as JSON; at most " + FieldRules.PAYLOAD_COLUMN
                            + " fit. Pass large inputs by reference (an S3 URL, say) instead of inline.");
        }
    }

    /**
     * One attempt for a script unless the caller asks for more: a script is not known to be idempotent, and a
     * second delegate must not run again what a lost one may have partly run.
     */
    private int defaultMaxAttempts(String type) {
        return TaskTypes.SHELL_SCRIPT.equals(type) ? 1 : config.defaultMaxAttempts();
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    private static Task sameRequest(Task existing, Task repeat) {
        if (!existing.type().equals(repeat.type())
                || !Objects.equals(existing.payload(), repeat.payload())
                || !existing.selectors().equals(repeat.selectors())
                || !existing.scope().equals(repeat.scope())) {
            throw DomainProblem.conflict(
                    "IDEMPOTENCY_KEY_REUSED",
                    "The idempotency key `" + repeat.idempotencyKey()
                            + "` was used for task " + existing.id() + " with a different type, payload or selectors. "
                            + "Use a new key for a new task.");
        }
        return existing;
    }
}
