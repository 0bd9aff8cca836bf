package org.opendelegate.protocol;

/**
 * Why a task failed, as far as routing is concerned.
 */
public enum ErrorKind {
    /** The work itself failed (bad input, the target said no); another delegate would fail the same way. */
    TASK,
    /**
     * This delegate cannot do it (no credentials, tool missing, network unreachable); another delegate
     * might. The Manager avoids this delegate for the task's affinity key for a while.
     */
    CAPABILITY,
    /** The delegate does not know the task type. */
    UNSUPPORTED
}
