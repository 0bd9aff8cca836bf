package org.opendelegate.protocol;

/**
 * Whether a delegate's name survives a restart. A host name does; a container id does not: a replaced
 * Fargate task comes back under a new id. The Manager expires disconnected ephemeral delegates soon, so
 * replaced tasks never pile up as ghosts.
 */
public enum IdentityKind {
    STABLE,
    EPHEMERAL
}
