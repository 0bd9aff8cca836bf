package org.opendelegate.manager.delegates;

import java.time.Instant;
import java.util.List;
import org.opendelegate.manager.store.GroupScopes;

/**
 * A delegate group as the API and the console show it.
 *
 * @param scopes which tasks the group takes, by the task's scope target
 * @param locked true when only tokens bound to the group may register delegates into it
 * @param delegates one page of the members (by name), only in single-group answers (null in lists)
 * @param nextCursor what to send as {@code cursor} for the next page of members; null (left out) on the last
 *     page and in lists
 */
public record GroupView(
        String id,
        String name,
        List<String> selectors,
        GroupScopes scopes,
        boolean locked,
        int delegateCount,
        int connectedCount,
        Instant createdAt,
        Instant updatedAt,
        List<DelegateView> delegates,
        String nextCursor) {}
