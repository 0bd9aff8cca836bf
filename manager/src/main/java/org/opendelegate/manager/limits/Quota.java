package org.opendelegate.manager.limits;

import org.opendelegate.manager.config.LimitsConfig;
import org.opendelegate.manager.store.AccountCounts;

/** A per-account quota: the setting that holds it, the words for what it counts, and the rows counted. */
public enum Quota {
    DELEGATES("OPENDELEGATE_MAX_DELEGATES", "delegate", "delegates", AccountCounts.Counted.DELEGATES),
    GROUPS("OPENDELEGATE_MAX_GROUPS", "delegate group", "delegate groups", AccountCounts.Counted.GROUPS),
    PROFILES("OPENDELEGATE_MAX_PROFILES", "delegate profile", "delegate profiles", AccountCounts.Counted.PROFILES),
    DELEGATE_TOKENS(
            "OPENDELEGATE_MAX_DELEGATE_TOKENS",
            "delegate token",
            "delegate tokens",
            AccountCounts.Counted.DELEGATE_TOKENS),
    CLOUD_PROVIDERS(
            "OPENDELEGATE_MAX_CLOUD_PROVIDERS",
            "cloud provider",
            "cloud providers",
            AccountCounts.Counted.CLOUD_PROVIDERS),
    SECRETS("OPENDELEGATE_MAX_SECRETS", "secret", "secrets", AccountCounts.Counted.SECRETS);

    private final String setting;
    private final String one;
    private final String many;
    private final AccountCounts.Counted counted;

    Quota(String setting, String one, String many, AccountCounts.Counted counted) {
        this.setting = setting;
        this.one = one;
        this.many = many;
        this.counted = counted;
    }

    /** The environment variable that sets it, which a refusal names as its {@code limit}. */
    public String setting() {
        return setting;
    }

    /** The word for one, e.g. "delegate group". */
    public String one() {
        return one;
    }

    /** The word for several, e.g. "delegate groups". */
    public String many() {
        return many;
    }

    AccountCounts.Counted counted() {
        return counted;
    }

    long max(LimitsConfig limits) {
        return switch (this) {
            case DELEGATES -> limits.maxDelegates();
            case GROUPS -> limits.maxGroups();
            case PROFILES -> limits.maxProfiles();
            case DELEGATE_TOKENS -> limits.maxDelegateTokens();
            case CLOUD_PROVIDERS -> limits.maxCloudProviders();
            case SECRETS -> limits.maxSecrets();
        };
    }
}
