package org.opendelegate.manager.security;

import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

/**
 * Opens the master key for this store: the first start seals a check value with it, every later start
 * opens that value, so a wrong key is refused at start with a clear line rather than at the first secret.
 */
public final class SecretStore {
    /** Where the check value is kept: the store implements it, so that security/ needs nothing above it. */
    public interface CheckValue {
        /** The sealed check value, once a start stored one. */
        Optional<String> sealed();

        /** Stores the check value unless another replica stored one first; returns the stored value. */
        String insertIfAbsent(String sealed, Instant at);
    }

    private static final String CHECK_PLAINTEXT = "opendelegate-master-key-check";
    private static final String CHECK_CONTEXT = "master-key-check";

    private SecretStore() {}

    /**
     * The secret box for this store.
     *
     * @throws StartupException when the key does not open the store's check value
     */
    public static SecretBox open(byte[] key, CheckValue checks, Clock clock, String keySource) {
        SecretBox box = new SecretBox(key);
        String stored = checks.sealed()
                .orElseGet(() -> checks.insertIfAbsent(box.seal(CHECK_PLAINTEXT, CHECK_CONTEXT), clock.instant()));
        try {
            if (!CHECK_PLAINTEXT.equals(box.open(stored, CHECK_CONTEXT))) {
                throw new SecretBox.WrongKeyException("the check value differs");
            }
        } catch (SecretBox.WrongKeyException e) {
            throw new StartupException("The master key from " + keySource + " is not the key this store's secrets "
                    + "were encrypted with (" + e.getMessage() + "). Start the Manager with the original key "
                    + "(OPENDELEGATE_MASTER_KEY, or the master.key file of its data directory).");
        }
        return box;
    }
}
