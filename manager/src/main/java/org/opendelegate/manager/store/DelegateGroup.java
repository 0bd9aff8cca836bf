package org.opendelegate.manager.store;

import java.time.Instant;
import java.util.List;

/** A delegate group: the stable identity of a set of delegates, with the selectors they share. */
public record DelegateGroup(
        String id,
        String accountId,
        String name,
        List<String> selectors,
        GroupScopes scopes,
        Instant createdAt,
        Instant updatedAt) {

    /** The same group with other selectors. */
    public DelegateGroup withSelectors(List<String> newSelectors, Instant at) {
        return new DelegateGroup(id, accountId, name, newSelectors, scopes, createdAt, at);
    }

    /** The same group with other scopes. */
    public DelegateGroup withScopes(GroupScopes newScopes, Instant at) {
        return new DelegateGroup(id, accountId, name, selectors, newScopes, createdAt, at);
    }
}
