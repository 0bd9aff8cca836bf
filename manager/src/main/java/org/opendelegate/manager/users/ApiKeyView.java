package org.opendelegate.manager.users;

import java.time.Instant;
import org.opendelegate.manager.store.ApiKey;

/**
 * An API key as the API shows it. The role is the one it had when created; a key of a user always acts
 * with the user's current role.
 *
 * @param key the secret: only in the answer that created it, null everywhere else
 */
public record ApiKeyView(
        String id, String name, String userId, Instant createdAt, Instant lastUsedAt, Instant revokedAt, String key) {

    static ApiKeyView of(ApiKey k, String secret) {
        return new ApiKeyView(k.id(), k.name(), k.userId(), k.createdAt(), k.lastUsedAt(), k.revokedAt(), secret);
    }
}
