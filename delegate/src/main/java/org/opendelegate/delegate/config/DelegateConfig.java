package org.opendelegate.delegate.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.opendelegate.protocol.DelegateType;

/**
 * The delegate's validated settings, read once at start from the environment (see {@link ConfigParser}).
 *
 * @param managerUrl the Manager's base URL, without a trailing slash
 * @param accountId the account the delegate belongs to
 * @param token the delegate token; never logged, masked in {@link #toString()} and {@link #describe()}
 * @param groupName the delegate group
 * @param profileName the delegate profile
 * @param selectors the delegate's own selectors, lower-cased, without duplicates
 * @param nameOverride {@code DELEGATE_NAME}, or null to compute the name
 * @param type how the delegate was installed
 * @param healthPort the local health port; 0 disables the health endpoint
 * @param capacity how many tasks may run at once
 * @param drainTimeout how long a graceful shutdown waits for running tasks
 * @param logFormat text or JSON log lines
 * @param ecsMetadataUri {@code ECS_CONTAINER_METADATA_URI_V4}, or null outside ECS
 * @param proxies the outbound proxies for Manager calls
 * @param workDir where the delegate keeps its files (profile scripts and their output), absolute
 * @param iamManagerName for IAM registration ({@code DELEGATE_AUTHENTICATION=IAM}, then {@code token} is
 *     null): what names the Manager in the AWS identity proof; null for token authentication
 * @param tls how the Manager's HTTPS certificate is trusted, and whether plain HTTP to it is allowed
 * @param allowScripts whether this delegate runs {@code shell.script} tasks ({@code DELEGATE_ALLOW_SCRIPTS});
 *     when false it does not advertise the type
 * @param ecsPollInterval how often an ECS deployment polls DescribeServices ({@code DELEGATE_ECS_POLL_INTERVAL})
 */
public record DelegateConfig(
        URI managerUrl,
        String accountId,
        String token,
        String groupName,
        String profileName,
        List<String> selectors,
        String nameOverride,
        DelegateType type,
        int healthPort,
        int capacity,
        Duration drainTimeout,
        LogFormat logFormat,
        String ecsMetadataUri,
        ProxySettings proxies,
        Path workDir,
        String iamManagerName,
        ManagerTls tls,
        boolean allowScripts,
        Duration ecsPollInterval) {

    public DelegateConfig {
        selectors = List.copyOf(selectors);
    }

    /** The effective settings as {@code NAME=value} lines, token masked; for {@code --check-config}. */
    public List<String> describe() {
        List<String> lines = new ArrayList<>();
        lines.add("MANAGER_URL=" + managerUrl);
        lines.add("ACCOUNT_ID=" + accountId);
        if (iamManagerName == null) {
            lines.add("DELEGATE_TOKEN=" + masked(token));
        } else {
            lines.add("DELEGATE_AUTHENTICATION=IAM (no token; the AWS identity proof names Manager " + iamManagerName
                    + ")");
        }
        lines.add("DELEGATE_GROUP_NAME=" + groupName);
        lines.add("DELEGATE_PROFILE=" + profileName);
        lines.add("DELEGATE_SELECTORS=" + String.join(",", selectors));
        lines.add("DELEGATE_NAME="
                + (nameOverride == null ? "(computed at start: container id or host name)" : nameOverride));
        lines.add("DELEGATE_TYPE=" + type);
        lines.add("DELEGATE_HEALTH_PORT=" + (healthPort == 0 ? "0 (health endpoint disabled)" : healthPort));
        lines.add("DELEGATE_CAPACITY=" + capacity);
        lines.add("DELEGATE_DRAIN_SECONDS=" + drainTimeout.toSeconds());
        lines.add("DELEGATE_LOG_FORMAT=" + logFormat.name().toLowerCase(java.util.Locale.ROOT));
        lines.add("ECS_CONTAINER_METADATA_URI_V4="
                + (ecsMetadataUri == null ? "(not set: not running in ECS)" : ecsMetadataUri));
        lines.addAll(proxies.describe());
        lines.addAll(tls.describe());
        lines.add("DELEGATE_WORK_DIR=" + workDir);
        lines.add("DELEGATE_ALLOW_SCRIPTS=" + allowScripts + (allowScripts ? "" : " (shell.script not offered)"));
        lines.add("DELEGATE_ECS_POLL_INTERVAL=" + ecsPollInterval.toMillis() + "ms");
        return lines;
    }

    /** Like the generated one, but the token is masked: records end up in logs and exception messages. */
    @Override
    public String toString() {
        return "DelegateConfig" + describe();
    }

    // Why no prefix or suffix of the token is shown: a few characters of a short token already narrow a guess.
    static String masked(String secret) {
        return "******** (set, " + secret.length() + " characters)";
    }
}
