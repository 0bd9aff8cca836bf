package org.opendelegate.delegate.client;

import java.io.IOException;
import java.net.HttpURLConnection;

/**
 * Lets another thread abort a call in flight, which a blocking socket read otherwise ignores: the
 * shutdown uses it to end the long poll at once instead of waiting up to the poll wait.
 */
public final class AbortHandle {
    private HttpURLConnection current;
    private boolean aborted;
    private boolean cutPending;

    /** Aborts the call in flight, if any, and every call attached later. */
    public synchronized void abort() {
        aborted = true;
        if (current != null) {
            current.disconnect();
        }
    }

    /**
     * Cuts the call in flight without aborting later calls; when none is in flight yet, the next one to
     * attach is cut instead (until {@link #clearCut()}).
     */
    public synchronized void cut() {
        if (current == null) {
            cutPending = true;
        } else {
            current.disconnect();
        }
    }

    /** Forgets a cut that found no call in flight. */
    public synchronized void clearCut() {
        cutPending = false;
    }

    /** True once {@link #abort()} was called. */
    public synchronized boolean isAborted() {
        return aborted;
    }

    synchronized void attach(HttpURLConnection connection) throws IOException {
        if (aborted) {
            throw new IOException("call aborted: the delegate is stopping");
        }
        if (cutPending) {
            cutPending = false;
            throw new IOException("call cut: a task slot became free");
        }
        current = connection;
    }

    synchronized void detach() {
        current = null;
    }
}
