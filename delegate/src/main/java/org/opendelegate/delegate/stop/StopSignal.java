package org.opendelegate.delegate.stop;

import java.util.concurrent.CountDownLatch;

/**
 * The one place where "the delegate must stop" is said: by the SIGTERM hook, or by a loop that met a
 * fatal answer (token revoked, session replaced). The first reason wins; later ones are ignored so
 * that the exit code names what started the shutdown.
 */
public final class StopSignal {
    private final CountDownLatch requested = new CountDownLatch(1);
    private volatile ExitCode exitCode;
    private volatile String reason;

    /** Asks the delegate to stop; true when this was the first request. */
    public synchronized boolean request(ExitCode code, String why) {
        if (exitCode != null) {
            return false;
        }
        exitCode = code;
        reason = why;
        requested.countDown();
        return true;
    }

    /** True once a stop was requested. */
    public boolean isRequested() {
        return exitCode != null;
    }

    /** Blocks until a stop is requested; returns its exit code. */
    public ExitCode await() throws InterruptedException {
        requested.await();
        return exitCode;
    }

    /** The exit code of the first request, or null. */
    public ExitCode exitCode() {
        return exitCode;
    }

    /** Why the delegate stops, e.g. "SIGTERM", or null. */
    public String reason() {
        return reason;
    }
}
