package org.opendelegate.manager.bootstrap;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.opendelegate.manager.config.BootstrapConfig;
import org.opendelegate.manager.delegates.DelegateTokens;
import org.opendelegate.manager.security.Role;
import org.opendelegate.manager.security.Secrets;
import org.opendelegate.manager.store.Account;
import org.opendelegate.manager.store.AccountDao;
import org.opendelegate.manager.store.ApiKey;
import org.opendelegate.manager.store.ApiKeyDao;
import org.opendelegate.manager.store.DelegateProfile;
import org.opendelegate.manager.store.DelegateProfileDao;
import org.opendelegate.manager.store.DelegateTokenDao;
import org.opendelegate.manager.users.UserAccounts;

/**
 * The first start: a default account with its Primary delegate profile, an admin API key, a delegate
 * token and the console user {@code admin}. Generated secrets are returned once, to be printed; only their hashes are stored. Secrets given in the environment (for
 * unattended installs) are added on any start if they are not known yet.
 */
public final class Bootstrap {
    private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";

    /**
     * What the start created.
     *
     * @param accountId the default account
     * @param created true when this start created the account
     * @param adminApiKey the generated API key, empty when it was given or not created now
     * @param delegateToken the generated delegate token, empty when it was given or not created now
     * @param adminPassword the generated console password of {@code admin}, empty when it was given or the
     *     account already had users
     */
    public record Result(
            String accountId,
            boolean created,
            Optional<String> adminApiKey,
            Optional<String> delegateToken,
            Optional<String> adminPassword) {}

    private final AccountDao accounts;
    private final ApiKeyDao apiKeys;
    private final DelegateTokenDao tokenDao;
    private final DelegateTokens tokens;
    private final UserAccounts users;
    private final DelegateProfileDao profiles;
    private final Clock clock;

    public Bootstrap(
            AccountDao accounts,
            ApiKeyDao apiKeys,
            DelegateTokenDao tokenDao,
            DelegateTokens tokens,
            UserAccounts users,
            DelegateProfileDao profiles,
            Clock clock) {
        this.profiles = profiles;
        this.accounts = accounts;
        this.users = users;
        this.apiKeys = apiKeys;
        this.tokenDao = tokenDao;
        this.tokens = tokens;
        this.clock = clock;
    }

    public Result run(BootstrapConfig config) {
        List<Account> existing = accounts.list();
        Instant now = clock.instant();
        if (!existing.isEmpty()) {
            String accountId = config.accountId()
                    .filter(id -> accounts.find(id).isPresent())
                    .orElse(existing.get(0).id());
            config.adminApiKey().ifPresent(key -> addApiKeyIfUnknown(accountId, "env-admin", key, now));
            config.delegateToken().ifPresent(token -> addTokenIfUnknown(accountId, "env-default", token));
            existing.forEach(a -> profiles.getOrCreate(a.id(), DelegateProfile.PRIMARY, "system", now));
            return new Result(
                    accountId,
                    false,
                    Optional.empty(),
                    Optional.empty(),
                    users.bootstrapAdmin(accountId, config.adminPassword()));
        }
        String accountId = config.accountId().orElseGet(Bootstrap::randomAccountId);
        accounts.insert(new Account(accountId, config.accountName(), now));
        profiles.getOrCreate(accountId, DelegateProfile.PRIMARY, "system", now);
        String apiKey = config.adminApiKey().orElseGet(() -> Secrets.generate(Secrets.API_KEY_PREFIX));
        addApiKeyIfUnknown(accountId, "bootstrap-admin", apiKey, now);
        String token = config.delegateToken().orElseGet(() -> Secrets.generate(Secrets.DELEGATE_TOKEN_PREFIX));
        addTokenIfUnknown(accountId, "default", token);
        return new Result(
                accountId,
                true,
                config.adminApiKey().isPresent() ? Optional.empty() : Optional.of(apiKey),
                config.delegateToken().isPresent() ? Optional.empty() : Optional.of(token),
                users.bootstrapAdmin(accountId, config.adminPassword()));
    }

    private void addApiKeyIfUnknown(String accountId, String name, String key, Instant now) {
        if (apiKeys.findByHash(Secrets.hash(key)).isEmpty()) {
            apiKeys.insert(
                    new ApiKey(Secrets.newId(), accountId, name, Role.ADMIN, now, null, null, null), Secrets.hash(key));
        }
    }

    private void addTokenIfUnknown(String accountId, String name, String token) {
        if (tokenDao.findByHash(Secrets.hash(token)).isEmpty()) {
            String unique = tokenDao.findByName(accountId, name).isPresent() ? name + "-" + clock.millis() : name;
            tokens.insert(accountId, unique, null, "system", token);
        }
    }

    private static String randomAccountId() {
        SecureRandom random = new SecureRandom();
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 20; i++) {
            sb.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        return sb.toString();
    }
}
