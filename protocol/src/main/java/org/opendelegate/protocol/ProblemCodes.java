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
    /** The delegate token expired (or its rotation grace period ended): register with its successor. */
    public static final String TOKEN_EXPIRED = "TOKEN_EXPIRED";
    /** The single-use delegate token was already used by a registration; it admits no other. */
    public static final String TOKEN_ALREADY_USED = "TOKEN_ALREADY_USED";
    /** The delegate token's limit of connected delegates is reached; this one is not admitted. */
    public static final String TOKEN_LIMIT_REACHED = "TOKEN_LIMIT_REACHED";

    /** The delegate token behind this session was revoked: stop taking work and exit. */
    public static final String TOKEN_REVOKED = "TOKEN_REVOKED";
    /** The task is leased, but not to this session under this lease id: the call is refused. */
    public static final String LEASE_NOT_YOURS = "LEASE_NOT_YOURS";
    /** Another token's delegate is connected with this group and name; the identity cannot be taken over. */
    public static final String IDENTITY_IN_USE = "IDENTITY_IN_USE";
    /** The session credential is unknown, ended, or belongs to another delegate or session. */
    public static final String SESSION_INVALID = "SESSION_INVALID";

    /** The delegate group is locked: only tokens bound to it (or identities it trusts) may register into it. */
    public static final String GROUP_LOCKED = "GROUP_LOCKED";

    /** IAM registration: the AWS identity STS answered is not among the group's trusted identities. */
    public static final String IAM_IDENTITY_NOT_TRUSTED = "IAM_IDENTITY_NOT_TRUSTED";
    /** IAM registration: the signed request is malformed, or STS refused its signature. */
    public static final String IAM_SIGNATURE_INVALID = "IAM_SIGNATURE_INVALID";
    /** IAM registration: the signature is older than the Manager accepts (15 minutes). */
    public static final String IAM_SIGNATURE_STALE = "IAM_SIGNATURE_STALE";
    /** IAM registration: the signature names another Manager (a replay). */
    public static final String IAM_WRONG_MANAGER = "IAM_WRONG_MANAGER";
    /** IAM registration: the request was signed for an STS endpoint this Manager does not send to. */
    public static final String IAM_STS_ENDPOINT_NOT_TRUSTED = "IAM_STS_ENDPOINT_NOT_TRUSTED";

    private ProblemCodes() {}
}
