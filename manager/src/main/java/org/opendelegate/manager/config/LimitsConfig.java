package org.opendelegate.manager.config;

/**
 * How much one account, one delegate token, one delegate and one task may use, so that nothing one client
 * does can exhaust the Manager. Each limit is named after its setting: a refusal names the setting and its
 * value, so an operator knows what to raise.
 *
 * @param maxDelegates {@code OPENDELEGATE_MAX_DELEGATES}: delegate records per account
 * @param maxGroups {@code OPENDELEGATE_MAX_GROUPS}: delegate groups per account
 * @param maxProfiles {@code OPENDELEGATE_MAX_PROFILES}: delegate profiles per account
 * @param maxDelegateTokens {@code OPENDELEGATE_MAX_DELEGATE_TOKENS}: delegate tokens per account that are
 *     not revoked
 * @param maxCloudProviders {@code OPENDELEGATE_MAX_CLOUD_PROVIDERS}: cloud providers per account
 * @param maxSecrets {@code OPENDELEGATE_MAX_SECRETS}: secrets per account in the Manager's secret store
 * @param tokenRegistrationsPerMinute {@code OPENDELEGATE_TOKEN_REGISTRATIONS_PER_MINUTE}: registrations one
 *     delegate token may make per minute (a burst of as many, refilled evenly)
 * @param taskLogMaxBytes {@code OPENDELEGATE_TASK_LOG_MAX_BYTES}: log bytes kept per task (the first half
 *     and the last half; what falls in between is dropped and counted)
 * @param logLinesPerSecondPerDelegate {@code OPENDELEGATE_LOG_LINES_PER_SECOND_PER_DELEGATE}: log lines one
 *     delegate may send per second (a burst of five seconds' worth)
 */
public record LimitsConfig(
        long maxDelegates,
        long maxGroups,
        long maxProfiles,
        long maxDelegateTokens,
        long maxCloudProviders,
        long maxSecrets,
        long tokenRegistrationsPerMinute,
        long taskLogMaxBytes,
        long logLinesPerSecondPerDelegate) {

    /** Lines longer than this many UTF-8 bytes are stored as several lines. */
    public static final int MAX_LOG_LINE_BYTES = 64 * 1024;

    /** The defaults, as README's Configuration table lists them. */
    public static final LimitsConfig DEFAULTS =
            new LimitsConfig(10_000, 1_000, 1_000, 1_000, 200, 1_000, 60, 25L * 1024 * 1024, 2_000);

    static LimitsConfig read(Settings s) {
        return new LimitsConfig(
                s.count("OPENDELEGATE_MAX_DELEGATES", DEFAULTS.maxDelegates(), 1, 10_000_000),
                s.count("OPENDELEGATE_MAX_GROUPS", DEFAULTS.maxGroups(), 1, 1_000_000),
                s.count("OPENDELEGATE_MAX_PROFILES", DEFAULTS.maxProfiles(), 1, 1_000_000),
                s.count("OPENDELEGATE_MAX_DELEGATE_TOKENS", DEFAULTS.maxDelegateTokens(), 1, 1_000_000),
                s.count("OPENDELEGATE_MAX_CLOUD_PROVIDERS", DEFAULTS.maxCloudProviders(), 1, 1_000_000),
                s.count("OPENDELEGATE_MAX_SECRETS", DEFAULTS.maxSecrets(), 1, 1_000_000),
                s.count(
                        "OPENDELEGATE_TOKEN_REGISTRATIONS_PER_MINUTE",
                        DEFAULTS.tokenRegistrationsPerMinute(),
                        1,
                        1_000_000),
                s.bytes(
                        "OPENDELEGATE_TASK_LOG_MAX_BYTES",
                        DEFAULTS.taskLogMaxBytes(),
                        4L * MAX_LOG_LINE_BYTES,
                        1L << 40),
                s.count(
                        "OPENDELEGATE_LOG_LINES_PER_SECOND_PER_DELEGATE",
                        DEFAULTS.logLinesPerSecondPerDelegate(),
                        1,
                        10_000_000));
    }
}
