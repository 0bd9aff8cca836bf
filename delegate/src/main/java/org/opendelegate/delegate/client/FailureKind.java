package org.opendelegate.delegate.client;

/** What a failed Manager call means for the delegate; decided by {@link FailureClassifier} only. */
public enum FailureKind {
    /** The Manager is unreachable, busy or restarting: wait with backoff and try again. */
    RETRYABLE,
    /** The token, account or protocol version was refused (401/403): retrying will not help. */
    UNAUTHORIZED,
    /** The Manager does not know this session any more: register again, then carry on. */
    UNKNOWN_SESSION,
    /** Another process registered with the same identity and took over: stop. */
    SESSION_REPLACED,
    /** The lease on the task is gone: stop the task and drop its result. */
    LEASE_LOST,
    /** A single-use delegate token was already used: register again with the session credential instead. */
    TOKEN_ALREADY_USED,
    /** The Manager refused the request itself (other 4xx, redirects): sending it again will not help. */
    REJECTED
}
