package org.opendelegate.manager.delegates;

import java.time.Instant;
import java.util.List;

/**
 * A delegate group as the API and the console show it.
 *
 * @param delegates the members, only in single-group answers (null in lists)
 */
public record GroupView(
        String id,
        String name,
        List<String> selectors,
        int delegateCount,
        int connectedCount,
        Instant createdAt,
        Instant updatedAt,
        List<DelegateView> delegates) {
}
