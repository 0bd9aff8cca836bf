package org.opendelegate.delegate.run;

/** Why a running task was interrupted. */
public enum StopReason {
    /** The Manager asked for it; reported as CANCELLED. */
    CANCELLED,
    /** It ran past its timeout; reported as TIMED_OUT. */
    TIMED_OUT,
    /** This delegate no longer holds its lease; the result is dropped, never sent. */
    LEASE_LOST,
    /** The delegate shut down before it finished; reported as FAILED, kind CAPABILITY. */
    SHUTDOWN
}
