package org.opendelegate.delegate.stop;

/**
 * How the delegate process ends. ECS shows the code of a stopped task, so each reason has its own.
 */
public enum ExitCode {
    /** A graceful stop (SIGTERM): work drained, outcomes reported, deregistered. */
    OK(0),
    /** A bug: something the delegate did not expect. The log has the stack trace. */
    INTERNAL_ERROR(1),
    /** The settings are invalid (or the Manager rejected the registration as invalid). */
    CONFIG(2),
    /** The Manager refused the delegate token, at start or later (revoked). */
    UNAUTHORIZED(3),
    /** Another process registered with the same identity and replaced this one. */
    REPLACED(4);

    private final int code;

    ExitCode(int code) {
        this.code = code;
    }

    /** True when the Manager still takes calls from this delegate, so outcomes can be reported on the way out. */
    public boolean managerStillAccepts() {
        return this == OK || this == INTERNAL_ERROR;
    }

    /** The process exit status. */
    public int code() {
        return code;
    }
}
