package org.opendelegate.manager.store;

import java.time.Instant;
import java.util.List;

/**
 * One version of a delegate profile. Versions are never changed; an edit adds the next one.
 *
 * @param name the profile's name as of this version
 * @param script the bash script, possibly empty
 * @param selectors selectors the profile adds to every delegate that applies it, lower case
 * @param required true when a failed run makes the delegate ineligible for tasks
 * @param timeoutSeconds how long a run may take
 */
public record ProfileVersion(
        String profileId,
        int version,
        String accountId,
        String name,
        String description,
        String script,
        List<String> selectors,
        boolean required,
        int timeoutSeconds,
        String createdBy,
        Instant createdAt) {

    public ProfileVersion {
        selectors = List.copyOf(selectors);
    }
}
