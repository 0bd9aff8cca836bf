package org.opendelegate.manager.config;

import java.time.Duration;

/**
 * How cloud providers behave.
 *
 * @param lookupCacheTtl how long a lookup's answer (clusters, VPCs, ...) is reused; 0 turns the cache off
 */
public record ProvidersConfig(Duration lookupCacheTtl) {}
