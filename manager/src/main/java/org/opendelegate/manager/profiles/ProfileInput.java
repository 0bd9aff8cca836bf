package org.opendelegate.manager.profiles;

import java.util.List;

/**
 * A delegate profile as a person sends it: the body of {@code POST /api/v1/delegate-profiles} and
 * {@code PUT /api/v1/delegate-profiles/{id}}, and the console's form. Absent fields take their defaults
 * (see {@link ProfileRules}).
 *
 * @param baseVersion for an edit: the version it was based on; when given and no longer current, the edit
 *     is refused (409) instead of silently replacing someone else's change
 */
public record ProfileInput(
        String name,
        String description,
        String script,
        List<String> selectors,
        Boolean required,
        Integer timeoutSeconds,
        Integer baseVersion) {}
