package org.opendelegate.manager.dispatch;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import org.opendelegate.manager.store.Task;

/**
 * This replica's index of queued tasks, oldest first per account, so a poll finds work without a query.
 * The store stays authoritative: claiming is a compare-and-set there, and {@link #sync} folds in what
 * other replicas queued or took.
 */
final class QueuedTasks {
    private record Key(Instant createdAt, String id) {}

    private static final Comparator<Key> ORDER =
            Comparator.comparing(Key::createdAt).thenComparing(Key::id);

    private final Map<String, ConcurrentSkipListMap<Key, Task>> byAccount = new ConcurrentHashMap<>();
    private final Map<String, Key> keys = new ConcurrentHashMap<>();
    private final Map<String, Entered> enqueuedAt = new ConcurrentHashMap<>();

    /**
     * When a task entered the queue, and after which lease: a task leased and queued again (by another replica,
     * between two of this replica's looks at the store) carries a higher fencing token, and its wait starts
     * again.
     */
    private record Entered(long fencingToken, Instant at) {}

    /**
     * Tasks this replica took out of the queue (to lease or to end them) since the last sync but one, with the
     * lease generation they were taken in. A read of the store that began before such a task's write committed
     * still shows it queued; that read must not put it back, or the next poll would pick a task already taken
     * and fail its claim.
     */
    private final Map<String, Taken> taken = new ConcurrentHashMap<>();

    private record Taken(long fencingToken, long syncRound) {}

    /** How many syncs ran; only the sweeper's thread changes it. */
    private volatile long syncRound;

    /**
     * Adds or refreshes a task; {@code at} is when it (re-)entered the queue, kept if already known for the same
     * lease generation.
     */
    void add(Task task, Instant at) {
        Key key = new Key(task.createdAt(), task.id());
        keys.put(task.id(), key);
        enqueuedAt.merge(
                task.id(),
                new Entered(task.fencingToken(), at),
                (known, now) -> now.fencingToken() > known.fencingToken() ? now : known);
        byAccount
                .computeIfAbsent(task.accountId(), a -> new ConcurrentSkipListMap<>(ORDER))
                .put(key, task);
    }

    void remove(Task task) {
        enqueuedAt.remove(task.id());
        take(task);
    }

    /**
     * Takes a task out of the queue for this caller alone, so that polls running at once pick different
     * tasks instead of racing for the same ones in the store: false when another caller took it first.
     * A caller whose lease then fails puts the task back (if the store still has it queued).
     */
    boolean take(Task task) {
        Key key = keys.remove(task.id());
        if (key == null) {
            return false;
        }
        taken.put(task.id(), new Taken(task.fencingToken(), syncRound));
        ConcurrentSkipListMap<Key, Task> queue = byAccount.get(task.accountId());
        if (queue != null) {
            queue.remove(key);
        }
        return true;
    }

    /** The oldest queued tasks of an account, at most {@code limit}. */
    List<Task> oldest(String accountId, int limit) {
        ConcurrentSkipListMap<Key, Task> queue = byAccount.get(accountId);
        List<Task> result = new ArrayList<>();
        if (queue != null) {
            for (Task t : queue.values()) {
                if (result.size() >= limit) {
                    break;
                }
                result.add(t);
            }
        }
        return result;
    }

    /** Every queued task this replica knows, oldest first per account. */
    List<Task> all() {
        List<Task> result = new ArrayList<>();
        byAccount.values().forEach(q -> result.addAll(q.values()));
        return result;
    }

    /** When the task last entered the queue, as this replica saw it. */
    Instant enqueuedAt(String taskId, Instant fallback) {
        Entered entered = enqueuedAt.get(taskId);
        return entered == null ? fallback : entered.at();
    }

    int size() {
        return keys.size();
    }

    /**
     * Folds in the store's view of queued tasks, read after {@code readAt}: adds what is missing, and drops
     * tasks that entered this queue before the read began and that the store no longer has queued. A task that
     * entered after {@code readAt} is kept, however old: its row may have been committed after the read looked
     * (a submission's insert, a requeue), so the read says nothing about it. When the read stopped at its row
     * limit ({@code complete} false), only tasks created before the last row read can be judged: younger ones are
     * kept. A task this replica took in the same lease generation is not put back: the read may predate its write.
     */
    void sync(List<Task> queuedInStore, boolean complete, Instant readAt) {
        Set<String> inStore = new HashSet<>();
        for (Task t : queuedInStore) {
            inStore.add(t.id());
            Taken here = taken.get(t.id());
            if (here != null && here.fencingToken() >= t.fencingToken()) {
                continue;
            }
            Entered known = enqueuedAt.get(t.id());
            if (!keys.containsKey(t.id()) || known == null || known.fencingToken() < t.fencingToken()) {
                add(t, readAt);
            }
        }
        Instant seenUpTo = complete || queuedInStore.isEmpty()
                ? readAt
                : queuedInStore.get(queuedInStore.size() - 1).createdAt();
        for (Task t : all()) {
            if (!inStore.contains(t.id())
                    && t.createdAt().isBefore(seenUpTo)
                    && enqueuedAt(t.id(), readAt).isBefore(readAt)) {
                remove(t);
            }
        }
        // A task taken before the last sync was written before this read began: later reads see the truth.
        long round = syncRound;
        taken.values().removeIf(r -> r.syncRound() < round);
        syncRound = round + 1;
    }
}
