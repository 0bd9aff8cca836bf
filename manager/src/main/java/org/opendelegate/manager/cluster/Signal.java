package org.opendelegate.manager.cluster;

/**
 * What one replica tells the others, each about one subject (an id). A signal only says "look again": the
 * store stays the truth, and a lost signal costs at most the wait until the next store poll.
 */
public enum Signal {
    /** A task (id) entered the queue: replicas with parked polls serve it without waiting for their store poll. */
    TASK_QUEUED,
    /** A task (id) reached a terminal state: sync submitters and followers waiting on other replicas answer. */
    TASK_ENDED,
    /** A running task's cancellation was asked for ({@code delegateId/taskId}): its parked poll hears it. */
    CANCEL_REQUESTED,
    /** Log lines of a task (id) were stored: followers on other replicas read them at once. */
    LOG_STORED,
    /** A delegate token (id) was revoked or rotated: replicas stop trusting their cached copy. */
    TOKEN_CHANGED,
    /** One delegate (id) was changed or removed by a person: replicas re-read it. */
    DELEGATE_CHANGED,
    /** Groups, selectors or profiles changed (subject unused): replicas reload their delegate directory. */
    DIRECTORY_CHANGED,
    /** A cloud provider (id) was edited or removed: replicas drop their cached lookups of it. */
    PROVIDER_CHANGED
}
