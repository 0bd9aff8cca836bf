package org.opendelegate.manager.conversation;

import java.time.Clock;
import java.util.Set;
import java.util.function.Supplier;
import org.opendelegate.manager.delegates.DelegateCredential;
import org.opendelegate.manager.delegates.DelegateSessions;
import org.opendelegate.manager.delegates.DelegateTokens;
import org.opendelegate.manager.delegates.ResolvedDelegate;
import org.opendelegate.manager.delegates.SessionCredential;
import org.opendelegate.manager.delegates.SessionCredentials;
import org.opendelegate.manager.dispatch.TaskLeases;
import org.opendelegate.manager.problems.DomainProblem;
import org.opendelegate.manager.problems.ProblemKind;
import org.opendelegate.manager.store.AuditDao;
import org.opendelegate.protocol.ProblemCodes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who may make a delegate call, in one place. A registration presents a delegate token, or the session
 * credential of the delegate it re-registers. Every later call presents its session credential, and must
 * name that credential's delegate and session in its body; the token behind the session must still be
 * live: a revoked token ends the session on the spot and reroutes its tasks. Every refusal of a rule of
 * the trust model is audited ({@code delegate.refused}, the code in the detail) and changes nothing else.
 */
final class SessionGate {
    private static final Logger LOG = LoggerFactory.getLogger(SessionGate.class);
    /** The refusals that may be an attack rather than a race of the real delegate. */
    private static final Set<String> AUDITED = Set.of(
            ProblemCodes.SESSION_INVALID,
            ProblemCodes.LEASE_NOT_YOURS,
            ProblemCodes.IDENTITY_IN_USE,
            ProblemCodes.TOKEN_REVOKED);

    private final DelegateTokens tokens;
    private final SessionCredentials credentials;
    private final DelegateSessions sessions;
    private final TaskLeases leases;
    private final AuditDao audit;
    private final Clock clock;

    SessionGate(
            DelegateTokens tokens,
            SessionCredentials credentials,
            DelegateSessions sessions,
            TaskLeases leases,
            AuditDao audit,
            Clock clock) {
        this.tokens = tokens;
        this.credentials = credentials;
        this.sessions = sessions;
        this.leases = leases;
        this.audit = audit;
        this.clock = clock;
    }

    /**
     * What a registration presents: the session credential of the delegate it re-registers (the token
     * behind it must be live), or a delegate token.
     */
    DelegateCredential registration(String accountId, String secret) {
        if (!SessionCredentials.isSessionCredential(secret)) {
            return tokens.authenticate(accountId, secret);
        }
        SessionCredential session =
                audited(accountId, "unknown", "register", () -> credentials.authenticate(accountId, secret));
        return audited(accountId, "delegate:" + session.delegateId(), "register", () -> {
            if (session.replaced()) {
                throw DomainProblem.conflict(
                        ProblemCodes.SESSION_REPLACED,
                        "Another process registered as this delegate and replaced this session; its credential"
                                + " cannot register again. Give each delegate its own DELEGATE_NAME.");
            }
            return tokens.behindSession(session);
        });
    }

    /** The session a call's credential belongs to; SESSION_INVALID (401) when it is unknown. */
    SessionCredential caller(String accountId, String secret) {
        return audited(accountId, "unknown", "session", () -> credentials.authenticate(accountId, secret));
    }

    /**
     * The delegate of a call that names {@code delegateId} and {@code sessionId} in its body, which must be
     * the caller's; with {@code current} the session must also be the delegate's current, connected one.
     */
    ResolvedDelegate require(
            SessionCredential caller, String delegateId, String sessionId, boolean current, String call) {
        if (delegateId == null || sessionId == null) {
            throw DomainProblem.invalidField(delegateId == null ? "delegateId" : "sessionId", "is required.");
        }
        return audited(caller.accountId(), "delegate:" + caller.delegateId(), call, () -> {
            if (caller.replaced() && caller.delegateId().equals(delegateId)) {
                throw DomainProblem.conflict(
                        ProblemCodes.SESSION_REPLACED,
                        "Another process registered as this delegate and replaced this session. To run several"
                                + " delegates on one host, give each its own DELEGATE_NAME.");
            }
            if (caller.replaced()
                    || !caller.delegateId().equals(delegateId)
                    || !caller.sessionId().equals(sessionId)) {
                throw new DomainProblem(
                        ProblemKind.FORBIDDEN,
                        "Session invalid",
                        ProblemCodes.SESSION_INVALID,
                        "The session credential belongs to another delegate or session than the body names"
                                + " (delegateId `" + delegateId + "`, sessionId `" + sessionId + "`); nothing was"
                                + " changed. Send the ids and the credential of one registration.");
            }
            // The token first: a revoked token ends the session, whatever else is wrong with the call.
            requireLiveToken(caller, sessions.delegateOf(caller.accountId(), delegateId));
            return current
                    ? sessions.requireSession(caller.accountId(), delegateId, sessionId)
                    : sessions.delegateOf(caller.accountId(), delegateId);
        });
    }

    /** Runs a step of a call and audits the refusals of the trust model it throws. */
    <T> T audited(String accountId, String actor, String call, Supplier<T> step) {
        try {
            return step.get();
        } catch (DomainProblem p) {
            if (AUDITED.contains(p.code()) && accountId != null && !accountId.isBlank()) {
                audit.record(
                        accountId.length() > 64 ? accountId.substring(0, 64) : accountId,
                        clock.instant(),
                        actor,
                        "delegate.refused",
                        "delegate-call",
                        call,
                        "code=" + p.code() + " " + p.detail());
                LOG.warn("Refused a delegate {} call from {} ({}): {}", call, actor, p.code(), p.detail());
            }
            throw p;
        }
    }

    private void requireLiveToken(SessionCredential caller, ResolvedDelegate delegate) {
        try {
            tokens.requireLive(caller.accountId(), caller.tokenId());
        } catch (DomainProblem p) {
            String reason = "token " + (ProblemCodes.TOKEN_REVOKED.equals(p.code()) ? "revoked" : "no longer valid");
            if (sessions.endSession(delegate, caller.sessionId(), reason)) {
                leases.sessionEnded(
                        delegate, p.code(), "the session of delegate " + delegate.name() + " ended: " + reason);
            }
            throw p;
        }
    }
}
