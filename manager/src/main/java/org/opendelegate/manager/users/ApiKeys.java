package org.opendelegate.manager.users;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.opendelegate.manager.problems.DomainProblem;
import org.opendelegate.manager.security.CredentialCache;
import org.opendelegate.manager.security.Principal;
import org.opendelegate.manager.security.Secrets;
import org.opendelegate.manager.store.ApiKey;
import org.opendelegate.manager.store.ApiKeyDao;
import org.opendelegate.manager.store.AuditDao;
import org.opendelegate.manager.store.ConsoleUser;
import org.opendelegate.manager.store.UserDao;

/**
 * API keys: who a call to the REST API is, by the key it presents; and a user's keys, which an admin
 * creates and revokes. A key of a user acts with that user's current role and stops the moment the user
 * is disabled or deleted: the user is read from the store on every call (by primary key), not cached.
 */
public final class ApiKeys {
    static final String NAME_RULE =
            "1 to 64 characters: letters, digits, '.', '_' or '-', starting with a letter or digit";
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    private final ApiKeyDao keys;
    private final UserDao users;
    private final AuditDao audit;
    private final Clock clock;
    private final CredentialCache<ApiKey> cache;

    public ApiKeys(ApiKeyDao keys, UserDao users, AuditDao audit, Clock clock) {
        this.keys = keys;
        this.users = users;
        this.audit = audit;
        this.clock = clock;
        this.cache = new CredentialCache<>(clock, CredentialCache.LOOKUP_TTL, 10_000, keys::findByHash, keys::touch);
    }

    /** The principal of a valid, unrevoked API key whose user (if any) is enabled; empty for any other secret. */
    public Optional<Principal> authenticate(String secret) {
        Optional<ApiKey> key = cache.find(secret).filter(k -> k.revokedAt() == null);
        if (key.isEmpty()) {
            return Optional.empty();
        }
        ApiKey k = key.get();
        Optional<Principal> principal = k.userId() == null
                ? Optional.of(new Principal(k.accountId(), "api-key:" + k.name(), k.role()))
                : users.findById(k.userId())
                        .filter(ConsoleUser::active)
                        .map(u -> new Principal(k.accountId(), "api-key:" + k.name(), u.role()));
        principal.ifPresent(p -> cache.used(k.id(), k.lastUsedAt()));
        return principal;
    }

    /** A user's keys, revoked ones too (admin only); never a secret. */
    public List<ApiKeyView> list(Principal principal, String userId) {
        principal.requireAdmin();
        ConsoleUser user = user(principal, userId);
        return keys.listForUser(user.id()).stream()
                .map(k -> ApiKeyView.of(k, null))
                .toList();
    }

    /** Creates a key for a user (admin only); the answer carries the secret, shown this once. */
    public ApiKeyView create(Principal principal, String userId, String name) {
        principal.requireAdmin();
        ConsoleUser user = user(principal, userId);
        if (name == null || !NAME.matcher(name).matches()) {
            throw DomainProblem.invalidField("name", "(\"" + name + "\") must be " + NAME_RULE + ".");
        }
        String secret = Secrets.generate("odk_");
        Instant now = clock.instant();
        ApiKey key = new ApiKey(Secrets.newId(), principal.accountId(), name, user.role(), now, null, null, user.id());
        keys.insert(key, Secrets.hash(secret));
        audit.record(
                principal.accountId(),
                now,
                principal.actor(),
                "api-key.created",
                "api-key",
                key.id(),
                "name=" + name + " user=" + user.username());
        return ApiKeyView.of(key, secret);
    }

    /** Revokes a user's key (admin only); it stops at once on this replica, within seconds on others. */
    public ApiKeyView revoke(Principal principal, String userId, String keyId) {
        principal.requireAdmin();
        ConsoleUser user = user(principal, userId);
        ApiKey key = keys.find(principal.accountId(), keyId)
                .filter(k -> user.id().equals(k.userId()))
                .orElseThrow(() -> DomainProblem.notFound("API key", keyId));
        Instant now = clock.instant();
        if (keys.revoke(principal.accountId(), keyId, now)) {
            cache.forget();
            audit.record(
                    principal.accountId(),
                    now,
                    principal.actor(),
                    "api-key.revoked",
                    "api-key",
                    keyId,
                    "name=" + key.name() + " user=" + user.username());
        }
        return ApiKeyView.of(keys.find(principal.accountId(), keyId).orElseThrow(), null);
    }

    private ConsoleUser user(Principal principal, String userId) {
        return users.find(principal.accountId(), userId).orElseThrow(() -> DomainProblem.notFound("user", userId));
    }
}
