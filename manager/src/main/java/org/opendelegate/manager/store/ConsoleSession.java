package org.opendelegate.manager.store;

import java.time.Instant;

/**
 * A signed-in browser, as stored: the hash of the cookie's id, never the id itself.
 *
 * @param expiresAt the absolute end of the session, however active it is
 */
public record ConsoleSession(
        String idHash, String userId, String csrfToken, Instant createdAt, Instant lastSeenAt, Instant expiresAt) {}
