package org.opendelegate.protocol;

/**
 * Every path a delegate calls on the Manager, in one place. The delegate is always the client:
 * nothing here is ever called by the Manager.
 *
 * <p>A registration is authenticated with {@code Authorization: Bearer <delegate token>} (or the session
 * credential of the same delegate, to re-register it); every later call with {@code Authorization: Bearer
 * <session token>} from the registration answer. Every call names the account in {@link #ACCOUNT_HEADER}.
 */
public final class DelegateApiPaths {
    /** Root of the delegate-facing API. */
    public static final String ROOT = "/api/delegate/v1";
    /** The header that names the account a delegate belongs to. */
    public static final String ACCOUNT_HEADER = "X-OpenDelegate-Account";

    /** POST {@link RegisterRequest} → {@link RegisterResponse}. */
    public static final String REGISTER = ROOT + "/register";
    /** POST {@link HeartbeatRequest} → {@link HeartbeatResponse}. */
    public static final String HEARTBEAT = ROOT + "/heartbeat";
    /** POST {@link PollRequest} → {@link PollResponse}; a long poll that takes leases on tasks. */
    public static final String POLL = ROOT + "/poll";
    /** POST {@link TaskProgress} → {@link TaskProgressResponse}; log lines that also renew the lease. */
    public static final String TASK_PROGRESS = ROOT + "/tasks/{taskId}/progress";
    /** POST {@link OutcomeReport} → {@link OutcomeReportResponse}; closes the leases of finished tasks. */
    public static final String OUTCOMES = ROOT + "/outcomes";
    /** POST {@link ProfileRunReport} → {@link ProfileRunResponse}; how a profile script run goes. */
    public static final String PROFILE_RUN = ROOT + "/profile-run";
    /** POST {@link DeregisterRequest}; a graceful goodbye. */
    public static final String DEREGISTER = ROOT + "/deregister";

    private DelegateApiPaths() {}

    /** The progress path for one task. */
    public static String taskProgress(String taskId) {
        return TASK_PROGRESS.replace("{taskId}", taskId);
    }
}
