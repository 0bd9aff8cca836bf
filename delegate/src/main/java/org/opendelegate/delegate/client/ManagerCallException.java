package org.opendelegate.delegate.client;

import java.time.Duration;
import org.opendelegate.protocol.Problem;

/** A Manager call that did not succeed, already classified. */
public final class ManagerCallException extends Exception {
    private final FailureKind kind;
    private final int status;
    private final transient Problem problem;
    private final Duration retryAfter;

    private final String answer;

    ManagerCallException(FailureKind kind, String description, String answer, int status, Problem problem,
            Duration retryAfter, Throwable cause) {
        super(description, cause, false, false);
        this.answer = answer;
        this.kind = kind;
        this.status = status;
        this.problem = problem;
        this.retryAfter = retryAfter;
    }

    /** What the failure means for the delegate. */
    public FailureKind kind() {
        return kind;
    }

    /** The HTTP status, or 0 when no answer came. */
    public int status() {
        return status;
    }

    /** The Manager's problem body, or null. */
    public Problem problem() {
        return problem;
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
