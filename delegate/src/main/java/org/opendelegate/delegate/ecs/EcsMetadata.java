package org.opendelegate.delegate.ecs;

import com.fasterxml.jackson.databind.JsonNode;
import org.opendelegate.protocol.EcsIdentity;

/**
 * What the delegate uses from the two v4 metadata documents. The field names are AWS's:
 * container {@code DockerId}, {@code Name}, {@code Networks[].NetworkMode}, {@code Networks[].IPv4Addresses};
 * task {@code TaskARN}, {@code Cluster}, {@code LaunchType}, {@code AvailabilityZone}, {@code Family},
 * {@code Revision}. Older EC2 agents omit {@code LaunchType}; then it is null.
 *
 * @param identity the ECS facts the Manager records
 * @param ipv4 the container's first IPv4 address, or null
 */
public record EcsMetadata(EcsIdentity identity, String ipv4) {

    static EcsMetadata from(JsonNode container, JsonNode task) {
        JsonNode network = container.path("Networks").path(0);
        String networkMode = text(network, "NetworkMode");
        String ipv4 = null;
        for (JsonNode each : container.path("Networks")) {
            JsonNode addresses = each.path("IPv4Addresses");
            if (addresses.size() > 0 && !addresses.path(0).asText().isEmpty()) {
                ipv4 = addresses.path(0).asText();
                break;
            }
        }
        EcsIdentity identity = new EcsIdentity(
                text(task, "TaskARN"),
                text(task, "Cluster"),
                text(container, "DockerId"),
                text(container, "Name"),
                networkMode,
                text(task, "LaunchType"),
                text(task, "AvailabilityZone"),
                text(task, "Family"),
                text(task, "Revision"));
        return new EcsMetadata(identity, ipv4);
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() || value.asText().isEmpty() ? null : value.asText();
    }
}
