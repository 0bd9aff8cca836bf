package org.opendelegate.manager.dispatch;

import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import org.opendelegate.manager.delegates.ResolvedDelegate;
import org.opendelegate.protocol.PollResponse;

/** A delegate's poll waiting for work on this replica; {@link ParkedPolls} keeps it and answers it. */
final class ParkedPoll {
    final ResolvedDelegate delegate;
    final String sessionId;
    final int freeSlots;
    final Instant deadline;
    final CompletableFuture<PollResponse> future = new CompletableFuture<>();
    volatile ScheduledFuture<?> timeout;

    ParkedPoll(ResolvedDelegate delegate, String sessionId, int freeSlots, Instant deadline) {
        this.delegate = delegate;
        this.sessionId = sessionId;
        this.freeSlots = freeSlots;
        this.deadline = deadline;
    }

    boolean asksForWork() {
        return freeSlots > 0;
    }

    /** Completes the poll; only its {@link ParkedPolls} calls this, after taking it. */
    void answer(PollResponse response) {
        ScheduledFuture<?> t = timeout;
        if (t != null) {
            t.cancel(false);
        }
        future.complete(response);
    }
}
