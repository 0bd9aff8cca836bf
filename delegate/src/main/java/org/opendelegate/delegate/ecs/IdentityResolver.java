package org.opendelegate.delegate.ecs;

import java.io.IOException;
import java.util.Locale;
import java.util.regex.Pattern;
import org.opendelegate.delegate.config.DelegateConfig;
import org.opendelegate.protocol.DelegateType;
import org.opendelegate.protocol.EcsIdentity;
import org.opendelegate.protocol.IdentityKind;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides the delegate's name and whether it is stable.
 *
 * <ol>
 *   <li>{@code DELEGATE_NAME} wins (stable).</li>
 *   <li>In ECS with the {@code awsvpc} network mode or on Fargate: the container id (ephemeral). Every
 *       replaced task has a new one, so the Manager expires these soon after they disconnect. The name
 *       is the first 12 characters of {@code DockerId}, the short form {@code docker ps} shows; on
 *       Fargate the id starts with the 32-hex task id, so 12 characters are still unique per task.</li>
 *   <li>In ECS on EC2 with the {@code bridge} or {@code host} network mode: the container's host name
 *       (stable), unless Docker left it at the container id (then ephemeral).</li>
 *   <li>Elsewhere: the host name (stable); a {@code DOCKER} delegate whose host name looks like a
 *       Docker short id is ephemeral.</li>
 * </ol>
 */
public final class IdentityResolver {
    private static final Logger LOG = LoggerFactory.getLogger(IdentityResolver.class);
    private static final Pattern SHORT_DOCKER_ID = Pattern.compile("^[0-9a-f]{12}$");
    static final int SHORT_ID_LENGTH = 12;

    private final HostInfo host;
    private final EcsMetadataClient metadataClient;

    public IdentityResolver(HostInfo host, EcsMetadataClient metadataClient) {
        this.host = host;
        this.metadataClient = metadataClient;
    }

    /** Resolves the identity; reads ECS metadata when {@code ECS_CONTAINER_METADATA_URI_V4} is set. */
    public DelegateIdentity resolve(DelegateConfig config) {
        EcsMetadata metadata = config.ecsMetadataUri() == null ? null : fetch(config.ecsMetadataUri());
        EcsIdentity ecs = metadata == null ? null : metadata.identity();
        String ip = metadata != null && metadata.ipv4() != null ? metadata.ipv4() : host.ip();
        String launchType = ecs == null ? null : ecs.launchType();
        String name;
        IdentityKind kind;
        if (config.nameOverride() != null) {
            name = config.nameOverride();
            kind = IdentityKind.STABLE;
        } else if (ecs != null && ecs.containerId() != null && usesTaskNetwork(ecs)) {
            name = shortId(ecs.containerId());
            kind = IdentityKind.EPHEMERAL;
        } else {
            name = host.hostname();
            kind = hostnameIsContainerId(ecs, config.type()) ? IdentityKind.EPHEMERAL : IdentityKind.STABLE;
        }
        return new DelegateIdentity(name, kind, host.hostname(), ip, launchType, ecs);
    }

    private EcsMetadata fetch(String uri) {
        try {
            return metadataClient.fetch(uri);
        } catch (IOException | RuntimeException e) {
            LOG.warn(
                    "Could not read the ECS task metadata at {} ({}); naming this delegate after its host name '{}'"
                            + " instead. Set DELEGATE_NAME to choose the name yourself.",
                    uri,
                    e.getMessage(),
                    host.hostname());
            return null;
        }
    }

    private static boolean usesTaskNetwork(EcsIdentity ecs) {
        return "FARGATE".equalsIgnoreCase(ecs.launchType()) || "awsvpc".equalsIgnoreCase(ecs.networkMode());
    }

    private boolean hostnameIsContainerId(EcsIdentity ecs, DelegateType type) {
        String hostname = host.hostname().toLowerCase(Locale.ROOT);
        if (ecs != null && ecs.containerId() != null) {
            return hostname.equals(shortId(ecs.containerId()).toLowerCase(Locale.ROOT));
        }
        return type == DelegateType.DOCKER && SHORT_DOCKER_ID.matcher(hostname).matches();
    }

    static String shortId(String containerId) {
        return containerId.length() <= SHORT_ID_LENGTH ? containerId : containerId.substring(0, SHORT_ID_LENGTH);
    }
}
