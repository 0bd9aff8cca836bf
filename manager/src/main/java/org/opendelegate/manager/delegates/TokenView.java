package org.opendelegate.manager.delegates;

import java.time.Instant;
import org.opendelegate.manager.store.DelegateToken;

/**
 * A delegate token as the API and the console show it. The secret appears only in the answer that
 * created it (or rotated to it).
 *
 * @param status {@code ACTIVE}, {@code REVOKED}, {@code EXPIRED}, or {@code USED} for a single-use token
 *     whose one registration happened (its delegate keeps its session)
 * @param expiresAt when the token stops admitting delegates and their sessions end; null: never
 * @param maxDelegates how many delegates registered with it may be connected at once; null: no limit
 * @param usedBy the id of the delegate a single-use token admitted
 * @param replacedBy the token this one was rotated to; it keeps working until {@code expiresAt}
 * @param replaces the token this one was rotated from
 * @param connectedDelegates how many delegates registered with this token are connected now
 * @param token the secret; only present right after creation or rotation
 */
public record TokenView(
        String id,
        String name,
        String groupId,
        String status,
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
        String replaces,
        int connectedDelegates,
        String token) {

    public static final String ACTIVE = "ACTIVE";
    public static final String REVOKED = "REVOKED";
    public static final String EXPIRED = "EXPIRED";
    public static final String USED = "USED";

    static TokenView of(DelegateToken t, Instant now, int connectedDelegates, String secret) {
        return new TokenView(
                t.id(),
                t.name(),
                t.groupId(),
                status(t, now),
                t.createdBy(),
                t.createdAt(),
                t.lastUsedAt(),
                t.revokedAt(),
                t.expiresAt(),
                t.maxDelegates(),
                t.singleUse(),
                t.usedAt(),
                t.usedBy(),
                t.replacedBy(),
                t.replaces(),
                connectedDelegates,
                secret);
    }

    /** True when the token still admits registrations. */
    public boolean active() {
        return ACTIVE.equals(status);
    }

    private static String status(DelegateToken t, Instant now) {
        if (t.revoked()) {
            return REVOKED;
        }
        if (t.expired(now)) {
            return EXPIRED;
        }
        return t.singleUse() && t.used() ? USED : ACTIVE;
    }
}
