package org.opendelegate.protocol;

/**
 * The {@link Problem#code()} values a delegate acts on. Others exist; these change the delegate's
 * behaviour.
 */
public final class ProblemCodes {
    /** The Manager does not know this delegate or session: register again. */
    public static final String UNKNOWN_SESSION = "UNKNOWN_SESSION";
    /** Another process registered with the same identity and took over; this one must stop. */
    public static final String SESSION_REPLACED = "SESSION_REPLACED";
    /** The lease on the task is gone (expired, rerouted or cancelled); stop the task, drop its result. */
    public static final String LEASE_LOST = "LEASE_LOST";
    /** The token, account or protocol version is not accepted; retrying will not help. */
    public static final String UNAUTHORIZED = "UNAUTHORIZED";
    /** The protocol version is not supported by this Manager. */
    public static final String UNSUPPORTED_PROTOCOL = "UNSUPPORTED_PROTOCOL";
    /** The request is malformed or invalid; the detail and field errors say why. */
    public static final String INVALID_REQUEST = "INVALID_REQUEST";

    /** The delegate group is locked: only tokens bound to it (or identities it trusts) may register into it. */
    public static final String GROUP_LOCKED = "GROUP_LOCKED";

    private ProblemCodes() {}
}
