package org.opendelegate.protocol;

/** Task types every delegate supports, used to prove the channel end to end. */
public final class TaskTypes {
    /** Returns its payload as its result. */
    public static final String ECHO = "echo";
    /** Sleeps {@code {"seconds": n}} and can be cancelled. */
    public static final String SLEEP = "sleep";
    /**
     * Runs a shell script on the delegate (payload: {@code script}, {@code shell}, {@code env}, {@code secrets},
     * {@code workingDirectory}, {@code cancelGraceSeconds}). A delegate started with
     * {@code DELEGATE_ALLOW_SCRIPTS=false} does not advertise it.
     */
    public static final String SHELL_SCRIPT = "shell.script";

    private TaskTypes() {}
}
