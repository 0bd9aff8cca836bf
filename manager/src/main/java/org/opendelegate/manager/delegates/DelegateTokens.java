package org.opendelegate.manager.delegates;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.opendelegate.manager.cluster.ClusterSignals;
import org.opendelegate.manager.cluster.Signal;
import org.opendelegate.manager.config.DelegateTimings;
import org.opendelegate.manager.limits.Quota;
import org.opendelegate.manager.limits.Quotas;
import org.opendelegate.manager.problems.DomainProblem;
import org.opendelegate.manager.problems.ProblemKind;
import org.opendelegate.manager.security.CredentialCache;
import org.opendelegate.manager.security.Principal;
import org.opendelegate.manager.security.Secrets;
import org.opendelegate.manager.store.AuditDao;
import org.opendelegate.manager.store.Delegate;
import org.opendelegate.manager.store.DelegateGroupDao;
import org.opendelegate.manager.store.DelegateToken;
import org.opendelegate.manager.store.DelegateTokenDao;
import org.opendelegate.protocol.Problem;
import org.opendelegate.protocol.ProblemCodes;

/**
 * Delegate tokens: named, revocable secrets that let delegates register. Only hashes are stored; the secret
 * is shown once, when the token is created (or rotated to). A token may expire, limit how many of its
 * delegates are connected at once, admit a single registration, and be rotated with a grace period
 * ({@link TokenRotation}). Registration checks it twice: {@link #authenticate} when the secret arrives,
 * {@link #admit} once the delegate's identity is known; every later call of the session checks
 * {@link #requireLive}.
 */
public final class DelegateTokens {
    /** The longest token name (its column holds more: room for the generated suffixes). */
    static final int MAX_NAME = 100;

    private final DelegateTokenDao tokens;
    private final DelegateGroupDao groups;
    private final AuditDao audit;
    private final DelegateTimings timings;
    private final Clock clock;
    private final CredentialCache<DelegateToken> cache;
    private final LiveTokens live;
    private final TokenRotation rotation;
    private final Quotas quotas;
    private volatile ClusterSignals cluster = ClusterSignals.local();

    public DelegateTokens(
            DelegateTokenDao tokens,
            DelegateGroupDao groups,
            AuditDao audit,
            DelegateTimings timings,
            Clock clock,
            Quotas quotas) {
        this.quotas = quotas;
        this.tokens = tokens;
        this.groups = groups;
        this.audit = audit;
        this.timings = timings;
        this.clock = clock;
        this.cache =
                new CredentialCache<>(clock, CredentialCache.LOOKUP_TTL, 50_000, tokens::findByHash, tokens::touch);
        this.live = new LiveTokens(tokens, clock);
        this.rotation = new TokenRotation(tokens, audit, clock);
    }

    /**
     * Joins the other replicas: a token revoked or rotated here is forgotten there at once (else within
     * {@link LiveTokens#TTL} and {@link CredentialCache#LOOKUP_TTL}), and the other way round.
     */
    public void joinCluster(ClusterSignals signals) {
        this.cluster = signals;
        signals.subscribe(Signal.TOKEN_CHANGED, ids -> {
            cache.forget();
            ids.forEach(live::forget);
        });
    }

    /** The account's tokens, oldest first, each with how many of its delegates are connected. */
    public List<TokenView> list(String accountId) {
        Instant now = clock.instant();
        Map<String, Integer> connected = tokens.connectedDelegatesByToken(accountId, silentBefore(now));
        return tokens.list(accountId).stream()
                .map(t -> TokenView.of(t, now, connected.getOrDefault(t.id(), 0), null))
                .toList();
    }

    /** One token of the account. */
    public TokenView token(String accountId, String id) {
        return view(find(accountId, id), null);
    }

    /** The delegates whose last registration presented this token, connected or not. */
    public List<TokenDelegateView> delegates(String accountId, String id) {
        DelegateToken token = find(accountId, id);
        Instant silentBefore = silentBefore(clock.instant());
        return tokens.usersOf(accountId, token.id()).stream()
                .map(u -> new TokenDelegateView(
                        u.id(),
                        u.name(),
                        u.groupName(),
                        u.disconnectedAt() == null && u.lastHeartbeatAt().isAfter(silentBefore)
                                ? DelegateView.CONNECTED
                                : DelegateView.DISCONNECTED,
                        u.lastHeartbeatAt()))
                .toList();
    }

    /** Creates a multi-use token without expiry or limit; the answer carries the secret. */
    public TokenView create(Principal principal, String name, String groupId) {
        return create(principal, TokenRequest.of(name, groupId));
    }

    /** Creates a token; the answer carries the secret, which is never shown again. */
    public TokenView create(Principal principal, TokenRequest request) {
        principal.requireAdmin();
        Instant now = clock.instant();
        List<Problem.FieldError> errors = new ArrayList<>();
        String name = checkName(request.name(), errors);
        String groupId = request.groupId() == null || request.groupId().isBlank() ? null : request.groupId();
        if (groupId != null && groups.find(principal.accountId(), groupId).isEmpty()) {
            errors.add(new Problem.FieldError("groupId", "names no delegate group of this account."));
        }
        TokenSettings settings = TokenSettings.check(request, now, errors);
        if (!errors.isEmpty()) {
            throw DomainProblem.invalid(errors);
        }
        if (tokens.findByName(principal.accountId(), name).isPresent()) {
            throw DomainProblem.conflict(
                    "DUPLICATE_NAME", "A delegate token named `" + name + "` already exists; pick another name.");
        }
        quotas.requireRoom(Quota.DELEGATE_TOKENS, principal.accountId(), principal.actor(), name);
        String secret = Secrets.generate(Secrets.DELEGATE_TOKEN_PREFIX);
        DelegateToken token = new DelegateToken(
                Secrets.newId(),
                principal.accountId(),
                name,
                groupId,
                principal.actor(),
                now,
                null,
                null,
                settings.expiresAt(),
                settings.maxDelegates(),
                settings.singleUse(),
                null,
                null,
                null,
                null);
        tokens.insert(token, Secrets.hash(secret));
        audit.record(
                token.accountId(),
                now,
                principal.actor(),
                "delegate-token.created",
                "delegate-token",
                token.id(),
                TokenRotation.describe(token));
        return TokenView.of(token, now, 0, secret);
    }

    /** Stores a multi-use token with a given secret (bootstrap). */
    public DelegateToken insert(String accountId, String name, String groupId, String createdBy, String secret) {
        Instant now = clock.instant();
        DelegateToken token = new DelegateToken(Secrets.newId(), accountId, name, groupId, createdBy, now, null, null);
        tokens.insert(token, Secrets.hash(secret));
        audit.record(accountId, now, createdBy, "delegate-token.created", "delegate-token", token.id(), "name=" + name);
        return token;
    }

    public TokenView revoke(Principal principal, String id) {
        principal.requireAdmin();
        DelegateToken token = find(principal.accountId(), id);
        if (!token.revoked()) {
            Instant now = clock.instant();
            tokens.revoke(principal.accountId(), id, now);
            cache.forget();
            live.forget(id);
            cluster.publish(Signal.TOKEN_CHANGED, id);
            audit.record(
                    principal.accountId(),
                    now,
                    principal.actor(),
                    "delegate-token.revoked",
                    "delegate-token",
                    id,
                    "name=" + token.name());
        }
        return view(find(principal.accountId(), id), null);
    }

    /**
     * Rotates a token: a new token with the old one's group and settings, and the old one expiring after
     * the grace period ({@link TokenRotation#DEFAULT_GRACE} when {@code graceSeconds} is null).
     */
    public RotationView rotate(Principal principal, String id, Long graceSeconds) {
        principal.requireAdmin();
        TokenRotation.Rotated rotated = rotation.rotate(principal, find(principal.accountId(), id), graceSeconds);
        live.forget(id);
        cluster.publish(Signal.TOKEN_CHANGED, id);
        return new RotationView(
                view(rotated.successor(), rotated.secret()),
                view(find(principal.accountId(), id), null),
                delegates(principal.accountId(), id));
    }

    /**
     * Checks the secret a registration presents. The messages say what to fix without revealing whether a
     * token exists in some other account. Expired and used-up single-use tokens are refused (and audited).
     */
    public DelegateCredential authenticate(String accountId, String secret) {
        if (accountId == null || accountId.isBlank()) {
            throw DomainProblem.unauthorized(
                    "Send the account id in the X-OpenDelegate-Account header " + "(ACCOUNT_ID on the delegate).");
        }
        if (secret == null || secret.isBlank()) {
            throw DomainProblem.unauthorized("Send the delegate token as `Authorization: Bearer <token>` "
                    + "(DELEGATE_TOKEN on the delegate).");
        }
        DelegateToken token = cache.find(secret)
                .filter(t -> t.accountId().equals(accountId))
                .orElseThrow(() -> DomainProblem.unauthorized("The delegate token is not valid for account `"
                        + accountId + "`. Check DELEGATE_TOKEN and ACCOUNT_ID, or create a new token in "
                        + "Setup → Delegate Tokens."));
        if (token.singleUse()) {
            // A use is final at once on every replica: read it from the store, not from the lookup cache.
            token = tokens.find(accountId, token.id()).orElse(token);
        }
        if (token.revoked()) {
            throw DomainProblem.unauthorized("The delegate token `" + token.name() + "` was revoked at "
                    + token.revokedAt() + ". Create a new token and restart the delegate with it.");
        }
        Instant now = clock.instant();
        if (token.expired(now)) {
            throw refused(token, now, expired(token));
        }
        if (token.singleUse() && token.used()) {
            throw refused(token, now, alreadyUsed(token));
        }
        cache.used(token.id(), token.lastUsedAt());
        return new DelegateCredential(token.accountId(), token.id(), token.name(), token.groupId());
    }

    /**
     * Admits a registering delegate once its identity is known, before anything is written: refuses it
     * when its token's limit of connected delegates is reached (the delegate itself is not counted, so a
     * connected delegate may always register again), and uses up a single-use token atomically (of two
     * registrations racing for one, exactly one is admitted). A registration with no token behind it
     * (an IAM identity) has nothing to check.
     *
     * @param silentBefore delegates silent since before this time count as disconnected
     */
    public void admit(DelegateCredential credential, Delegate delegate, Instant silentBefore) {
        if (credential.tokenId() == null) {
            return;
        }
        Instant now = clock.instant();
        DelegateToken token = find(credential.accountId(), credential.tokenId());
        if (token.maxDelegates() != null) {
            int connected = tokens.connectedDelegates(token.accountId(), token.id(), silentBefore, delegate.id());
            if (connected >= token.maxDelegates()) {
                throw refused(token, now, limitReached(token, connected, delegate));
            }
        }
        if (token.singleUse() && !tokens.consume(token.id(), delegate.id(), now)) {
            // Used already: only by this same delegate coming back through its session credential.
            DelegateToken used = find(credential.accountId(), credential.tokenId());
            if (!delegate.id().equals(used.usedBy())) {
                throw refused(used, now, alreadyUsed(used));
            }
        }
    }

    /**
     * Throws when the token behind a delegate's session may no longer be used: revoked
     * ({@code TOKEN_REVOKED}) or expired, which includes a rotation whose grace period ended
     * ({@code TOKEN_EXPIRED}). A session without a token behind it (an IAM identity) has nothing to check.
     * Reads the token at most every {@link LiveTokens#TTL} per replica.
     */
    public void requireLive(String accountId, String tokenId) {
        if (tokenId == null) {
            return;
        }
        DelegateToken token = live.find(accountId, tokenId).orElse(null);
        if (token == null || token.revoked()) {
            throw new DomainProblem(
                    ProblemKind.UNAUTHORIZED,
                    "Token revoked",
                    ProblemCodes.TOKEN_REVOKED,
                    "The delegate token"
                            + (token == null
                                    ? " this delegate registered with was deleted"
                                    : " `" + token.name() + "` this delegate registered with was revoked at "
                                            + token.revokedAt())
                            + "; its session is ended. Install the delegate again with a new token.");
        }
        Instant now = clock.instant();
        if (token.expired(now)) {
            throw refused(token, now, expired(token));
        }
        // A session call uses the token as much as a registration does: "last used" shows both.
        cache.used(token.id(), token.lastUsedAt());
    }

    /**
     * The credential of a delegate that registers again with its session credential: the token it first
     * registered with, which must still be live. A single-use token is not consumed again.
     */
    public DelegateCredential behindSession(SessionCredential session) {
        requireLive(session.accountId(), session.tokenId());
        if (session.tokenId() == null) {
            return new DelegateCredential(session.accountId(), null, "session", null, session.delegateId());
        }
        DelegateToken token = live.find(session.accountId(), session.tokenId()).orElseThrow();
        return new DelegateCredential(
                token.accountId(), token.id(), token.name(), token.groupId(), session.delegateId());
    }

    private DelegateToken find(String accountId, String id) {
        return tokens.find(accountId, id).orElseThrow(() -> DomainProblem.notFound("delegate token", id));
    }

    private TokenView view(DelegateToken token, String secret) {
        Instant now = clock.instant();
        int connected = tokens.connectedDelegates(token.accountId(), token.id(), silentBefore(now), "");
        return TokenView.of(token, now, connected, secret);
    }

    private Instant silentBefore(Instant now) {
        return now.minus(timings.disconnectAfter());
    }

    /** Audits a refused registration or session call, and returns the problem to throw. */
    private DomainProblem refused(DelegateToken token, Instant now, DomainProblem problem) {
        audit.record(
                token.accountId(),
                now,
                "delegate-token:" + token.name(),
                "delegate.refused",
                "delegate-token",
                token.id(),
                "code=" + problem.code() + " " + problem.detail());
        return problem;
    }

    private static DomainProblem expired(DelegateToken token) {
        String why = token.replacedBy() == null
                ? "expired at " + token.expiresAt()
                : "was rotated and its grace period ended at " + token.expiresAt()
                        + "; its successor is the token that replaced it in Setup → Delegate Tokens";
        return new DomainProblem(
                ProblemKind.UNAUTHORIZED,
                "Token expired",
                ProblemCodes.TOKEN_EXPIRED,
                "The delegate token `" + token.name() + "` " + why
                        + ". Restart the delegate with a valid token (DELEGATE_TOKEN).");
    }

    private static DomainProblem alreadyUsed(DelegateToken token) {
        return new DomainProblem(
                ProblemKind.UNAUTHORIZED,
                "Token already used",
                ProblemCodes.TOKEN_ALREADY_USED,
                "The delegate token `" + token.name() + "` is single-use and admitted a delegate at " + token.usedAt()
                        + "; it admits no other registration. Create a new token for this delegate.");
    }

    private static DomainProblem limitReached(DelegateToken token, int connected, Delegate delegate) {
        return new DomainProblem(
                ProblemKind.FORBIDDEN,
                "Token limit reached",
                ProblemCodes.TOKEN_LIMIT_REACHED,
                "The delegate token `" + token.name() + "` allows " + token.maxDelegates()
                        + " connected delegate(s) and " + connected + " are connected, so delegate `"
                        + delegate.name() + "` was not admitted. Stop one of them, or use a token with a higher "
                        + "maxDelegates.");
    }

    private static String checkName(String name, List<Problem.FieldError> errors) {
        if (name == null || name.isBlank()) {
            errors.add(new Problem.FieldError(
                    "name", "is required; name the token after where it is used, e.g. \"ecs-prod-cluster\"."));
            return null;
        }
        String trimmed = name.trim();
        if (trimmed.length() > MAX_NAME) {
            errors.add(new Problem.FieldError(
                    "name", "is " + trimmed.length() + " characters long; at most " + MAX_NAME + "."));
        } else if (!Selectors.isPrintable(trimmed)) {
            errors.add(new Problem.FieldError("name", "contains control characters."));
        }
        return trimmed;
    }
}
