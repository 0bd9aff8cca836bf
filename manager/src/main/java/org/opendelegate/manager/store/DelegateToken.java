package org.opendelegate.manager.store;

import java.time.Instant;
import org.jdbi.v3.core.mapper.reflect.JdbiConstructor;

/**
 * A named, revocable delegate token. Only a hash of the secret is stored.
 *
 * @param groupId the group the token is bound to, or null for any group
 * @param expiresAt when the token stops admitting delegates and their sessions end; null: never
 * @param maxDelegates how many delegates registered with the token may be connected at once; null: any
 * @param singleUse true when the token admits exactly one registration
 * @param usedAt when a single-use token admitted its registration; null while unused
 * @param usedBy the id of the delegate a single-use token admitted
 * @param replacedBy the id of the token this one was rotated to; null when not rotated
 * @param replaces the id of the token this one was rotated from; null for a token created anew
 */
public record DelegateToken(
        String id,
        String accountId,
        String name,
        String groupId,
        String createdBy,
        Instant createdAt,
        Instant lastUsedAt,
        Instant revokedAt,
        Instant expiresAt,
        Integer maxDelegates,
        boolean singleUse,
        Instant usedAt,
        String usedBy,
        String replacedBy,
        String replaces) {

    /** The row as the store holds it. */
    @JdbiConstructor
    public DelegateToken {}

    /** A multi-use token without expiry or limit, as tokens were before their lifecycle settings. */
    public DelegateToken(
            String id,
            String accountId,
            String name,
            String groupId,
            String createdBy,
            Instant createdAt,
            Instant lastUsedAt,
            Instant revokedAt) {
        this(
                id,
                accountId,
                name,
                groupId,
                createdBy,
                createdAt,
                lastUsedAt,
                revokedAt,
                null,
                null,
                false,
                null,
                null,
                null,
                null);
    }

    public boolean revoked() {
        return revokedAt != null;
    }

    /** True once the expiry time has come. */
    public boolean expired(Instant now) {
        return expiresAt != null && !now.isBefore(expiresAt);
    }

    /** True when a single-use token already admitted its registration. */
    public boolean used() {
        return usedAt != null;
    }
}
