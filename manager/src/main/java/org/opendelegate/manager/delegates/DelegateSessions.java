package org.opendelegate.manager.delegates;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.opendelegate.manager.config.DelegateTimings;
import org.opendelegate.manager.metrics.ManagerMetrics;
import org.opendelegate.manager.problems.DomainProblem;
import org.opendelegate.manager.problems.ProblemKind;
import org.opendelegate.manager.security.Secrets;
import org.opendelegate.manager.store.AuditDao;
import org.opendelegate.manager.store.Delegate;
import org.opendelegate.manager.store.DelegateDao;
import org.opendelegate.manager.store.DelegateGroup;
import org.opendelegate.manager.store.DelegateGroupDao;
import org.opendelegate.manager.store.GroupCommit;
import org.opendelegate.protocol.DeregisterRequest;
import org.opendelegate.protocol.ProblemCodes;
import org.opendelegate.protocol.RegisterRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sessions of delegates: registration (one identity, one record, a new session), heartbeats, the
 * check that a call belongs to the delegate's current session, and goodbyes. The delegate protocol as a
 * whole (with leases and profiles) reads in {@code conversation.DelegateConversation}.
 */
public final class DelegateSessions implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DelegateSessions.class);

    private final DelegateDao delegates;
    private final DelegateGroupDao groups;
    private final AuditDao audit;
    private final KnownDelegates knownDelegates;
    private final DelegateTimings timings;
    private final ManagerMetrics metrics;
    private final Clock clock;
    // Thousands of delegates heartbeat every 10 s: concurrent heartbeats share one commit.
    private final GroupCommit<DelegateDao.Heartbeat, Boolean> heartbeats;

    public DelegateSessions(
            DelegateDao delegates,
            DelegateGroupDao groups,
            AuditDao audit,
            KnownDelegates knownDelegates,
            DelegateTimings timings,
            ManagerMetrics metrics,
            Clock clock) {
        this.delegates = delegates;
        this.groups = groups;
        this.audit = audit;
        this.knownDelegates = knownDelegates;
        this.timings = timings;
        this.metrics = metrics;
        this.clock = clock;
        this.heartbeats = new GroupCommit<>(
                "heartbeats",
                512,
                delegates::heartbeatAll,
                b -> delegates.heartbeat(b.delegateId(), b.sessionId(), b.at(), b.silentBefore()));
    }

    /**
     * Registers a delegate. The same group and name come back as the same record with a new session;
     * the previous session, if any, is replaced.
     *
     * @param remoteAddress the address the call came from, used when the delegate reports no IP
     */
    public ResolvedDelegate register(DelegateCredential credential, RegisterRequest request, String remoteAddress) {
        RegistrationRules.check(request);
        checkTokenGroup(credential, request.groupName());
        Instant now = clock.instant();
        DelegateGroup group = groups.getOrCreate(credential.accountId(), request.groupName(), now);
        String name = distinctEcsName(group, request, now);
        Optional<Delegate> existing = delegates.findByIdentity(credential.accountId(), group.id(), name);
        Delegate delegate = toDelegate(credential, request, group, name, existing, remoteAddress, now);
        ensureProfile(credential, delegate, now);
        if (existing.isPresent()) {
            delegates.updateRegistration(delegate);
        } else {
            delegates.insert(delegate);
        }
        metrics.registered();
        audit.record(
                credential.accountId(),
                now,
                credential.actor(),
                existing.isPresent() ? "delegate.reconnected" : "delegate.registered",
                "delegate",
                delegate.id(),
                "name=" + name + " group=" + group.name() + " version=" + request.version());
        LOG.info("Delegate {} ({}) registered in group {} from {}", name, delegate.id(), group.name(), delegate.ip());
        return knownDelegates.put(delegate, group);
    }

    /**
     * The delegate of a session, or the reason the call cannot go on: the delegate is unknown (register
     * again) or another process took over its identity.
     */
    public ResolvedDelegate requireSession(DelegateCredential credential, String delegateId, String sessionId) {
        if (delegateId == null || sessionId == null) {
            throw DomainProblem.invalidField(delegateId == null ? "delegateId" : "sessionId", "is required.");
        }
        ResolvedDelegate entry = knownDelegates
                .get(delegateId)
                .filter(e -> e.accountId().equals(credential.accountId()))
                .orElseThrow(() -> unknownSession(
                        "This delegate is not registered (it may have been removed); " + "register again."));
        if (!entry.delegate().sessionId().equals(sessionId)) {
            // Another replica may have registered a newer session, or this view is behind: ask the store.
            entry = knownDelegates
                    .refresh(delegateId)
                    .orElseThrow(() -> unknownSession(
                            "This delegate is not registered (it may have been removed); register again."));
        }
        if (!entry.delegate().sessionId().equals(sessionId)) {
            throw DomainProblem.conflict(
                    ProblemCodes.SESSION_REPLACED,
                    "Another process registered as delegate `"
                            + entry.name() + "` in group `" + entry.group().name() + "` and replaced this one. To run "
                            + "several delegates on one host, give each its own DELEGATE_NAME.");
        }
        if (entry.delegate().disconnectedAt() != null) {
            throw unknownSession(
                    "This delegate session ended (" + entry.delegate().disconnectReason() + "); register again.");
        }
        return entry;
    }

    /** The delegate with this id in the credential's account, whatever its session. */
    public ResolvedDelegate delegateOf(DelegateCredential credential, String delegateId) {
        if (delegateId == null) {
            throw DomainProblem.invalidField("delegateId", "is required.");
        }
        return knownDelegates
                .get(delegateId)
                .filter(e -> e.accountId().equals(credential.accountId()))
                .orElseThrow(() -> unknownSession("This delegate is not registered; register again."));
    }

    /** Records a heartbeat; returns the delegate's entry. */
    public ResolvedDelegate heartbeat(DelegateCredential credential, String delegateId, String sessionId) {
        ResolvedDelegate entry = requireSession(credential, delegateId, sessionId);
        Instant now = clock.instant();
        if (!heartbeats.submit(
                new DelegateDao.Heartbeat(delegateId, sessionId, now, now.minus(timings.disconnectAfter())))) {
            throw unknownSession("This delegate session is no longer current; register again.");
        }
        knownDelegates.heartbeat(delegateId, now);
        metrics.heartbeat();
        return entry;
    }

    /** A graceful goodbye: the delegate shows disconnected at once. */
    public void deregister(DelegateCredential credential, DeregisterRequest request) {
        ResolvedDelegate entry = requireSession(credential, request.delegateId(), request.sessionId());
        Instant now = clock.instant();
        String reason = request.reason() == null || request.reason().isBlank()
                ? "deregistered"
                : "deregistered: "
                        + request.reason()
                                .substring(0, Math.min(100, request.reason().length()));
        if (delegates.markDisconnected(entry.id(), request.sessionId(), now, reason)) {
            audit.record(
                    entry.accountId(),
                    now,
                    "delegate:" + entry.id(),
                    "delegate.deregistered",
                    "delegate",
                    entry.id(),
                    reason);
            LOG.info("Delegate {} ({}) said goodbye: {}", entry.name(), entry.id(), reason);
        }
        delegates.findById(entry.id()).ifPresent(d -> knownDelegates.put(d, entry.group()));
    }

    /** How many delegates are connected now, across accounts. */
    public long connectedCount() {
        Instant now = clock.instant();
        return knownDelegates.all().stream()
                .filter(e -> e.isConnected(now, timings.disconnectAfter()))
                .count();
    }

    /**
     * A delegate that names a profile the account does not have yet creates it, empty and optional, the
     * way a new group name creates the group: the install flow can name a profile before an admin wrote
     * its script, and the delegate shows the name it was installed with.
     */
    private void ensureProfile(DelegateCredential credential, Delegate delegate, Instant now) {
        String actor = credential.actor();
        var created = knownDelegates.profiles().ensure(credential.accountId(), delegate.profileName(), actor, now);
        if (created != null) {
            audit.record(
                    credential.accountId(),
                    now,
                    actor,
                    "delegate-profile.created",
                    "delegate-profile",
                    created.id(),
                    "name=" + created.name() + " version=1, named by DELEGATE_PROFILE of delegate " + delegate.name());
            LOG.info(
                    "Created empty profile {} ({}) for delegate {}, which asked for it",
                    created.name(),
                    created.id(),
                    delegate.name());
        }
    }

    private void checkTokenGroup(DelegateCredential credential, String groupName) {
        if (credential.groupId() == null) {
            return;
        }
        Optional<DelegateGroup> bound = groups.find(credential.accountId(), credential.groupId());
        if (bound.isPresent() && !bound.get().name().equals(groupName)) {
            throw DomainProblem.forbidden("The delegate token `" + credential.tokenName() + "` belongs to group `"
                    + bound.get().name() + "`; it cannot register delegates in group `" + groupName
                    + "`. Use a token of that group, or set DELEGATE_GROUP_NAME="
                    + bound.get().name() + ".");
        }
    }

    /**
     * Two live ECS tasks that report the same name (an EC2 bridge-mode task definition with a fixed
     * hostname, scaled past one) are two delegates, not one: the newcomer gets a suffix from its task id.
     * A restarted container of the same task keeps its name.
     */
    private String distinctEcsName(DelegateGroup group, RegisterRequest request, Instant now) {
        String taskArn = request.ecs() == null ? null : request.ecs().taskArn();
        if (taskArn == null) {
            return request.name();
        }
        String name = request.name();
        Optional<Delegate> existing = delegates.findByIdentity(group.accountId(), group.id(), name);
        if (existing.isPresent()
                && existing.get().ecs() != null
                && existing.get().ecs().taskArn() != null
                && !taskArn.equals(existing.get().ecs().taskArn())
                && existing.get().isConnected(now, timings.disconnectAfter())) {
            String taskId = taskArn.substring(taskArn.lastIndexOf('/') + 1);
            return name + "-" + taskId.substring(0, Math.min(8, taskId.length()));
        }
        return name;
    }

    private static Delegate toDelegate(
            DelegateCredential credential,
            RegisterRequest r,
            DelegateGroup group,
            String name,
            Optional<Delegate> existing,
            String remoteAddress,
            Instant now) {
        return new Delegate(
                existing.map(Delegate::id).orElseGet(Secrets::newId),
                credential.accountId(),
                group.id(),
                name,
                r.hostname(),
                r.ip() == null || r.ip().isBlank() ? remoteAddress : r.ip(),
                r.type(),
                r.launchType(),
                r.identityKind(),
                r.version(),
                r.profileName() == null || r.profileName().isBlank() ? "Primary" : r.profileName(),
                Selectors.reported(r.selectors()),
                r.taskTypes() == null ? List.of() : List.copyOf(r.taskTypes()),
                r.capacity(),
                r.ecs(),
                credential.tokenId(),
                r.instanceId(),
                Secrets.newId(),
                existing.map(Delegate::firstRegisteredAt).orElse(now),
                now,
                now,
                null,
                null);
    }

    private static DomainProblem unknownSession(String detail) {
        return new DomainProblem(ProblemKind.NOT_FOUND, "Unknown session", ProblemCodes.UNKNOWN_SESSION, detail);
    }

    /** Stops the heartbeat writer; heartbeats still waiting are answered with an error. */
    @Override
    public void close() {
        heartbeats.close();
    }
}
