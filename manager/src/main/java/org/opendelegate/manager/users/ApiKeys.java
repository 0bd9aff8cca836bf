package org.opendelegate.manager.users;

import java.time.Clock;
import java.util.Optional;
import org.opendelegate.manager.security.CredentialCache;
import org.opendelegate.manager.security.Principal;
import org.opendelegate.manager.store.ApiKey;
import org.opendelegate.manager.store.ApiKeyDao;

/** API keys: who a call to the REST API is, by the key it presents. */
public final class ApiKeys {
    private final CredentialCache<ApiKey> cache;

    public ApiKeys(ApiKeyDao keys, Clock clock) {
        this.cache = new CredentialCache<>(clock, 10_000, keys::findByHash, keys::touch);
    }

    /** The principal of a valid, unrevoked API key; empty for any other secret. */
    public Optional<Principal> authenticate(String secret) {
        Optional<ApiKey> key = cache.find(secret).filter(k -> k.revokedAt() == null);
        key.ifPresent(k -> cache.used(k.id(), k.lastUsedAt()));
        return key.map(k -> new Principal(k.accountId(), "api-key:" + k.name(), k.role()));
    }
}
