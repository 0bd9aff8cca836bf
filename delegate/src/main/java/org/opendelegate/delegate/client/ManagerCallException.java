package org.opendelegate.delegate.client;

import java.time.Duration;

/** A Manager call that did not succeed, already classified. */
public final class ManagerCallException extends Exception {
    private final FailureKind kind;
    private final String answer;
    private final Duration retryAfter;

    ManagerCallException(FailureKind kind, String description, String answer, Duration retryAfter, Throwable cause) {
        super(description, cause, false, false);
        this.kind = kind;
        this.answer = answer;
        this.retryAfter = retryAfter;
    }

    /** What the failure means for the delegate. */
    public FailureKind kind() {
        return kind;
    }

    /** The Manager's Retry-After, or {@link Duration#ZERO}. */
    public Duration retryAfter() {
        return retryAfter;
    }

    /** The bare answer, e.g. "HTTP 401: unknown token" or "connection refused", for composing messages. */
    public String answer() {
        return answer;
    }

    /** What happened, for a person, e.g. "Manager unreachable (connection refused)". */
    public String describe() {
        return getMessage();
    }
}
