package org.opendelegate.manager.profiles;

import java.time.Instant;
import java.util.List;
import org.opendelegate.manager.delegates.DelegateView;

/**
 * A delegate profile as the API and the console show it.
 *
 * @param version the current version
 * @param script the current version's script; left out of lists
 * @param primary true for the account's default profile, which cannot be deleted or renamed
 * @param updatedBy who made the current version
 * @param usedBy the groups that set this profile and the delegates that apply it
 */
public record ProfileView(
        String id,
        String name,
        int version,
        String description,
        String script,
        List<String> selectors,
        boolean required,
        int timeoutSeconds,
        boolean primary,
        String createdBy,
        Instant createdAt,
        String updatedBy,
        Instant updatedAt,
        Usage usedBy) {

    /** Who uses a profile. */
    public record Usage(List<GroupRef> groups, List<DelegateRef> delegates) {
        /** How many of the delegates are connected. */
        public long connectedDelegates() {
            return delegates.stream()
                    .filter(d -> DelegateView.CONNECTED.equals(d.status()))
                    .count();
        }
    }

    /** A group that sets the profile for its delegates. */
    public record GroupRef(String id, String name) {}

    /**
     * A delegate that applies the profile, and how its run went.
     *
     * @param status {@code CONNECTED} or {@code DISCONNECTED}
     * @param profile the delegate's profile state
     */
    public record DelegateRef(String id, String name, String groupName, String status, DelegateView.Profile profile) {}
}
