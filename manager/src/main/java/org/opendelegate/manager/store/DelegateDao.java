package org.opendelegate.manager.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.jdbi.v3.core.statement.SqlStatement;
import org.opendelegate.protocol.DelegateType;
import org.opendelegate.protocol.EcsIdentity;
import org.opendelegate.protocol.IdentityKind;

/** Delegates. */
public final class DelegateDao {
    private static final String COLUMNS = "id, account_id, group_id, name, hostname, ip, type, launch_type, "
            + "identity_kind, version, profile_name, selectors, task_types, capacity, ecs_task_arn, ecs_cluster, "
            + "ecs_container_id, ecs_container_name, ecs_network_mode, ecs_availability_zone, ecs_family, "
            + "ecs_revision, token_id, instance_id, session_id, first_registered_at, disconnected_at, disconnect_reason";
    private static final String VALUES = ":id, :account_id, :group_id, :name, :hostname, :ip, :type, :launch_type, "
            + ":identity_kind, :version, :profile_name, :selectors, :task_types, :capacity, :ecs_task_arn, "
            + ":ecs_cluster, :ecs_container_id, :ecs_container_name, :ecs_network_mode, :ecs_availability_zone, "
            + ":ecs_family, :ecs_revision, :token_id, :instance_id, :session_id, :first_registered_at, "
            + ":disconnected_at, :disconnect_reason";

    /**
     * A delegate ({@code d}) with its liveness ({@code l}), for a FROM clause. Liveness has a narrow table of its own ({@code delegate_liveness}, one row per
     * delegate, made with it, deleted with it): the liveness flush updates thousands of rows every few seconds, and
     * an update rewrites the whole row.
     */
    static final String WITH_LIVENESS = "delegate d JOIN delegate_liveness l ON l.delegate_id = d.id";

    private static final String SELECT = "SELECT d.*, l.connected_since, l.last_heartbeat_at FROM " + WITH_LIVENESS;

    private final Jdbi jdbi;
    private final Table<Delegate> delegates;

    public DelegateDao(Jdbi jdbi) {
        this.jdbi = jdbi;
        this.delegates = new Table<>(jdbi, "delegate", SELECT, "d.account_id", (rs, ctx) -> map(rs));
    }

    public void insert(Delegate d) {
        jdbi.useTransaction(h -> {
            bindAll(h.createUpdate("INSERT INTO delegate (" + COLUMNS + ") VALUES (" + VALUES + ")"), d)
                    .execute();
            bindLiveness(
                            h.createUpdate("INSERT INTO delegate_liveness (delegate_id, connected_since, "
                                    + "last_heartbeat_at) VALUES (:id, :connected_since, :last_heartbeat_at)"),
                            d)
                    .execute();
        });
    }

    /** Overwrites everything a registration reports; keeps the id and first registration time. */
    public void updateRegistration(Delegate d) {
        StringBuilder set = new StringBuilder();
        for (String column : COLUMNS.split(", ")) {
            if (!column.equals("id") && !column.equals("account_id") && !column.equals("first_registered_at")) {
                set.append(set.length() == 0 ? "" : ", ")
                        .append(column)
                        .append(" = :")
                        .append(column);
            }
        }
        jdbi.useTransaction(h -> {
            bindAll(h.createUpdate("UPDATE delegate SET " + set + " WHERE id = :id"), d)
                    .execute();
            bindLiveness(
                            h.createUpdate("UPDATE delegate_liveness SET connected_since = :connected_since, "
                                    + "last_heartbeat_at = :last_heartbeat_at WHERE delegate_id = :id"),
                            d)
                    .execute();
        });
    }

    public Optional<Delegate> find(String accountId, String id) {
        return delegates.findInAccount(accountId, "id", id);
    }

    /** Looks a delegate up by id alone; for delegate-API calls, which are checked against the account after. */
    public Optional<Delegate> findById(String id) {
        return delegates.findBy("id", id);
    }

    public Optional<Delegate> findByIdentity(String accountId, String groupId, String name) {
        return jdbi.withHandle(
                h -> h.createQuery(SELECT + " WHERE d.account_id = :a AND d.group_id = :g AND d.name = :n")
                        .bind("a", accountId)
                        .bind("g", groupId)
                        .bind("n", name)
                        .map((rs, ctx) -> map(rs))
                        .findOne());
    }

    public List<Delegate> list(String accountId) {
        return delegates.listInAccount(accountId, "name");
    }

    /** Every delegate of every account; for the sweeper and the in-memory KnownDelegates. */
    public List<Delegate> listAll() {
        return delegates.listAll();
    }

    /**
     * What the sweep compares with its view every few seconds: the session and liveness columns of every
     * delegate. A registration is a new session, so a row whose session differs from the view is re-read
     * whole; everything else a row holds only changes with its session.
     */
    public List<Liveness> livenessAll() {
        return jdbi.withHandle(h -> h.createQuery("SELECT d.id, d.session_id, l.connected_since, l.last_heartbeat_at, "
                        + "d.disconnected_at, d.disconnect_reason FROM " + WITH_LIVENESS)
                .map((rs, ctx) -> new Liveness(
                        rs.getString("id"),
                        rs.getString("session_id"),
                        Rows.instant(rs, "connected_since"),
                        Rows.instant(rs, "last_heartbeat_at"),
                        Rows.instant(rs, "disconnected_at"),
                        rs.getString("disconnect_reason")))
                .list());
    }

    /** The session and liveness columns of a delegate's row. */
    public record Liveness(
            String delegateId,
            String sessionId,
            Instant connectedSince,
            Instant lastHeartbeatAt,
            Instant disconnectedAt,
            String disconnectReason) {}

    /**
     * Records a heartbeat of the current session; false when the session is not the current one. A
     * delegate heard from again after a silence longer than {@code silentBefore} counts as connected anew.
     */
    public boolean heartbeat(String id, String sessionId, Instant at, Instant silentBefore) {
        return heartbeatAll(List.of(new Heartbeat(id, sessionId, at, silentBefore)))
                .get(0);
    }

    /** A heartbeat to record: the session it came with, when, and since when silence means disconnected. */
    public record Heartbeat(String delegateId, String sessionId, Instant at, Instant silentBefore) {}

    /**
     * Records heartbeats in one transaction; for each, true when its session was the current, connected one
     * (false tells the delegate to register again).
     */
    public List<Boolean> heartbeatAll(List<Heartbeat> heartbeats) {
        int[] counts = jdbi.inTransaction(h -> {
            // Replicas flush what each heard: an older heartbeat written late never moves one back.
            // Only the narrow liveness row is written; the session is checked on the delegate row.
            PreparedBatch batch = h.prepareBatch("UPDATE delegate_liveness SET "
                    + "last_heartbeat_at = CASE WHEN last_heartbeat_at < :at THEN :at ELSE last_heartbeat_at END, "
                    + "connected_since = CASE WHEN last_heartbeat_at < :silent THEN :at ELSE connected_since END "
                    + "WHERE delegate_id = :id AND EXISTS (SELECT 1 FROM delegate d "
                    + "WHERE d.id = :id AND d.session_id = :s AND d.disconnected_at IS NULL)");
            for (Heartbeat b : heartbeats) {
                batch.bind("at", Rows.timestamp(b.at()))
                        .bind("silent", Rows.timestamp(b.silentBefore()))
                        .bind("id", b.delegateId())
                        .bind("s", b.sessionId())
                        .add();
            }
            return batch.execute();
        });
        List<Boolean> current = new ArrayList<>(counts.length);
        for (int count : counts) {
            current.add(count == 1);
        }
        return current;
    }

    /**
     * Claims the audit of a delegate's silence: true for exactly one caller per silence (one heartbeat
     * that was the last), however many replicas sweep at once; false when it was claimed already, or the
     * delegate spoke again (heartbeat at or after {@code silentBefore}) or said goodbye.
     */
    public boolean noteSilence(String id, Instant silentBefore) {
        String lastHeartbeat = "(SELECT l.last_heartbeat_at FROM delegate_liveness l WHERE l.delegate_id = :id)";
        return jdbi.withHandle(h -> h.createUpdate("UPDATE delegate SET silence_noted_for = " + lastHeartbeat
                                + " WHERE id = :id AND disconnected_at IS NULL AND " + lastHeartbeat + " < :silent "
                                + "AND (silence_noted_for IS NULL OR silence_noted_for < " + lastHeartbeat + ")")
                        .bind("id", id)
                        .bind("silent", Rows.timestamp(silentBefore))
                        .execute())
                == 1;
    }

    /** Marks the session disconnected; false when it was not the current, connected session. */
    public boolean markDisconnected(String id, String sessionId, Instant at, String reason) {
        return jdbi.withHandle(h -> h.createUpdate("UPDATE delegate SET disconnected_at = :at, disconnect_reason = :r "
                                + "WHERE id = :id AND session_id = :s AND disconnected_at IS NULL")
                        .bind("at", Rows.timestamp(at))
                        .bind("r", reason)
                        .bind("id", id)
                        .bind("s", sessionId)
                        .execute())
                == 1;
    }

    public boolean delete(String accountId, String id) {
        return delegates.deleteInAccount(accountId, id);
    }

    private static <S extends SqlStatement<S>> S bindAll(S s, Delegate d) {
        EcsIdentity ecs =
                d.ecs() == null ? new EcsIdentity(null, null, null, null, null, null, null, null, null) : d.ecs();
        return s.bind("id", d.id())
                .bind("account_id", d.accountId())
                .bind("group_id", d.groupId())
                .bind("name", d.name())
                .bind("hostname", d.hostname())
                .bind("ip", d.ip())
                .bind("type", d.type().name())
                .bind("launch_type", d.launchType())
                .bind("identity_kind", d.identityKind().name())
                .bind("version", d.version())
                .bind("profile_name", d.profileName())
                .bind("selectors", Rows.json(d.selectors()))
                .bind("task_types", Rows.json(d.taskTypes()))
                .bind("capacity", d.capacity())
                .bind("ecs_task_arn", ecs.taskArn())
                .bind("ecs_cluster", ecs.cluster())
                .bind("ecs_container_id", ecs.containerId())
                .bind("ecs_container_name", ecs.containerName())
                .bind("ecs_network_mode", ecs.networkMode())
                .bind("ecs_availability_zone", ecs.availabilityZone())
                .bind("ecs_family", ecs.family())
                .bind("ecs_revision", ecs.revision())
                .bind("token_id", d.tokenId())
                .bind("instance_id", d.instanceId())
                .bind("session_id", d.sessionId())
                .bind("first_registered_at", Rows.timestamp(d.firstRegisteredAt()))
                .bind("disconnected_at", Rows.timestamp(d.disconnectedAt()))
                .bind("disconnect_reason", d.disconnectReason());
    }

    private static <S extends SqlStatement<S>> S bindLiveness(S s, Delegate d) {
        return s.bind("id", d.id())
                .bind("connected_since", Rows.timestamp(d.connectedSince()))
                .bind("last_heartbeat_at", Rows.timestamp(d.lastHeartbeatAt()));
    }

    private static Delegate map(ResultSet rs) throws SQLException {
        EcsIdentity ecs = rs.getString("ecs_task_arn") == null && rs.getString("ecs_container_id") == null
                ? null
                : new EcsIdentity(
                        rs.getString("ecs_task_arn"),
                        rs.getString("ecs_cluster"),
                        rs.getString("ecs_container_id"),
                        rs.getString("ecs_container_name"),
                        rs.getString("ecs_network_mode"),
                        rs.getString("launch_type"),
                        rs.getString("ecs_availability_zone"),
                        rs.getString("ecs_family"),
                        rs.getString("ecs_revision"));
        return new Delegate(
                rs.getString("id"),
                rs.getString("account_id"),
                rs.getString("group_id"),
                rs.getString("name"),
                rs.getString("hostname"),
                rs.getString("ip"),
                DelegateType.valueOf(rs.getString("type")),
                rs.getString("launch_type"),
                IdentityKind.valueOf(rs.getString("identity_kind")),
                rs.getString("version"),
                rs.getString("profile_name"),
                Rows.stringList(rs, "selectors"),
                Rows.stringList(rs, "task_types"),
                rs.getInt("capacity"),
                ecs,
                rs.getString("token_id"),
                rs.getString("instance_id"),
                rs.getString("session_id"),
                Rows.instant(rs, "first_registered_at"),
                Rows.instant(rs, "connected_since"),
                Rows.instant(rs, "last_heartbeat_at"),
                Rows.instant(rs, "disconnected_at"),
                rs.getString("disconnect_reason"));
    }
}
