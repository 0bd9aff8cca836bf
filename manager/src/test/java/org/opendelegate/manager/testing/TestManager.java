package org.opendelegate.manager.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.opendelegate.manager.ManagerServer;
import org.opendelegate.manager.config.ManagerConfig;
import org.opendelegate.manager.config.StoreConfig;
import org.opendelegate.manager.security.Role;
import org.opendelegate.manager.security.Secrets;
import org.opendelegate.manager.store.Account;
import org.opendelegate.manager.store.AccountDao;
import org.opendelegate.manager.store.ApiKey;
import org.opendelegate.manager.store.ApiKeyDao;
import org.opendelegate.manager.store.Database;
import org.opendelegate.manager.store.DelegateToken;
import org.opendelegate.manager.store.DelegateTokenDao;
import org.opendelegate.testkit.FakeDelegate;
import org.opendelegate.testkit.MutableClock;
import org.opendelegate.testkit.TestHttp;

/**
 * A real Manager on a free port with its own embedded store, known secrets and short timings, for HTTP
 * tests.
 *
 * <p>Its embedded store starts as a copy of one migrated once per test JVM ({@link MigratedStore}): every
 * Flyway migration of a fresh H2 store is most of a Manager's start, and the manager tests start hundreds.
 * The Manager still runs its own migration step (Flyway finds the copy up to date) and its first-start
 * bootstrap (the copy holds the schema only, no account, key or user).
 */
public final class TestManager implements AutoCloseable {
    public static final String ACCOUNT_ID = "acct-test";
    public static final String API_KEY = "odk_test-admin-key-0123456789";
    public static final String DELEGATE_TOKEN = "odt_test-delegate-token-0123456789";
    public static final String ADMIN_PASSWORD = "test-admin-password-0123";

    private final ManagerServer server;
    private final Path dataDir;

    private TestManager(ManagerServer server, Path dataDir) {
        this.server = server;
        this.dataDir = dataDir;
    }

    /** A Manager with test defaults, overridden by {@code env}. */
    public static TestManager start(Map<String, String> env) {
        return start(env, Clock.systemUTC());
    }

    /** A Manager whose time is {@code clock} (e.g. a {@link MutableClock} for expiry and throttling tests). */
    public static TestManager start(Map<String, String> env, Clock clock) {
        try {
            Path dataDir = temporaryDirectory("opendelegate-test");
            Map<String, String> all = new HashMap<>();
            all.put("OPENDELEGATE_PORT", "0");
            all.put("OPENDELEGATE_BIND_HOST", "127.0.0.1");
            all.put("OPENDELEGATE_DATA_DIR", dataDir.toString());
            all.put("OPENDELEGATE_ACCOUNT_ID", ACCOUNT_ID);
            all.put("OPENDELEGATE_ADMIN_API_KEY", API_KEY);
            all.put("OPENDELEGATE_DELEGATE_TOKEN", DELEGATE_TOKEN);
            all.put("OPENDELEGATE_ADMIN_PASSWORD", ADMIN_PASSWORD);
            all.put("OPENDELEGATE_HEARTBEAT_INTERVAL", "500ms");
            all.put("OPENDELEGATE_DISCONNECT_AFTER", "2s");
            all.put("OPENDELEGATE_LEASE_DURATION", "2s");
            all.put("OPENDELEGATE_POLL_WAIT", "2s");
            all.put("OPENDELEGATE_NO_ELIGIBLE_WAIT", "1s");
            all.putAll(env);
            all.values().removeIf(v -> v == null);
            if (!all.containsKey("OPENDELEGATE_DB_URL")
                    && all.get("OPENDELEGATE_DATA_DIR").equals(dataDir.toString())) {
                Files.copy(MigratedStore.FILE, dataDir.resolve(MigratedStore.FILE.getFileName()));
            }
            return new TestManager(ManagerServer.start(ManagerConfig.fromEnvironment(all), clock), dataDir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A new directory under the system's temporary directory, deleted with everything in it when the test JVM
     * exits (not when its Manager closes: a test may start another Manager on a closed one's data directory).
     */
    private static Path temporaryDirectory(String prefix) throws IOException {
        Path dir = Files.createTempDirectory(prefix);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(dir), "delete " + dir));
        return dir;
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // Best effort at exit: what is left stays under the temporary directory.
        }
    }

    public static TestManager start() {
        return start(Map.of());
    }

    /**
     * An embedded store with every migration applied and nothing else, made on first use in this JVM and
     * closed (H2 writes its one file completely when the last connection closes).
     */
    private static final class MigratedStore {
        static final Path FILE = migrate();

        private static Path migrate() {
            try {
                Path dir = temporaryDirectory("opendelegate-test-migrated");
                StoreConfig store = new StoreConfig(dir, Optional.empty(), "", "", Optional.empty(), Optional.empty());
                // Opening migrates; closing the last connection closes the H2 file.
                Database.open(store).close();
                return dir.resolve("opendelegate.mv.db");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    public String url() {
        return "http://127.0.0.1:" + server.port();
    }

    public ManagerServer server() {
        return server;
    }

    /** The user API as the bootstrap admin. */
    public TestHttp api() {
        return new TestHttp(url(), Map.of("Authorization", "Bearer " + API_KEY));
    }

    /** A browser without a session, for console tests. */
    public ConsoleBrowser browser() {
        return new ConsoleBrowser(url());
    }

    /** A browser signed in as the bootstrap admin. */
    public ConsoleBrowser signedInAdmin() {
        ConsoleBrowser browser = browser();
        browser.signIn("admin", ADMIN_PASSWORD).expectStatus(303);
        return browser;
    }

    /** The user API without credentials. */
    public TestHttp anonymous() {
        return new TestHttp(url(), Map.of());
    }

    /** A protocol-level delegate with the default token. */
    public FakeDelegate delegate(String name, String group) {
        return new FakeDelegate(url(), ACCOUNT_ID, DELEGATE_TOKEN, name, group);
    }

    public Path dataDir() {
        return dataDir;
    }

    /**
     * Adds another account with an API key of the given role and a delegate token, straight into the
     * store (the API has no account administration), for cross-account and role tests.
     */
    public void seedAccount(String accountId, String apiKey, Role role, String delegateToken) {
        try (Database db = Database.open(server.config().store())) {
            var jdbi = db.jdbi();
            Instant now = Instant.now();
            if (new AccountDao(jdbi).find(accountId).isEmpty()) {
                new AccountDao(jdbi).insert(new Account(accountId, accountId, now));
            }
            new ApiKeyDao(jdbi)
                    .insert(
                            new ApiKey(
                                    Secrets.newId(),
                                    accountId,
                                    role.name().toLowerCase(java.util.Locale.ROOT) + "-key",
                                    role,
                                    now,
                                    null,
                                    null,
                                    null),
                            Secrets.hash(apiKey));
            if (delegateToken != null) {
                new DelegateTokenDao(jdbi)
                        .insert(
                                new DelegateToken(
                                        Secrets.newId(),
                                        accountId,
                                        "seed-" + now.toEpochMilli(),
                                        null,
                                        "test",
                                        now,
                                        null,
                                        null),
                                Secrets.hash(delegateToken));
            }
        }
    }

    /** The user API with another API key. */
    public TestHttp api(String apiKey) {
        return new TestHttp(url(), Map.of("Authorization", "Bearer " + apiKey));
    }

    /** A protocol-level delegate with another account and token. */
    public FakeDelegate delegate(String name, String group, String accountId, String token) {
        return new FakeDelegate(url(), accountId, token, name, group);
    }

    @Override
    public void close() {
        server.close();
    }
}
