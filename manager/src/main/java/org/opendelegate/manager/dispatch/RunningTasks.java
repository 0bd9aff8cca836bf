package org.opendelegate.manager.dispatch;

import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The tasks each delegate runs, as this replica knows them: added when a lease is taken here, removed
 * when an outcome arrives, and reset from every heartbeat, which carries the delegate's own list.
 */
final class RunningTasks {
    private final Map<String, Set<String>> byDelegate = new ConcurrentHashMap<>();

    void add(String delegateId, String taskId) {
        byDelegate
                .computeIfAbsent(delegateId, d -> ConcurrentHashMap.newKeySet())
                .add(taskId);
    }

    void remove(String delegateId, String taskId) {
        if (delegateId == null) {
            return;
        }
        Set<String> tasks = byDelegate.get(delegateId);
        if (tasks != null) {
            tasks.remove(taskId);
        }
    }

    void reset(String delegateId, Collection<String> taskIds) {
        Set<String> tasks = ConcurrentHashMap.newKeySet();
        tasks.addAll(taskIds);
        byDelegate.put(delegateId, tasks);
    }

    int count(String delegateId) {
        Set<String> tasks = byDelegate.get(delegateId);
        return tasks == null ? 0 : tasks.size();
    }
}
