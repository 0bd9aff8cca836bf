package org.opendelegate.manager.config;

import java.util.Optional;

/**
 * What the first start creates. Empty values are generated and printed once.
 *
 * @param accountId the id of the default account
 * @param accountName the display name of the default account
 * @param adminApiKey the admin API key, for unattended installs
 * @param delegateToken the first delegate token, for unattended installs
 * @param adminPassword the console password of the {@code admin} user the first start creates
 */
public record BootstrapConfig(
        Optional<String> accountId,
        String accountName,
        Optional<String> adminApiKey,
        Optional<String> delegateToken,
        Optional<String> adminPassword) {}
