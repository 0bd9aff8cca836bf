package org.opendelegate.manager.providers;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.Map;

/**
 * What a lookup found, as the API answers it.
 *
 * @param params the lookup's parameters (e.g. {@code vpcId})
 * @param items what AWS listed, complete (every page)
 * @param principal the AWS principal the delegate acted as
 * @param delegateName the delegate that made the calls
 * @param taskId the task that did it; its log shows every call
 * @param fetchedAt when the delegate answered
 * @param cached true when this answer came from the Manager's cache
 */
public record LookupResult(
        String providerId,
        String lookup,
        String region,
        Map<String, String> params,
        JsonNode items,
        int count,
        String principal,
        String delegateName,
        String taskId,
        Instant fetchedAt,
        boolean cached) {

    LookupResult fromCache() {
        return new LookupResult(
                providerId, lookup, region, params, items, count, principal, delegateName, taskId, fetchedAt, true);
    }
}
