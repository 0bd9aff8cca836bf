package org.opendelegate.manager.dispatch;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.opendelegate.manager.delegates.ResolvedDelegate;
import org.opendelegate.protocol.PollResponse;
import org.opendelegate.protocol.TaskAssignment;

/**
 * The polls waiting on this replica, at most one per delegate, and the cancellations each delegate has
 * yet to hear. Whoever removes a poll from here answers it; a poll nobody took is answered empty when its
 * wait runs out.
 */
final class ParkedPolls implements AutoCloseable {
    private static final PollResponse EMPTY = new PollResponse(List.of(), List.of());

    private final Duration pollWait;
    private final Clock clock;
    private final ScheduledExecutorService timer;
    private final Map<String, ParkedPoll> parked = new ConcurrentHashMap<>();
    private final Map<String, Set<String>> pendingCancels = new ConcurrentHashMap<>();

    ParkedPolls(Duration pollWait, Clock clock) {
        this.pollWait = pollWait;
        this.clock = clock;
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = Executors.defaultThreadFactory().newThread(r);
            t.setName("poll-timeouts");
            t.setDaemon(true);
            return t;
        });
        executor.setRemoveOnCancelPolicy(true);
        this.timer = executor;
    }

    /**
     * Parks a poll until it is answered or its wait runs out; a poll the delegate parked before is answered
     * empty. Throws {@link RejectedExecutionException} when the Manager is shutting down.
     */
    ParkedPoll park(ResolvedDelegate delegate, String sessionId, int freeSlots) {
        ParkedPoll poll =
                new ParkedPoll(delegate, sessionId, freeSlots, clock.instant().plus(pollWait));
        ParkedPoll previous = parked.put(delegate.id(), poll);
        if (previous != null) {
            previous.answer(EMPTY);
        }
        try {
            poll.timeout = timer.schedule(() -> answerEmpty(poll), pollWait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException stopping) {
            parked.remove(delegate.id(), poll);
            throw stopping;
        }
        return poll;
    }

    /** The delegate's parked poll, or null; it stays parked. */
    ParkedPoll peek(String delegateId) {
        return parked.get(delegateId);
    }

    /** Takes this very poll to answer it; false when someone else took it or the delegate polled again. */
    boolean take(ParkedPoll poll) {
        return parked.remove(poll.delegate.id(), poll);
    }

    /** Puts a taken poll back while its wait lasts, unless the delegate parked a newer one; else answers it. */
    void putBack(ParkedPoll poll) {
        if (clock.instant().isBefore(poll.deadline)) {
            ParkedPoll previous = parked.putIfAbsent(poll.delegate.id(), poll);
            if (previous != null && previous != poll) {
                poll.answer(EMPTY);
            }
        } else {
            poll.answer(EMPTY);
        }
    }

    /** Answers a taken poll with work, and with the cancellations its delegate has yet to hear. */
    void answer(ParkedPoll poll, List<TaskAssignment> assigned) {
        poll.answer(new PollResponse(assigned, drainCancels(poll.delegate.id())));
    }

    /** Answers the poll empty if it is still parked. */
    void answerEmpty(ParkedPoll poll) {
        if (take(poll)) {
            poll.answer(EMPTY);
        }
    }

    /** Answers the delegate's parked poll empty, if any. */
    void drop(String delegateId) {
        ParkedPoll poll = parked.remove(delegateId);
        if (poll != null) {
            poll.answer(EMPTY);
        }
    }

    boolean isParked(String delegateId) {
        return parked.containsKey(delegateId);
    }

    /** True when some delegate of the account has a parked poll that asks for work. */
    boolean anyAsking(String accountId) {
        for (ParkedPoll p : parked.values()) {
            if (p.asksForWork() && p.delegate.accountId().equals(accountId)) {
                return true;
            }
        }
        return false;
    }

    /** The polls that ask for work now. */
    List<ParkedPoll> asking() {
        return parked.values().stream().filter(ParkedPoll::asksForWork).toList();
    }

    /** Queues a cancellation for the delegate; a parked poll hears it at once, else its next call. */
    void cancel(String delegateId, String taskId) {
        pendingCancels
                .computeIfAbsent(delegateId, d -> ConcurrentHashMap.newKeySet())
                .add(taskId);
        ParkedPoll poll = parked.remove(delegateId);
        if (poll != null) {
            answer(poll, List.of());
        }
    }

    /** Cancellations waiting for a delegate; each is handed out once. */
    List<String> drainCancels(String delegateId) {
        Set<String> pending = pendingCancels.remove(delegateId);
        return pending == null ? List.of() : List.copyOf(pending);
    }

    /** Answers every parked poll empty (the replica lost its store, or is stopping). */
    void dropAll() {
        for (String id : new ArrayList<>(parked.keySet())) {
            drop(id);
        }
    }

    /** Answers every parked poll empty and stops the timer, for shutdown. */
    @Override
    public void close() {
        dropAll();
        timer.shutdownNow();
    }
}
