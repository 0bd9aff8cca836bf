package org.opendelegate.e2e.support;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.opendelegate.testkit.FreePorts;

/** The built Manager jar as a process, on a fixed free port so it can be restarted at the same address. */
public final class ManagerProcess extends JavaProcess {
    public static final String ACCOUNT_ID = "acct-e2e";
    public static final String API_KEY = "odk_e2e-admin-key-0123456789";
    public static final String DELEGATE_TOKEN = "odt_e2e-delegate-token-0123456789";
    public static final String ADMIN_PASSWORD = "e2e-admin-password-0123";
    private static final Pattern LISTENING = Pattern.compile("listening on .*:(\\d+)");

    private final int port;
    private final String scheme;

    private ManagerProcess(String name, int port, Map<String, String> env, Path workDir) {
        super(name, jar(), List.of("-Xmx512m"), List.of(), env, workDir);
        this.port = port;
        this.scheme = env.containsKey("OPENDELEGATE_TLS_CERT") ? "https" : "http";
        try {
            awaitOutput(LISTENING, Duration.ofSeconds(60));
        } catch (RuntimeException | AssertionError notListening) {
            // Nobody gets this object to stop it later: a Manager still starting after the wait is killed here.
            close();
            throw notListening;
        }
    }

    /**
     * Starts a Manager with test secrets and short timings.
     *
     * @param port the port, or 0 for a free one
     */
    public static ManagerProcess start(String name, Path dataDir, int port, Map<String, String> extraEnv) {
        int chosen = port == 0 ? FreePorts.next() : port;
        Map<String, String> env = new HashMap<>();
        env.put("OPENDELEGATE_PORT", String.valueOf(chosen));
        env.put("OPENDELEGATE_BIND_HOST", "127.0.0.1");
        env.put("OPENDELEGATE_DATA_DIR", dataDir.toString());
        env.put("OPENDELEGATE_ACCOUNT_ID", ACCOUNT_ID);
        env.put("OPENDELEGATE_ADMIN_API_KEY", API_KEY);
        env.put("OPENDELEGATE_DELEGATE_TOKEN", DELEGATE_TOKEN);
        env.put("OPENDELEGATE_ADMIN_PASSWORD", ADMIN_PASSWORD);
        env.put("OPENDELEGATE_EXTERNAL_URL", "http://127.0.0.1:" + chosen);
        env.put("OPENDELEGATE_HEARTBEAT_INTERVAL", "1s");
        env.put("OPENDELEGATE_DISCONNECT_AFTER", "3s");
        env.put("OPENDELEGATE_LEASE_DURATION", "3s");
        env.put("OPENDELEGATE_POLL_WAIT", "5s");
        env.putAll(extraEnv);
        return new ManagerProcess(name, chosen, env, dataDir.getParent());
    }

    public int port() {
        return port;
    }

    public String url() {
        return scheme + "://127.0.0.1:" + port;
    }

    public Api api() {
        return new Api(url(), API_KEY);
    }

    private static Path jar() {
        return Path.of(System.getProperty("opendelegate.managerJar", "../manager/target/opendelegate-manager.jar"))
                .toAbsolutePath()
                .normalize();
    }
}
