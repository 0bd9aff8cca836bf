package org.opendelegate.protocol;

/** Task types every delegate supports, used to prove the channel end to end. */
public final class TaskTypes {
    /** Returns its payload as its result. */
    public static final String ECHO = "echo";
    /** Sleeps {@code {"seconds": n}} and can be cancelled. */
    public static final String SLEEP = "sleep";

    private TaskTypes() {}
}
