package org.opendelegate.manager.store;

import java.time.Instant;
import java.util.List;

/** A delegate group: the stable identity of a set of delegates, with the selectors they share. */
public record DelegateGroup(String id, String accountId, String name, List<String> selectors, Instant createdAt,
        Instant updatedAt) {
}
