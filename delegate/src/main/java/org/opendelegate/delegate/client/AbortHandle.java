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

    /** Aborts the call in flight, if any, and every call attached later. */
    public synchronized void abort() {
        aborted = true;
        if (current != null) {
            current.disconnect();
        }
    }

    /** True once {@link #abort()} was called. */
    public synchronized boolean isAborted() {
        return aborted;
    }

    synchronized void attach(HttpURLConnection connection) throws IOException {
        if (aborted) {
            throw new IOException("call aborted: the delegate is stopping");
        }
        current = connection;
    }

    synchronized void detach() {
        current = null;
    }
}
