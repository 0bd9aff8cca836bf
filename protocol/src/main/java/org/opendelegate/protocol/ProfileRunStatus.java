package org.opendelegate.protocol;

/** How a run of a delegate profile's script stands. */
public enum ProfileRunStatus {
    /** Started and not finished yet. */
    RUNNING,
    /** The script exited with code 0. */
    SUCCEEDED,
    /** The script exited with another code, or could not be started. */
    FAILED,
    /** The script ran past its timeout and was killed with its process group. */
    TIMED_OUT;

    /** True once the run has ended. */
    public boolean isFinal() {
        return this != RUNNING;
    }
}
