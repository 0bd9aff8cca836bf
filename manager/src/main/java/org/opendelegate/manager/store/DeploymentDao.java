package org.opendelegate.manager.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.Query;

/**
 * Deployments. Every read is scoped to the account. One active deployment per service is the store's to keep: an
 * insert whose service already has an active deployment fails the {@code deployment_active_unique} constraint.
 */
public final class DeploymentDao {
    private final Jdbi jdbi;

    public DeploymentDao(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /**
     * Stores a new deployment; an active one takes its service.
     *
     * @return false when the service already has an active deployment (nothing stored)
     */
    public boolean insert(Deployment d) {
        try {
            jdbi.useHandle(h -> h.createUpdate("INSERT INTO deployment (id, account_id, cloud_provider_id, "
                            + "cloud_provider_name, region, cluster, service, service_key, active_key, state, dry_run, "
                            + "rollback_of, request, task_id, steps, before_state, after_state, result, error, submitted_by, "
                            + "submitted_at, started_at, ended_at) VALUES (:id, :a, :p, :pn, :region, :cluster, :service, "
                            + ":key, :active, :state, :dry, :rb, :request, :task, :steps, :before, :after, :result, :error, "
                            + ":by, :at, :started, :ended)")
                    .bind("id", d.id())
                    .bind("a", d.accountId())
                    .bind("p", d.cloudProviderId())
                    .bind("pn", d.cloudProviderName())
                    .bind("region", d.region())
                    .bind("cluster", d.cluster())
                    .bind("service", d.service())
                    .bind("key", d.serviceKey())
                    .bind("active", d.active() ? d.serviceKey() : null)
                    .bind("state", d.state())
                    .bind("dry", d.dryRun())
                    .bind("rb", d.rollbackOf())
                    .bind("request", d.request())
                    .bind("task", d.taskId())
                    .bind("steps", d.steps())
                    .bind("before", d.before())
                    .bind("after", d.after())
                    .bind("result", d.result())
                    .bind("error", d.error())
                    .bind("by", d.submittedBy())
                    .bind("at", Rows.timestamp(d.submittedAt()))
                    .bind("started", d.startedAt() == null ? null : Rows.timestamp(d.startedAt()))
                    .bind("ended", d.endedAt() == null ? null : Rows.timestamp(d.endedAt()))
                    .execute());
            return true;
        } catch (RuntimeException e) {
            if (Rows.isUniqueViolation(e)) {
                return false;
            }
            throw e;
        }
    }

    /** Names the task that runs a deployment (stored just before it with none). */
    public void attachTask(String id, String taskId) {
        jdbi.useHandle(h -> h.createUpdate("UPDATE deployment SET task_id = :t WHERE id = :id")
                .bind("t", taskId)
                .bind("id", id)
                .execute());
    }

    /** Forgets a deployment whose task could not be submitted (frees its service). */
    public void delete(String id) {
        jdbi.useHandle(h -> h.createUpdate("DELETE FROM deployment WHERE id = :id")
                .bind("id", id)
                .execute());
    }

    public Optional<Deployment> find(String accountId, String id) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM deployment WHERE account_id = :a AND id = :id")
                .bind("a", accountId)
                .bind("id", id)
                .map((rs, ctx) -> map(rs))
                .findOne());
    }

    /** The deployment a task runs, if it runs one. */
    public Optional<Deployment> findByTask(String taskId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM deployment WHERE task_id = :t")
                .bind("t", taskId)
                .map((rs, ctx) -> map(rs))
                .findOne());
    }

    /** The active deployment of a service, if one holds it. */
    public Optional<Deployment> findActive(String accountId, String serviceKey) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM deployment WHERE account_id = :a AND active_key = :k")
                .bind("a", accountId)
                .bind("k", serviceKey)
                .map((rs, ctx) -> map(rs))
                .findOne());
    }

    /**
     * The deployments of an account that have not ended and go through the given cloud provider, oldest first,
     * at most {@code limit}: while they run, the provider must not disappear under them.
     */
    public List<Deployment> activeThrough(String accountId, String providerId, int limit) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM deployment WHERE account_id = :a "
                        + "AND cloud_provider_id = :p AND ended_at IS NULL ORDER BY submitted_at LIMIT :n")
                .bind("a", accountId)
                .bind("p", providerId)
                .bind("n", limit)
                .map((rs, ctx) -> map(rs))
                .list());
    }

    /** Every deployment of every account that has not ended (to follow their tasks after a start). */
    public List<Deployment> active(int limit) {
        return jdbi.withHandle(h -> h.createQuery(
                        "SELECT * FROM deployment WHERE ended_at IS NULL " + "ORDER BY submitted_at LIMIT :n")
                .bind("n", limit)
                .map((rs, ctx) -> map(rs))
                .list());
    }

    /**
     * A page of an account's deployments, newest first (submission time, then id), strictly after the given
     * position when one is given; filters left null match everything.
     */
    public List<Deployment> page(
            String accountId,
            String cluster,
            String service,
            String state,
            Instant afterAt,
            String afterId,
            int limit) {
        StringBuilder sql = new StringBuilder("SELECT * FROM deployment WHERE account_id = :a");
        if (cluster != null) {
            sql.append(" AND cluster = :cluster");
        }
        if (service != null) {
            sql.append(" AND service = :service");
        }
        if (state != null) {
            sql.append(" AND state = :state");
        }
        if (afterAt != null) {
            sql.append(" AND (submitted_at < :at OR (submitted_at = :at AND id < :id))");
        }
        sql.append(" ORDER BY submitted_at DESC, id DESC LIMIT :n");
        return jdbi.withHandle(h -> {
            Query q = h.createQuery(sql.toString()).bind("a", accountId).bind("n", limit);
            if (cluster != null) {
                q.bind("cluster", cluster);
            }
            if (service != null) {
                q.bind("service", service);
            }
            if (state != null) {
                q.bind("state", state);
            }
            if (afterAt != null) {
                q.bind("at", Rows.timestamp(afterAt)).bind("id", afterId);
            }
            return q.map((rs, ctx) -> map(rs)).list();
        });
    }

    /** Keeps what the latest checkpoint told; a deployment still queued becomes RUNNING. */
    public void recordProgress(String id, String steps, String before, String after, Instant at) {
        jdbi.useHandle(h -> h.createUpdate("UPDATE deployment SET steps = :steps, "
                        + "before_state = COALESCE(:before, before_state), after_state = COALESCE(:after, after_state), "
                        + "started_at = COALESCE(started_at, :at), "
                        + "state = CASE WHEN state = 'QUEUED' THEN 'RUNNING' ELSE state END "
                        + "WHERE id = :id AND ended_at IS NULL")
                .bind("steps", steps)
                .bind("before", before)
                .bind("after", after)
                .bind("at", Rows.timestamp(at))
                .bind("id", id)
                .execute());
    }

    /** Ends a deployment and frees its service, once: false when it had already ended. */
    public boolean end(
            String id,
            String state,
            String steps,
            String before,
            String after,
            String result,
            String error,
            Instant at) {
        return jdbi.withHandle(h -> h.createUpdate("UPDATE deployment SET state = :state, active_key = NULL, "
                                + "steps = :steps, before_state = COALESCE(:before, before_state), "
                                + "after_state = COALESCE(:after, after_state), result = :result, error = :error, "
                                + "ended_at = :at WHERE id = :id AND ended_at IS NULL")
                        .bind("state", state)
                        .bind("steps", steps)
                        .bind("before", before)
                        .bind("after", after)
                        .bind("result", result)
                        .bind("error", error)
                        .bind("at", Rows.timestamp(at))
                        .bind("id", id)
                        .execute())
                == 1;
    }

    private static Deployment map(ResultSet rs) throws SQLException {
        return new Deployment(
                rs.getString("id"),
                rs.getString("account_id"),
                rs.getString("cloud_provider_id"),
                rs.getString("cloud_provider_name"),
                rs.getString("region"),
                rs.getString("cluster"),
                rs.getString("service"),
                rs.getString("service_key"),
                rs.getString("active_key") != null,
                rs.getString("state"),
                rs.getBoolean("dry_run"),
                rs.getString("rollback_of"),
                rs.getString("request"),
                rs.getString("task_id"),
                rs.getString("steps"),
                rs.getString("before_state"),
                rs.getString("after_state"),
                rs.getString("result"),
                rs.getString("error"),
                rs.getString("submitted_by"),
                Rows.instant(rs, "submitted_at"),
                Rows.instant(rs, "started_at"),
                Rows.instant(rs, "ended_at"));
    }
}
