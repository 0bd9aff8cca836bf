package org.opendelegate.manager.store;

import java.time.Instant;

/**
 * A delegate profile with its current version.
 *
 * @param current the version delegates apply now
 */
public record DelegateProfile(
        String id, String accountId, String createdBy, Instant createdAt, Instant updatedAt, ProfileVersion current) {

    /** The name of the default profile, which every account has. */
    public static final String PRIMARY = "Primary";

    /** The id of an account's Primary profile: fixed, so every replica creates the same one. */
    public static String primaryId(String accountId) {
        return "primary-" + accountId;
    }

    public String name() {
        return current.name();
    }

    public int version() {
        return current.version();
    }

    public boolean isPrimary() {
        return id.equals(primaryId(accountId));
    }
}
