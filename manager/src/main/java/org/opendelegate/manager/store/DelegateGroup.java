package org.opendelegate.manager.store;

import java.time.Instant;
import java.util.List;

/**
 * A delegate group: the stable identity of a set of delegates, with the selectors they share.
 *
 * @param locked true when only tokens bound to this group may register delegates into it (groups an
 *     installer download or an admin created); false for groups a delegate's registration created
 */
public record DelegateGroup(
        String id,
        String accountId,
        String name,
        List<String> selectors,
        GroupScopes scopes,
        boolean locked,
        Instant createdAt,
        Instant updatedAt) {

    /** The same group with other selectors. */
    public DelegateGroup withSelectors(List<String> newSelectors, Instant at) {
        return new DelegateGroup(id, accountId, name, newSelectors, scopes, locked, createdAt, at);
    }

    /** The same group with other scopes. */
    public DelegateGroup withScopes(GroupScopes newScopes, Instant at) {
        return new DelegateGroup(id, accountId, name, selectors, newScopes, locked, createdAt, at);
    }

    /** The same group locked or unlocked. */
    public DelegateGroup withLocked(boolean newLocked, Instant at) {
        return new DelegateGroup(id, accountId, name, selectors, scopes, newLocked, createdAt, at);
    }
}
