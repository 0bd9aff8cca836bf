package org.opendelegate.manager.delegates;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.opendelegate.manager.problems.DomainProblem;
import org.opendelegate.manager.problems.ProblemKind;
import org.opendelegate.manager.security.CredentialCache;
import org.opendelegate.manager.security.Principal;
import org.opendelegate.manager.security.Secrets;
import org.opendelegate.manager.store.AuditDao;
import org.opendelegate.manager.store.DelegateGroupDao;
import org.opendelegate.manager.store.DelegateToken;
import org.opendelegate.manager.store.DelegateTokenDao;
import org.opendelegate.protocol.ProblemCodes;

/**
 * Delegate tokens: named, revocable secrets that let delegates in. Only hashes are stored; the secret
 * is shown once, when the token is created.
 */
public final class DelegateTokens {
    private final DelegateTokenDao tokens;
    private final DelegateGroupDao groups;
    private final AuditDao audit;
    private final Clock clock;
    private final CredentialCache<DelegateToken> cache;
    private final LiveTokens live;

    public DelegateTokens(DelegateTokenDao tokens, DelegateGroupDao groups, AuditDao audit, Clock clock) {
        this.tokens = tokens;
        this.groups = groups;
        this.audit = audit;
        this.clock = clock;
        this.cache = new CredentialCache<>(clock, 50_000, tokens::findByHash, tokens::touch);
        this.live = new LiveTokens(tokens, clock);
    }

    public List<TokenView> list(String accountId) {
        return tokens.list(accountId).stream().map(t -> TokenView.of(t, null)).toList();
    }

    /** Creates a token; the answer carries the secret, which is never shown again. */
    public TokenView create(Principal principal, String name, String groupId) {
        principal.requireAdmin();
        String cleanName = checkName(name);
        if (groupId != null && groups.find(principal.accountId(), groupId).isEmpty()) {
            throw DomainProblem.invalidField("groupId", "names no delegate group of this account.");
        }
        if (tokens.findByName(principal.accountId(), cleanName).isPresent()) {
            throw DomainProblem.conflict(
                    "DUPLICATE_NAME", "A delegate token named `" + cleanName + "` already exists; pick another name.");
        }
        String secret = Secrets.generate(Secrets.DELEGATE_TOKEN_PREFIX);
        return TokenView.of(insert(principal.accountId(), cleanName, groupId, principal.actor(), secret), secret);
    }

    /** Stores a token with a given secret (bootstrap and installers). */
    public DelegateToken insert(String accountId, String name, String groupId, String createdBy, String secret) {
        Instant now = clock.instant();
        DelegateToken token = new DelegateToken(Secrets.newId(), accountId, name, groupId, createdBy, now, null, null);
        tokens.insert(token, Secrets.hash(secret));
        audit.record(accountId, now, createdBy, "delegate-token.created", "delegate-token", token.id(), "name=" + name);
        return token;
    }

    public TokenView revoke(Principal principal, String id) {
        principal.requireAdmin();
        DelegateToken token =
                tokens.find(principal.accountId(), id).orElseThrow(() -> DomainProblem.notFound("delegate token", id));
        if (!token.revoked()) {
            Instant now = clock.instant();
            tokens.revoke(principal.accountId(), id, now);
            cache.forget();
            live.forget(id);
            audit.record(
                    principal.accountId(),
                    now,
                    principal.actor(),
                    "delegate-token.revoked",
                    "delegate-token",
                    id,
                    "name=" + token.name());
        }
        return TokenView.of(tokens.find(principal.accountId(), id).orElseThrow(), null);
    }

    /**
     * Checks a delegate's credentials. The messages say what to fix without revealing whether a token
     * exists in some other account.
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
        if (token.revoked()) {
            throw DomainProblem.unauthorized("The delegate token `" + token.name() + "` was revoked at "
                    + token.revokedAt() + ". Create a new token and restart the delegate with it.");
        }
        cache.used(token.id(), token.lastUsedAt());
        return new DelegateCredential(token.accountId(), token.id(), token.name(), token.groupId());
    }

    /**
     * Checks that the token behind a delegate session may still be used; every session call asks. Throws
     * TOKEN_REVOKED (401) for a revoked (or deleted) token. Reads the store at most every few seconds per
     * token, so a revocation on another replica is felt within one heartbeat. A session without a token
     * (tokenId null) has nothing to check.
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

    private static String checkName(String name) {
        if (name == null || name.isBlank()) {
            throw DomainProblem.invalidField(
                    "name", "is required; name the token after where it is used, " + "e.g. \"ecs-prod-cluster\".");
        }
        String trimmed = name.trim();
        if (trimmed.length() > 100) {
            throw DomainProblem.invalidField("name", "is " + trimmed.length() + " characters long; at most 100.");
        }
        if (!Selectors.isPrintable(trimmed)) {
            throw DomainProblem.invalidField("name", "contains control characters.");
        }
        return trimmed;
    }
}
