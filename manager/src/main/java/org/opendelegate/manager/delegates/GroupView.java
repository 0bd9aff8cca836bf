package org.opendelegate.manager.delegates;

import java.time.Instant;
import java.util.List;
import org.opendelegate.manager.store.GroupScopes;

/**
 * A delegate group as the API and the console show it.
 *
 * @param scopes which tasks the group takes, by the task's scope target
 * @param delegates the members, only in single-group answers (null in lists)
 */
public record GroupView(
        String id,
        String name,
        List<String> selectors,
        GroupScopes scopes,
        int delegateCount,
        int connectedCount,
        Instant createdAt,
        Instant updatedAt,
        List<DelegateView> delegates) {}
