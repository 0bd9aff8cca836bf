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
