package org.opendelegate.manager.profiles;

import java.time.Instant;
import java.util.List;
import org.opendelegate.manager.store.ProfileVersion;

/** One version of a profile, as the API and the console show it. */
public record ProfileVersionView(
        int version,
        String name,
        String description,
        String script,
        List<String> selectors,
        boolean required,
        int timeoutSeconds,
        String createdBy,
        Instant createdAt) {

    static ProfileVersionView of(ProfileVersion v) {
        return new ProfileVersionView(
                v.version(),
                v.name(),
                v.description(),
                v.script(),
                v.selectors(),
                v.required(),
                v.timeoutSeconds(),
                v.createdBy(),
                v.createdAt());
    }
}
