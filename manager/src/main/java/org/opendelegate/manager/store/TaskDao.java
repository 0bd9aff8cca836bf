package org.opendelegate.manager.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.mapper.reflect.ConstructorMapper;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.jdbi.v3.core.statement.SqlStatement;
import org.jdbi.v3.core.statement.Update;
import org.opendelegate.protocol.ErrorKind;

/**
 * Tasks and their attempts. Every state change is a compare-and-set on the task's state and fencing
 * token, so two Manager replicas (or a sweeper racing a delegate) can never both apply a change.
 */
public final class TaskDao {
    /** The condition of every change that ends a lease: the task still runs under that fencing token. */
    private static final String HELD = "WHERE id = :id AND fencing_token = :f AND state = 'RUNNING'";

    private static final RowMapper<Task> MAPPER = (rs, ctx) -> map(rs);
    /**
     * Reads what the store holds without the request limits: a row written by an older Manager or by hand may
     * nest deeper than a request may, and one such row must not make every read of the queue fail. The
     * dispatcher refuses to hand out what it cannot write (see {@code TaskClaims}).
     */
    private static final ObjectMapper STORED_JSON = new ObjectMapper();

    static {
        STORED_JSON
                .getFactory()
                .setStreamReadConstraints(
                        StreamReadConstraints.builder().maxNestingDepth(10_000).build());
    }

    private static final RowMapper<TaskAttempt> ATTEMPT = ConstructorMapper.of(TaskAttempt.class);

    private final Jdbi jdbi;
    private final Table<Task> tasks;
    private final Table<TaskAttempt> attempts;

    public TaskDao(Jdbi jdbi) {
        this.jdbi = jdbi;
        this.tasks = new Table<>(jdbi, "task", MAPPER);
        this.attempts = new Table<>(jdbi, "task_attempt", ATTEMPT);
    }

    public void insert(Task t) {
        jdbi.useHandle(h -> bindTask(h.createUpdate(INSERT), t).execute());
    }

    /** Stores several new tasks in one transaction, as one batch of the same statement. */
    public void insertAll(List<Task> tasks) {
        if (tasks.isEmpty()) {
            return;
        }
        jdbi.useTransaction(h -> insertIn(h, tasks));
    }

    private static void insertIn(Handle h, List<Task> tasks) {
        PreparedBatch batch = h.prepareBatch(INSERT);
        tasks.forEach(t -> bindTask(batch, t).add());
        batch.execute();
    }

    /**
     * A write of the task table that may share one transaction with other callers' writes ({@link #writeAll}):
     * a new task (queued, or already leased to a waiting delegate), the leases a poll takes, or the outcome changes
     * of a report.
     */
    public sealed interface TaskWrite permits NewTask, NewLeasedTask, Lease, OutcomeChanges {}

    /** A new task, stored as it is (queued). */
    public record NewTask(Task task) implements TaskWrite {}

    /**
     * A new task stored already leased ({@link Task#leasedTo}) with its first attempt opened, started when the task
     * was: the path of a task that finds an idle delegate waiting the moment it is submitted, one insert instead of
     * an insert and a lease.
     */
    public record NewLeasedTask(Task leased, String delegateName) implements TaskWrite {}

    /** Leases of queued tasks to one delegate session, as {@link #claimAll} takes them. */
    public record Lease(
            List<Claim> claims,
            String delegateId,
            String delegateName,
            String sessionId,
            Instant leaseUntil,
            Instant now)
            implements TaskWrite {}

    /**
     * Stores the writes of several callers in one transaction, in their order: new tasks, leases and outcome
     * reports that arrive together cost one commit. Consecutive new tasks go as one batch, and so do consecutive
     * reports; every lease and every outcome change is still its own compare-and-set.
     *
     * @return for each write, in order: {@code Boolean.TRUE} for a new task, the {@code List<Task>} a lease took
     *     (as {@link #claimAll}), or the {@code List<Boolean>} of a report's applied changes (as {@link
     *     #applyReports})
     */
    public List<Object> writeAll(List<TaskWrite> writes) {
        return jdbi.inTransaction(h -> {
            List<Object> results = new java.util.ArrayList<>(writes.size());
            int start = 0;
            while (start < writes.size()) {
                Class<?> kind = writes.get(start).getClass();
                int end = start + 1;
                while (end < writes.size() && writes.get(end).getClass() == kind) {
                    end++;
                }
                List<TaskWrite> run = writes.subList(start, end);
                if (kind == NewTask.class) {
                    insertIn(h, run.stream().map(w -> ((NewTask) w).task()).toList());
                    run.forEach(w -> results.add(true));
                } else if (kind == NewLeasedTask.class) {
                    List<NewLeasedTask> leased =
                            run.stream().map(w -> (NewLeasedTask) w).toList();
                    insertIn(h, leased.stream().map(NewLeasedTask::leased).toList());
                    recordAttempts(
                            h,
                            leased.stream()
                                    .map(n -> new Attempt(
                                            n.leased(),
                                            n.delegateName(),
                                            n.leased().startedAt()))
                                    .toList());
                    run.forEach(w -> results.add(true));
                } else if (kind == Lease.class) {
                    run.forEach(w -> results.add(claimIn(h, (Lease) w)));
                } else {
                    results.addAll(
                            applyIn(h, run.stream().map(w -> (OutcomeChanges) w).toList()));
                }
                start = end;
            }
            return results;
        });
    }

    private static final String INSERT =
            "INSERT INTO task (id, account_id, type, payload, selectors, state, delegate_id, session_id, "
                    + "fencing_token, attempts, max_attempts, timeout_ms, sync_call, idempotency_key, affinity_key, "
                    + "scope, cancel_requested, lease_expires_at, selection_log, created_by, created_at, started_at, "
                    + "secrets, lease_id, source) VALUES (:id, :a, :type, :payload, :selectors, :state, :d, :s, :f, "
                    + ":n, :max, :timeout, :sync, :idem, :affinity, :scope, FALSE, :until, :log, :by, :at, :started, "
                    + ":secrets, :lease, :source)";

    /** Binds a new task's columns to {@link #INSERT}, for one statement or one row of a batch. */
    private static <S extends SqlStatement<S>> S bindTask(S statement, Task t) {
        return statement
                .bind("lease", t.leaseId())
                .bind("source", t.source())
                .bind("d", t.delegateId())
                .bind("s", t.sessionId())
                .bind("f", t.fencingToken())
                .bind("n", t.attempts())
                .bind("until", Rows.timestamp(t.leaseExpiresAt()))
                .bind("log", t.selectionLog())
                .bind("started", Rows.timestamp(t.startedAt()))
                .bind("secrets", t.sealedSecrets())
                .bind("scope", t.scope() == null || t.scope().isEmpty() ? null : Rows.json(t.scope()))
                .bind("id", t.id())
                .bind("a", t.accountId())
                .bind("type", t.type())
                .bind("payload", Rows.json(t.payload()))
                .bind("selectors", Rows.json(t.selectors()))
                .bind("state", t.state().name())
                .bind("max", t.maxAttempts())
                .bind("timeout", t.timeoutMs())
                .bind("sync", t.sync())
                .bind("idem", t.idempotencyKey())
                .bind("affinity", t.affinityKey())
                .bind("by", t.createdBy())
                .bind("at", Rows.timestamp(t.createdAt()));
    }

    public Optional<Task> find(String accountId, String id) {
        return tasks.findInAccount(accountId, "id", id);
    }

    public Optional<Task> findById(String id) {
        return jdbi.withHandle(h -> findById(h, id));
    }

    public Optional<Task> findByIdempotencyKey(String accountId, String key) {
        return tasks.findInAccount(accountId, "idempotency_key", key);
    }

    /**
     * The newest tasks of an account first, optionally filtered.
     *
     * @param sources the sources to list ({@code api}, {@code lookup}, ...); empty for every source
     */
    public List<Task> list(String accountId, TaskState state, String type, Collection<String> sources, int limit) {
        String sql = "SELECT * FROM task WHERE account_id = :a"
                + (state == null ? "" : " AND state = :state")
                + (type == null ? "" : " AND type = :type")
                + (sources.isEmpty() ? "" : " AND source IN (<sources>)")
                + " ORDER BY created_at DESC, id LIMIT :limit";
        return jdbi.withHandle(h -> {
            var query = h.createQuery(sql)
                    .bind("a", accountId)
                    .bind("state", state == null ? null : state.name())
                    .bind("type", type)
                    .bind("limit", limit);
            if (!sources.isEmpty()) {
                query.bindList("sources", List.copyOf(sources));
            }
            return query.map(MAPPER).list();
        });
    }

    static final String QUEUED =
            "SELECT * FROM task WHERE state = 'QUEUED' ORDER BY delegate_id, created_at, id LIMIT :limit";

    /**
     * The oldest queued tasks.
     *
     * <p>The read follows {@code task_state_delegate_idx (state, delegate_id, created_at)}. A queued task has no
     * delegate, so ordering by {@code delegate_id} first changes nothing in the result, and it lets PostgreSQL read
     * the index in order instead of sorting the whole queue.
     */
    public List<Task> queued(int limit) {
        return jdbi.withHandle(
                h -> h.createQuery(QUEUED).bind("limit", limit).map(MAPPER).list());
    }

    /** Running tasks whose lease ran out before {@code now}. */
    public List<Task> expiredLeases(Instant now, int limit) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM task WHERE state = 'RUNNING' "
                        + "AND lease_expires_at < :now ORDER BY lease_expires_at LIMIT :limit")
                .bind("now", Rows.timestamp(now))
                .bind("limit", limit)
                .map(MAPPER)
                .list());
    }

    static final String RUNNING_ON = "SELECT * FROM task WHERE delegate_id = :d AND state = 'RUNNING'";

    /** Tasks leased to a delegate (any session) that are still running. */
    public List<Task> runningOn(String delegateId) {
        return jdbi.withHandle(
                h -> h.createQuery(RUNNING_ON).bind("d", delegateId).map(MAPPER).list());
    }

    /** Running tasks whose cancellation was asked for; the dispatcher tells their delegates. */
    public List<Task> runningWithCancelRequested(int limit) {
        return jdbi.withHandle(h -> h.createQuery(
                        "SELECT * FROM task WHERE state = 'RUNNING' " + "AND cancel_requested = TRUE LIMIT :limit")
                .bind("limit", limit)
                .map(MAPPER)
                .list());
    }

    /**
     * Leases a queued task to a delegate if nobody else did first, and opens its attempt.
     *
     * @return the task as leased, or empty when the task was no longer queued with that fencing token
     */
    public Optional<Task> claim(
            Task queued,
            String delegateId,
            String delegateName,
            String sessionId,
            Instant leaseUntil,
            Instant now,
            String selectionLog) {
        List<Task> leased = claimAll(
                List.of(new Claim(queued, selectionLog)), delegateId, delegateName, sessionId, leaseUntil, now);
        return leased.stream().findFirst();
    }

    /** One task to lease, with the routing decision that chose it. */
    public record Claim(Task queued, String selectionLog) {}

    /**
     * Leases several queued tasks to one delegate session in one transaction (one poll taking many
     * tasks costs one commit). Each lease is still a compare-and-set of its own.
     *
     * @return the tasks as leased; those another replica took first are missing
     */
    public List<Task> claimAll(
            List<Claim> claims,
            String delegateId,
            String delegateName,
            String sessionId,
            Instant leaseUntil,
            Instant now) {
        if (claims.isEmpty()) {
            return List.of();
        }
        return jdbi.inTransaction(
                h -> claimIn(h, new Lease(claims, delegateId, delegateName, sessionId, leaseUntil, now)));
    }

    private static List<Task> claimIn(Handle h, Lease request) {
        if (request.claims().isEmpty()) {
            return List.of();
        }
        Instant now = request.now();
        // Every lease is the same compare-and-set, sent as one batch; each row's count says whether it held.
        PreparedBatch update = h.prepareBatch("UPDATE task SET state = 'RUNNING', delegate_id = :d, "
                + "session_id = :s, fencing_token = fencing_token + 1, attempts = attempts + 1, "
                + "lease_expires_at = :until, started_at = COALESCE(started_at, :now), selection_log = :log, "
                + "lease_id = :lease "
                + "WHERE id = :id AND state = 'QUEUED' AND fencing_token = :f AND cancel_requested = FALSE");
        List<Task> wanted = new java.util.ArrayList<>();
        for (Claim c : request.claims()) {
            Task lease = c.queued()
                    .leasedTo(request.delegateId(), request.sessionId(), request.leaseUntil(), now, c.selectionLog());
            wanted.add(lease);
            update.bind("lease", lease.leaseId())
                    .bind("log", c.selectionLog())
                    .bind("d", request.delegateId())
                    .bind("s", request.sessionId())
                    .bind("until", Rows.timestamp(request.leaseUntil()))
                    .bind("now", Rows.timestamp(now))
                    .bind("id", c.queued().id())
                    .bind("f", c.queued().fencingToken())
                    .add();
        }
        int[] updated = update.execute();
        List<Task> leased = new java.util.ArrayList<>();
        for (int i = 0; i < wanted.size(); i++) {
            if (updated[i] == 1) {
                leased.add(wanted.get(i));
            }
        }
        recordAttempts(
                h,
                leased.stream()
                        .map(t -> new Attempt(t, request.delegateName(), now))
                        .toList());
        return leased;
    }

    /** The attempt a lease opens: the task as leased, by which delegate, when. */
    private record Attempt(Task leased, String delegateName, Instant startedAt) {}

    private static void recordAttempts(Handle h, List<Attempt> attempts) {
        if (attempts.isEmpty()) {
            return;
        }
        PreparedBatch insert = h.prepareBatch("INSERT INTO task_attempt (task_id, attempt, account_id, delegate_id, "
                + "delegate_name, fencing_token, started_at) VALUES (:t, :n, :a, :d, :dn, :f, :now)");
        for (Attempt attempt : attempts) {
            Task t = attempt.leased();
            insert.bind("t", t.id())
                    .bind("n", t.attempts())
                    .bind("a", t.accountId())
                    .bind("d", t.delegateId())
                    .bind("dn", attempt.delegateName())
                    .bind("f", t.fencingToken())
                    .bind("now", Rows.timestamp(attempt.startedAt()))
                    .add();
        }
        insert.execute();
    }

    /** How many tasks of the account each listed delegate runs now; a delegate that runs none is left out. */
    public Map<String, Integer> runningCounts(String accountId, Collection<String> delegateIds) {
        if (delegateIds.isEmpty()) {
            return Map.of();
        }
        Map<String, Integer> counts = new java.util.HashMap<>();
        jdbi.useHandle(h -> h.createQuery("SELECT delegate_id, COUNT(*) AS n FROM task WHERE state = 'RUNNING' "
                        + "AND account_id = :a AND delegate_id IN (<ids>) GROUP BY delegate_id")
                .bind("a", accountId)
                .bindList("ids", List.copyOf(delegateIds))
                .map((rs, ctx) -> counts.put(rs.getString("delegate_id"), rs.getInt("n")))
                .list());
        return counts;
    }

    /** Of the listed tasks, those a delegate holds a running lease on (any session). */
    public List<Task> heldBy(String delegateId, Collection<String> taskIds) {
        if (taskIds.isEmpty()) {
            return List.of();
        }
        return jdbi.withHandle(h -> h.createQuery(
                        "SELECT * FROM task WHERE delegate_id = :d AND state = 'RUNNING' " + "AND id IN (<ids>)")
                .bind("d", delegateId)
                .bindList("ids", List.copyOf(taskIds))
                .map(MAPPER)
                .list());
    }

    /** Moves a delegate's running leases on the listed tasks to its new session. */
    public int transferLeases(String delegateId, String sessionId, Collection<String> taskIds, Instant until) {
        if (taskIds.isEmpty()) {
            return 0;
        }
        return jdbi.withHandle(h -> h.createUpdate("UPDATE task SET session_id = :s, lease_expires_at = :until "
                        + "WHERE delegate_id = :d AND state = 'RUNNING' AND id IN (<ids>)")
                .bind("s", sessionId)
                .bind("until", Rows.timestamp(until))
                .bind("d", delegateId)
                .bindList("ids", List.copyOf(taskIds))
                .execute());
    }

    /** Tasks among the listed ones that reached a terminal state. */
    public List<Task> terminalAmong(Collection<String> taskIds) {
        if (taskIds.isEmpty()) {
            return List.of();
        }
        return jdbi.withHandle(
                h -> h.createQuery("SELECT * FROM task WHERE id IN (<ids>) AND state NOT IN " + TaskState.NOT_ENDED_SQL)
                        .bindList("ids", List.copyOf(taskIds))
                        .map(MAPPER)
                        .list());
    }

    /** Extends the lease held with this fencing token; false when it is not held any more. */
    public boolean renewLease(String taskId, long fencingToken, Instant until) {
        return jdbi.withHandle(h -> h.createUpdate("UPDATE task SET lease_expires_at = :until "
                                + "WHERE id = :id AND fencing_token = :f AND state = 'RUNNING'")
                        .bind("until", Rows.timestamp(until))
                        .bind("id", taskId)
                        .bind("f", fencingToken)
                        .execute())
                == 1;
    }

    /**
     * Extends the lease held with this fencing token and, in the same statement, keeps the handler's checkpoint
     * (JSON text) as the task's latest, with that token; false (and nothing kept) when the lease is not held.
     */
    public boolean renewLeaseWithCheckpoint(String taskId, long fencingToken, Instant until, String checkpoint) {
        return jdbi.withHandle(h -> h.createUpdate("UPDATE task SET lease_expires_at = :until, checkpoint = :c, "
                                + "checkpoint_fencing_token = :f "
                                + "WHERE id = :id AND fencing_token = :f AND state = 'RUNNING'")
                        .bind("until", Rows.timestamp(until))
                        .bind("c", checkpoint)
                        .bind("id", taskId)
                        .bind("f", fencingToken)
                        .execute())
                == 1;
    }

    /** The latest checkpoint an attempt of the task saved (JSON text), or empty when none did. */
    public Optional<String> checkpoint(String taskId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT checkpoint FROM task WHERE id = :id")
                .bind("id", taskId)
                .mapTo(String.class)
                .findOne()
                .filter(java.util.Objects::nonNull));
    }

    /** Gives every running lease at least until {@code until}; returns how many were extended. */
    public int extendRunningLeases(Instant until) {
        return jdbi.withHandle(h -> h.createUpdate("UPDATE task SET lease_expires_at = :until "
                        + "WHERE state = 'RUNNING' AND lease_expires_at < :until")
                .bind("until", Rows.timestamp(until))
                .execute());
    }

    /** Extends the leases a delegate session holds on the listed tasks. */
    public int renewLeases(String delegateId, String sessionId, Collection<String> taskIds, Instant until) {
        if (taskIds.isEmpty()) {
            return 0;
        }
        return jdbi.withHandle(h -> h.createUpdate("UPDATE task SET lease_expires_at = :until WHERE delegate_id = :d "
                        + "AND session_id = :s AND state = 'RUNNING' AND id IN (<ids>)")
                .bind("until", Rows.timestamp(until))
                .bind("d", delegateId)
                .bind("s", sessionId)
                .bindList("ids", List.copyOf(taskIds))
                .execute());
    }

    /**
     * Ends the attempt holding this fencing token and moves the task to a terminal state.
     *
     * @return false when the token is not the current lease (the change was not applied)
     */
    public boolean finish(
            String taskId,
            long fencingToken,
            TaskState state,
            JsonNode result,
            ErrorKind errorKind,
            String errorMessage,
            Instant now,
            String attemptOutcome) {
        OutcomeChange end =
                new OutcomeChange(taskId, fencingToken, false, state, result, errorKind, errorMessage, attemptOutcome);
        return applyOutcomes(List.of(end), now).get(0);
    }

    /**
     * The end of a lease reported by its delegate: either the task ends ({@code requeue} false) or it goes
     * back to the queue for another delegate.
     */
    public record OutcomeChange(
            String taskId,
            long fencingToken,
            boolean requeue,
            TaskState state,
            JsonNode result,
            ErrorKind errorKind,
            String errorMessage,
            String attemptOutcome) {}

    /**
     * Applies several outcomes in one transaction (one commit for a delegate's whole report); each is
     * still a compare-and-set on its fencing token.
     *
     * @return for each change, in order, whether it was applied
     */
    public List<Boolean> applyOutcomes(List<OutcomeChange> changes, Instant now) {
        if (changes.isEmpty()) {
            return List.of();
        }
        return applyReports(List.of(new OutcomeChanges(changes, now))).get(0);
    }

    /** The changes of one outcome report, with the time they are recorded at. */
    public record OutcomeChanges(List<OutcomeChange> changes, Instant at) implements TaskWrite {}

    /**
     * Applies the changes of several reports in one transaction (one commit for reports that arrived
     * together), in order; each is still a compare-and-set on its fencing token.
     *
     * @return for each report, for each of its changes in order, whether it was applied
     */
    public List<List<Boolean>> applyReports(List<OutcomeChanges> reports) {
        return jdbi.inTransaction(h -> applyIn(h, reports));
    }

    private static List<List<Boolean>> applyIn(Handle h, List<OutcomeChanges> reports) {
        List<OutcomeChange> changes = new java.util.ArrayList<>();
        List<Instant> at = new java.util.ArrayList<>();
        for (OutcomeChanges r : reports) {
            changes.addAll(r.changes());
            r.changes().forEach(c -> at.add(r.at()));
        }
        List<Boolean> applied = changes.isEmpty() ? List.of() : apply(h, changes, at);
        List<List<Boolean>> answers = new java.util.ArrayList<>();
        int next = 0;
        for (OutcomeChanges r : reports) {
            answers.add(applied.subList(next, next + r.changes().size()));
            next += r.changes().size();
        }
        return answers;
    }

    /** Tasks by id, any account; for outcome reports, which the caller checks against the account. */
    public Map<String, Task> findByIds(Collection<String> ids) {
        Map<String, Task> found = new java.util.HashMap<>();
        if (ids.isEmpty()) {
            return found;
        }
        jdbi.useHandle(h -> h.createQuery("SELECT * FROM task WHERE id IN (<ids>)")
                .bindList("ids", List.copyOf(ids))
                .map(MAPPER)
                .forEach(t -> found.put(t.id(), t)));
        return found;
    }

    private static final String REQUEUE =
            "UPDATE task SET state = 'QUEUED', delegate_id = NULL, session_id = NULL, lease_expires_at = NULL " + HELD;
    private static final String END = "UPDATE task SET state = :state, result = :result, error_kind = :ek, "
            + "error_message = :em, finished_at = :now, lease_expires_at = NULL " + HELD;

    /**
     * Ends the leases held with the changes' fencing tokens, each task either ending or going back to the
     * queue, and closes their attempts; a change whose token is not the current lease changes nothing. The
     * changes are applied in order: consecutive changes of one kind go as one batch of the same statement.
     *
     * @return for each change, whether it was applied
     */
    private static List<Boolean> apply(Handle h, List<OutcomeChange> changes, List<Instant> at) {
        List<Boolean> applied = new java.util.ArrayList<>(changes.size());
        int start = 0;
        while (start < changes.size()) {
            boolean requeue = changes.get(start).requeue();
            int end = start;
            PreparedBatch batch = h.prepareBatch(requeue ? REQUEUE : END);
            for (; end < changes.size() && changes.get(end).requeue() == requeue; end++) {
                OutcomeChange c = changes.get(end);
                if (!requeue) {
                    batch.bind("state", c.state().name())
                            .bind("result", c.result() == null ? null : Rows.json(c.result()))
                            .bind(
                                    "ek",
                                    c.errorKind() == null ? null : c.errorKind().name())
                            .bind("em", truncate(c.errorMessage()))
                            .bind("now", Rows.timestamp(at.get(end)));
                }
                batch.bind("id", c.taskId()).bind("f", c.fencingToken()).add();
            }
            for (int updated : batch.execute()) {
                applied.add(updated == 1);
            }
            start = end;
        }
        PreparedBatch close = h.prepareBatch("UPDATE task_attempt SET ended_at = :now, outcome = :o, detail = :d "
                + "WHERE task_id = :t AND fencing_token = :f AND outcome IS NULL");
        int closing = 0;
        for (int i = 0; i < changes.size(); i++) {
            if (applied.get(i)) {
                OutcomeChange c = changes.get(i);
                close.bind("now", Rows.timestamp(at.get(i)))
                        .bind("o", c.attemptOutcome())
                        .bind("d", truncate(c.errorMessage()))
                        .bind("t", c.taskId())
                        .bind("f", c.fencingToken())
                        .add();
                closing++;
            }
        }
        if (closing > 0) {
            close.execute();
        }
        return applied;
    }

    /**
     * Ends the attempt holding this fencing token and puts the task back in the queue for another
     * delegate.
     *
     * @return false when the token is not the current lease
     */
    public boolean requeue(String taskId, long fencingToken, Instant now, String attemptOutcome, String detail) {
        OutcomeChange back = new OutcomeChange(taskId, fencingToken, true, null, null, null, detail, attemptOutcome);
        return applyOutcomes(List.of(back), now).get(0);
    }

    /** Moves a queued task to a terminal state (cancelled, timed out, not assigned). */
    public boolean finishQueued(String taskId, TaskState state, ErrorKind errorKind, String errorMessage, Instant now) {
        return finishQueued(taskId, null, state, errorKind, errorMessage, now, null);
    }

    /**
     * The same, also replacing the selection log (null keeps it) in the same step, and, given
     * {@code seenFencingToken}, only while the task is still in the lease generation the caller looked at: a
     * replica whose view is older than a lease another replica gave and ended since changes nothing.
     */
    public boolean finishQueued(
            String taskId,
            Long seenFencingToken,
            TaskState state,
            ErrorKind errorKind,
            String errorMessage,
            Instant now,
            String selectionLog) {
        return jdbi.withHandle(h -> {
                    Update update = h.createUpdate("UPDATE task SET state = :state, error_kind = :ek, "
                                    + "error_message = :em, finished_at = :now, selection_log = COALESCE(:log, selection_log) "
                                    + "WHERE id = :id AND state = 'QUEUED'"
                                    + (seenFencingToken == null ? "" : " AND fencing_token = :f"))
                            .bind("state", state.name())
                            .bind("ek", errorKind == null ? null : errorKind.name())
                            .bind("em", truncate(errorMessage))
                            .bind("now", Rows.timestamp(now))
                            .bind("id", taskId)
                            .bind("log", selectionLog);
                    if (seenFencingToken != null) {
                        update.bind("f", seenFencingToken.longValue());
                    }
                    return update.execute();
                })
                == 1;
    }

    /** Flags a running task for cancellation; false when it is not running. */
    public boolean requestCancel(String taskId) {
        return jdbi.withHandle(h -> h.createUpdate(
                                "UPDATE task SET cancel_requested = TRUE " + "WHERE id = :id AND state = 'RUNNING'")
                        .bind("id", taskId)
                        .execute())
                == 1;
    }

    public void updateSelectionLog(String taskId, String selectionLogJson) {
        jdbi.useHandle(h -> h.createUpdate("UPDATE task SET selection_log = :log WHERE id = :id")
                .bind("log", selectionLogJson)
                .bind("id", taskId)
                .execute());
    }

    /** The outcome recorded for the attempt with this fencing token, if it has ended. */
    public Optional<String> attemptOutcome(String taskId, long fencingToken) {
        return jdbi.withHandle(h -> h.createQuery("SELECT outcome FROM task_attempt "
                        + "WHERE task_id = :t AND fencing_token = :f AND outcome IS NOT NULL")
                .bind("t", taskId)
                .bind("f", fencingToken)
                .mapTo(String.class)
                .findOne());
    }

    public List<TaskAttempt> attempts(String taskId) {
        return attempts.listBy("task_id", taskId, "attempt");
    }

    static final String ENDED_BEFORE = "SELECT id FROM task WHERE account_id = :a AND state = :s "
            + "AND created_at < :cut AND finished_at < :cut "
            + "AND NOT EXISTS (SELECT 1 FROM deployment d WHERE d.task_id = task.id) "
            + "ORDER BY created_at LIMIT :n";

    /**
     * The ids of up to {@code limit} tasks of the account that ended in {@code state} before {@code cutoff}, the
     * oldest first, leaving out a task that ran a deployment (it is kept with the deployment). Read through
     * {@code task_account_state_idx}: a task ended before the cutoff was also created before it.
     */
    public List<String> endedBefore(String accountId, TaskState state, Instant cutoff, int limit) {
        if (!state.isTerminal()) {
            throw new IllegalArgumentException(state + " is not a state a task ends in");
        }
        return jdbi.withHandle(h -> h.createQuery(ENDED_BEFORE)
                .bind("a", accountId)
                .bind("s", state.name())
                .bind("cut", Rows.timestamp(cutoff))
                .bind("n", limit)
                .mapTo(String.class)
                .list());
    }

    /**
     * Deletes up to {@code limit} log lines of the listed tasks, in one transaction; returns how many. Lines go first,
     * in bounded transactions, since a task may have written a great many. Each delete is a range of one task's lines
     * on {@code task_log_task_idx}: a delete whose rows come from a subquery on the same table has H2 run the
     * subquery again for every row it deletes.
     */
    public int deleteLogLines(List<String> taskIds, int limit) {
        return jdbi.inTransaction(h -> {
            int deleted = 0;
            for (String taskId : taskIds) {
                int room = limit - deleted;
                if (room <= 0) {
                    break;
                }
                Optional<Long> last = h.createQuery(
                                "SELECT id FROM task_log WHERE task_id = :t ORDER BY id LIMIT 1 OFFSET :skip")
                        .bind("t", taskId)
                        .bind("skip", room - 1)
                        .mapTo(Long.class)
                        .findOne();
                deleted += last.isPresent()
                        ? h.createUpdate("DELETE FROM task_log WHERE task_id = :t AND id <= :last")
                                .bind("t", taskId)
                                .bind("last", last.get())
                                .execute()
                        : h.createUpdate("DELETE FROM task_log WHERE task_id = :t")
                                .bind("t", taskId)
                                .execute();
            }
            return deleted;
        });
    }

    /**
     * Deletes the listed tasks, if they ended, with their attempts and secret references, in one transaction;
     * returns how many tasks it deleted. Their log lines should be gone already ({@link #deleteLogLines}), so
     * that this transaction stays small.
     */
    public int deleteEnded(List<String> taskIds) {
        if (taskIds.isEmpty()) {
            return 0;
        }
        return jdbi.inTransaction(h -> {
            List<String> ended = h.createQuery(
                            "SELECT id FROM task WHERE id IN (<ids>) AND state NOT IN " + TaskState.NOT_ENDED_SQL)
                    .bindList("ids", taskIds)
                    .mapTo(String.class)
                    .list();
            if (ended.isEmpty()) {
                return 0;
            }
            // None normally: deleteLogLines took them. A line left would make the task's delete fail.
            h.createUpdate("DELETE FROM task_log WHERE task_id IN (<ids>)")
                    .bindList("ids", ended)
                    .execute();
            h.createUpdate("DELETE FROM task_attempt WHERE task_id IN (<ids>)")
                    .bindList("ids", ended)
                    .execute();
            h.createUpdate("DELETE FROM task_secret_ref WHERE task_id IN (<ids>)")
                    .bindList("ids", ended)
                    .execute();
            return h.createUpdate("DELETE FROM task WHERE id IN (<ids>)")
                    .bindList("ids", ended)
                    .execute();
        });
    }

    static final String COUNT_ACTIVE =
            "SELECT state, COUNT(*) AS n FROM task WHERE state IN " + TaskState.NOT_ENDED_SQL + " GROUP BY state";

    /**
     * How many tasks are in each state, across accounts; every state is in the map. A pass over the whole table:
     * 0.4–3 s per two million tasks (bench/task-counts.sh).
     */
    public Map<TaskState, Long> countByState() {
        return count("SELECT state, COUNT(*) AS n FROM task GROUP BY state");
    }

    /**
     * How many tasks are queued and how many running, across accounts; the ended states read 0. Read from the range
     * of those two states in {@code task_state_delegate_idx}, so it costs what is in flight, not the history.
     */
    public Map<TaskState, Long> countActive() {
        return count(COUNT_ACTIVE);
    }

    private Map<TaskState, Long> count(String sql) {
        Map<TaskState, Long> counts = new EnumMap<>(TaskState.class);
        for (TaskState s : TaskState.values()) {
            counts.put(s, 0L);
        }
        jdbi.useHandle(h -> h.createQuery(sql)
                .map((rs, ctx) -> Map.entry(TaskState.valueOf(rs.getString("state")), rs.getLong("n")))
                .forEach(e -> counts.put(e.getKey(), e.getValue())));
        return counts;
    }

    private static Optional<Task> findById(Handle h, String id) {
        return h.createQuery("SELECT * FROM task WHERE id = :id")
                .bind("id", id)
                .map(MAPPER)
                .findOne();
    }

    private static String truncate(String s) {
        return s == null || s.length() <= 4000 ? s : s.substring(0, 3997) + "...";
    }

    private static Task map(ResultSet rs) throws SQLException {
        String errorKind = rs.getString("error_kind");
        return new Task(
                rs.getString("id"),
                rs.getString("account_id"),
                rs.getString("type"),
                json(rs, "payload"),
                Rows.stringList(rs, "selectors"),
                TaskState.valueOf(rs.getString("state")),
                rs.getString("delegate_id"),
                rs.getString("session_id"),
                rs.getLong("fencing_token"),
                rs.getInt("attempts"),
                rs.getInt("max_attempts"),
                rs.getLong("timeout_ms"),
                rs.getBoolean("sync_call"),
                rs.getString("idempotency_key"),
                rs.getString("affinity_key"),
                Rows.stringMap(rs, "scope"),
                rs.getBoolean("cancel_requested"),
                Rows.instant(rs, "lease_expires_at"),
                json(rs, "result"),
                errorKind == null ? null : ErrorKind.valueOf(errorKind),
                rs.getString("error_message"),
                rs.getString("selection_log"),
                rs.getString("created_by"),
                Rows.instant(rs, "created_at"),
                Rows.instant(rs, "started_at"),
                Rows.instant(rs, "finished_at"),
                rs.getString("secrets"),
                rs.getString("lease_id"),
                rs.getString("source"));
    }

    private static JsonNode json(ResultSet rs, String column) throws SQLException {
        String text = rs.getString(column);
        if (text == null) {
            return null;
        }
        try {
            return STORED_JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new SQLException("column " + column + " does not hold JSON", e);
        }
    }
}
