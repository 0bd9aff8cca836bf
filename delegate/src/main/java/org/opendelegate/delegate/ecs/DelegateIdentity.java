package org.opendelegate.delegate.ecs;

import org.opendelegate.protocol.EcsIdentity;
import org.opendelegate.protocol.IdentityKind;

/**
 * Who this delegate is, as it registers.
 *
 * @param name the delegate name
 * @param identityKind whether the name survives a restart
 * @param hostname the host name the process sees
 * @param ip the delegate's primary address, or null
 * @param launchType the ECS launch type, or null outside ECS
 * @param ecs the ECS metadata, or null outside ECS (or when the endpoint could not be read)
 */
public record DelegateIdentity(
        String name, IdentityKind identityKind, String hostname, String ip, String launchType, EcsIdentity ecs) {}
