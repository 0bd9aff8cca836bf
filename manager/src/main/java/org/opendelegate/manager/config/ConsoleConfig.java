package org.opendelegate.manager.config;

import java.time.Duration;

/**
 * How web console sessions behave.
 *
 * @param sessionIdleTimeout a session nobody used for this long ends
 * @param sessionMaxAge a session ends this long after sign-in, however active it is
 */
public record ConsoleConfig(Duration sessionIdleTimeout, Duration sessionMaxAge) {
    /** Sign in again at least every working day. */
    public static final Duration MAX_SESSION_AGE = Duration.ofHours(12);
}
