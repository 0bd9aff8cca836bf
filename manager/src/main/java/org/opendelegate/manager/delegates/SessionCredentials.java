package org.opendelegate.manager.delegates;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Function;
import org.opendelegate.manager.problems.DomainProblem;
import org.opendelegate.manager.problems.ProblemKind;
import org.opendelegate.manager.security.CredentialCache;
import org.opendelegate.manager.security.Secrets;
import org.opendelegate.manager.store.SessionCredentialDao;
import org.opendelegate.manager.store.SessionCredentialDao.SessionOwner;
import org.opendelegate.protocol.ProblemCodes;

/**
 * Session credentials: the random secret ({@value #PREFIX}..., 256 bits) a registration hands a delegate,
 * which every later call of that session presents instead of the delegate token. Only its hash is stored,
 * on the delegate's row; a new registration replaces it, so a credential names one session of one delegate.
 * Lookups go through a {@link CredentialCache} and are kept for {@link #LOOKUP_TTL}: the hash-to-session mapping
 * never changes, only whether the session is still current, and that is checked at every use against the
 * delegate's current session in {@link KnownDelegates} (which follows the other replicas' registrations within a
 * liveness sweep): a kept credential whose session is no longer current is read again, and so found replaced.
 * Every delegate calls several times a minute; with a short time to live most of its calls read the store.
 */
public final class SessionCredentials {
    /** Prefix of session credentials, so a leaked one is recognisable (and told apart from a delegate token). */
    public static final String PREFIX = "ods_";

    /** How long a lookup is kept while its session stays the delegate's current one. */
    static final Duration LOOKUP_TTL = Duration.ofMinutes(10);

    private final SessionCredentialDao store;
    private final CredentialCache<SessionOwner> cache;
    private final Function<String, Optional<String>> currentSessionOf;

    /** @param currentSessionOf a delegate's current session as this replica knows it, by delegate id */
    public SessionCredentials(
            SessionCredentialDao store, Function<String, Optional<String>> currentSessionOf, Clock clock) {
        this.store = store;
        this.currentSessionOf = currentSessionOf;
        this.cache =
                new CredentialCache<>(clock, LOOKUP_TTL, 100_000, store::findByHash, SessionCredentials::noUseRecord);
    }

    /** Whether a bearer secret is a session credential rather than a delegate token. */
    public static boolean isSessionCredential(String secret) {
        return secret != null && secret.startsWith(PREFIX);
    }

    /**
     * A new credential for the delegate's current session, replacing the one before; the answer is the
     * secret, which is never stored. Fails with SESSION_REPLACED when another registration came in between.
     */
    public String issue(String delegateId, String sessionId) {
        String secret = Secrets.generate(PREFIX);
        if (!store.bind(delegateId, sessionId, Secrets.hash(secret))) {
            throw DomainProblem.conflict(
                    ProblemCodes.SESSION_REPLACED,
                    "Another registration of this delegate came in at the same moment and replaced this one.");
        }
        return secret;
    }

    /** The session a credential belongs to, in this account; SESSION_INVALID (401) otherwise. */
    public SessionCredential authenticate(String accountId, String secret) {
        if (accountId == null || accountId.isBlank()) {
            throw DomainProblem.unauthorized(
                    "Send the account id in the X-OpenDelegate-Account header (ACCOUNT_ID on the delegate).");
        }
        if (secret == null || secret.isBlank()) {
            throw invalid("Send the session credential from the registration answer as `Authorization: Bearer "
                    + "<sessionToken>`.");
        }
        SessionOwner owner = cache.find(secret, this::stillAsStored)
                .filter(o -> o.accountId().equals(accountId))
                .orElseThrow(() -> invalid("The session credential is not valid in account `" + accountId
                        + "` (the session was replaced or the Manager lost it): register again."));
        return new SessionCredential(
                owner.accountId(), owner.delegateId(), owner.sessionId(), owner.tokenId(), owner.replaced());
    }

    // A replaced credential stays replaced; a current one stays so while its session is the delegate's current one.
    private boolean stillAsStored(SessionOwner owner) {
        return owner.replaced() || currentSessionOf.apply(owner.delegateId()).equals(Optional.of(owner.sessionId()));
    }

    /** A refused session credential: 401 with SESSION_INVALID. */
    public static DomainProblem invalid(String detail) {
        return new DomainProblem(ProblemKind.UNAUTHORIZED, "Session invalid", ProblemCodes.SESSION_INVALID, detail);
    }

    private static void noUseRecord(String delegateId, Instant at) {
        // A session's use is its heartbeat, recorded by DelegateSessions.
    }
}
