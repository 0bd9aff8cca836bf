package org.opendelegate.manager.delegates;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.opendelegate.manager.config.DelegateTimings;
import org.opendelegate.manager.limits.Quota;
import org.opendelegate.manager.limits.Quotas;
import org.opendelegate.manager.limits.Rates;
import org.opendelegate.manager.metrics.ManagerMetrics;
import org.opendelegate.manager.problems.DomainProblem;
import org.opendelegate.manager.problems.ProblemKind;
import org.opendelegate.manager.security.Secrets;
import org.opendelegate.manager.store.AuditDao;
import org.opendelegate.manager.store.Delegate;
import org.opendelegate.manager.store.DelegateDao;
import org.opendelegate.manager.store.DelegateGroup;
import org.opendelegate.manager.store.DelegateGroupDao;
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
    private final DelegateTokens tokens;
    private final AuditDao audit;
    private final KnownDelegates knownDelegates;
    private final DelegateTimings timings;
    private final ManagerMetrics metrics;
    private final Clock clock;
    private final Quotas quotas;
    private final Rates rates;
    // Thousands of delegates heartbeat every 10 s: heartbeats are answered from memory and written in bulk.
    private final HeartbeatLedger ledger;

    public DelegateSessions(
            DelegateDao delegates,
            DelegateGroupDao groups,
            DelegateTokens tokens,
            AuditDao audit,
            KnownDelegates knownDelegates,
            DelegateTimings timings,
            ManagerMetrics metrics,
            Clock clock,
            Quotas quotas,
            Rates rates) {
        this.delegates = delegates;
        this.groups = groups;
        this.tokens = tokens;
        this.audit = audit;
        this.knownDelegates = knownDelegates;
        this.timings = timings;
        this.metrics = metrics;
        this.clock = clock;
        this.quotas = quotas;
        this.rates = rates;
        this.ledger = new HeartbeatLedger(delegates, knownDelegates, timings, metrics);
    }

    /**
     * Registers a delegate. The same group and name come back as the same record with a new session;
     * the previous session, if any, is replaced, but only by the same token or the session's own credential:
     * a connected identity is never taken over with another token (IDENTITY_IN_USE). A session credential
     * re-registers its own delegate, under that delegate's name.
     *
     * @param remoteAddress the address the call came from, used when the delegate reports no IP
     */
    public ResolvedDelegate register(DelegateCredential credential, RegisterRequest request, String remoteAddress) {
        RegistrationRules.check(request);
        checkTokenGroup(credential, request.groupName());
        Instant now = clock.instant();
        new GroupAdmission(groups, audit).check(credential, request, now);
        if (credential.sessionOf() == null) {
            rates.registration(
                    credential.accountId(),
                    credential.tokenId() != null ? credential.tokenId() : credential.tokenName(),
                    credential.tokenName(),
                    credential.actor());
        }
        Optional<ResolvedDelegate> own = ownDelegate(credential, request.groupName());
        Optional<DelegateGroup> found = own.isPresent()
                ? Optional.of(own.get().group())
                : groups.findByName(credential.accountId(), request.groupName());
        String name = own.isPresent()
                ? own.get().name()
                : found.map(g -> distinctEcsName(g, request, now)).orElse(request.name());
        Optional<Delegate> existing =
                found.flatMap(g -> delegates.findByIdentity(credential.accountId(), g.id(), name));
        existing.ifPresent(e -> refuseTakeover(credential, e, found.get(), now));
        requireRoom(credential, request, found.isEmpty(), existing.isEmpty());
        DelegateGroup group =
                found.orElseGet(() -> groups.getOrCreate(credential.accountId(), request.groupName(), now));
        Delegate delegate = toDelegate(credential, request, group, name, existing, remoteAddress, now);
        tokens.admit(credential, delegate, now.minus(timings.disconnectAfter()));
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
     * A registration that would create a delegate, a group or a profile over the account's quota is
     * refused as a whole, before anything is written.
     */
    private void requireRoom(
            DelegateCredential credential, RegisterRequest request, boolean newGroup, boolean newDelegate) {
        String accountId = credential.accountId();
        if (newGroup) {
            quotas.requireRoom(Quota.GROUPS, accountId, credential.actor(), request.groupName());
        }
        if (newDelegate) {
            quotas.requireRoom(Quota.DELEGATES, accountId, credential.actor(), request.name());
        }
        String profile = profileName(request);
        if (!knownDelegates.profiles().exists(accountId, profile)) {
            quotas.requireRoom(Quota.PROFILES, accountId, credential.actor(), profile);
        }
    }

    /**
     * The delegate a session credential re-registers, which must be in the group the registration names;
     * empty for a delegate token.
     */
    private Optional<ResolvedDelegate> ownDelegate(DelegateCredential credential, String groupName) {
        if (credential.sessionOf() == null) {
            return Optional.empty();
        }
        ResolvedDelegate own = knownDelegates
                .get(credential.sessionOf())
                .filter(e -> e.accountId().equals(credential.accountId()))
                .orElseThrow(() -> SessionCredentials.invalid(
                        "The session credential names a delegate that no longer exists; register with the delegate"
                                + " token."));
        if (!own.group().name().equals(groupName)) {
            throw new DomainProblem(
                    ProblemKind.FORBIDDEN,
                    "Session invalid",
                    ProblemCodes.SESSION_INVALID,
                    "This session credential belongs to delegate `" + own.name() + "` of group `"
                            + own.group().name() + "`; it cannot register into group `" + groupName + "`.");
        }
        return Optional.of(own);
    }

    /**
     * A connected identity belongs to the token it registered with: the same token (a restarted delegate)
     * or the delegate's own session credential may register it again, another token may not.
     */
    private void refuseTakeover(DelegateCredential credential, Delegate existing, DelegateGroup group, Instant now) {
        boolean connected = existing.isConnected(now, timings.disconnectAfter());
        boolean sameHolder = existing.id().equals(credential.sessionOf())
                || (credential.sessionOf() == null && Objects.equals(existing.tokenId(), credential.tokenId()));
        if (connected && !sameHolder) {
            throw DomainProblem.conflict(
                    ProblemCodes.IDENTITY_IN_USE,
                    "Delegate `" + existing.name() + "` in group `" + group.name() + "` is connected with another"
                            + " delegate token; a live identity cannot be taken over. Give this delegate its own"
                            + " DELEGATE_NAME, or stop the other one first (revoking its token ends its session).");
        }
    }

    /**
     * Ends a session at once (its token was revoked): the delegate shows disconnected with the reason.
     * Returns true when the session was the current, connected one; the caller then reroutes its tasks.
     */
    public boolean endSession(ResolvedDelegate entry, String sessionId, String reason) {
        Instant now = clock.instant();
        boolean ended = delegates.markDisconnected(entry.id(), sessionId, now, reason);
        if (ended) {
            audit.record(
                    entry.accountId(),
                    now,
                    "manager",
                    "delegate.session-ended",
                    "delegate",
                    entry.id(),
                    "name=" + entry.name() + " group=" + entry.group().name() + " reason=" + reason);
            LOG.warn("Ended the session of delegate {} ({}): {}", entry.name(), entry.id(), reason);
        }
        delegates.findById(entry.id()).ifPresent(d -> knownDelegates.put(d, entry.group()));
        return ended;
    }

    /**
     * The delegate of a session, or the reason the call cannot go on: the delegate is unknown (register
     * again) or another process took over its identity.
     */
    public ResolvedDelegate requireSession(String accountId, String delegateId, String sessionId) {
        if (delegateId == null || sessionId == null) {
            throw DomainProblem.invalidField(delegateId == null ? "delegateId" : "sessionId", "is required.");
        }
        ResolvedDelegate entry = knownDelegates
                .get(delegateId)
                .filter(e -> e.accountId().equals(accountId))
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

    /** The delegate with this id in the account, whatever its session. */
    public ResolvedDelegate delegateOf(String accountId, String delegateId) {
        if (delegateId == null) {
            throw DomainProblem.invalidField("delegateId", "is required.");
        }
        return knownDelegates
                .get(delegateId)
                .filter(e -> e.accountId().equals(accountId))
                .orElseThrow(() -> unknownSession("This delegate is not registered; register again."));
    }

    /**
     * Records a heartbeat of the current session in memory; the next liveness flush writes it to the store
     * ({@link HeartbeatLedger}). Returns the delegate's entry.
     */
    public ResolvedDelegate heartbeat(String accountId, String delegateId, String sessionId) {
        ResolvedDelegate entry = requireSession(accountId, delegateId, sessionId);
        Instant now = clock.instant();
        ledger.heard(delegateId, sessionId, now);
        knownDelegates.heartbeat(delegateId, now, timings.disconnectAfter());
        metrics.heartbeat();
        return entry;
    }

    /** Writes the heartbeats heard since the last flush to the store; returns how many delegates it wrote. */
    public int flushLiveness() {
        return ledger.flush();
    }

    /** A graceful goodbye: the delegate shows disconnected at once. */
    public void deregister(String accountId, DeregisterRequest request) {
        ResolvedDelegate entry = requireSession(accountId, request.delegateId(), request.sessionId());
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
                profileName(r),
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

    private static String profileName(RegisterRequest r) {
        return r.profileName() == null || r.profileName().isBlank() ? "Primary" : r.profileName();
    }

    private static DomainProblem unknownSession(String detail) {
        return new DomainProblem(ProblemKind.NOT_FOUND, "Unknown session", ProblemCodes.UNKNOWN_SESSION, detail);
    }

    /** Writes the heartbeats heard last, so that a Manager stopped gracefully loses no liveness. */
    @Override
    public void close() {
        try {
            ledger.flush();
        } catch (RuntimeException e) {
            LOG.warn("Could not write the last heartbeats on the way out: {}", e.toString());
        }
    }
}
