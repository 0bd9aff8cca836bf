package org.opendelegate.e2e.support;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** The built Delegate jar as a process, started with plain {@code java -jar} and environment settings. */
public final class DelegateProcess extends JavaProcess {
    /** The line the delegate prints once the Manager accepted its registration. */
    public static final Pattern CONNECTED = Pattern.compile("Connected to .* as (\\S+) in group");

    private DelegateProcess(String name, Map<String, String> env, Path workDir) {
        super(name, jar(), List.of(), List.of(), env, workDir);
    }

    /** Starts a delegate of the test account in a group; {@code extraEnv} adds or overrides settings. */
    public static DelegateProcess start(
            String name, ManagerProcess manager, String group, Map<String, String> extraEnv, Path workDir) {
        return start(name, manager.url(), group, extraEnv, workDir);
    }

    public static DelegateProcess start(
            String name, String managerUrl, String group, Map<String, String> extraEnv, Path workDir) {
        Map<String, String> env = new HashMap<>();
        env.put("MANAGER_URL", managerUrl);
        env.put("ACCOUNT_ID", ManagerProcess.ACCOUNT_ID);
        env.put("DELEGATE_TOKEN", ManagerProcess.DELEGATE_TOKEN);
        env.put("DELEGATE_GROUP_NAME", group);
        env.put("DELEGATE_HEALTH_PORT", "0");
        env.putAll(extraEnv);
        return new DelegateProcess(name, env, workDir);
    }

    /** Starts a delegate with exactly {@code env} (nothing added), e.g. an ECS container's environment. */
    public static DelegateProcess withEnvironment(String name, Map<String, String> env, Path workDir) {
        return new DelegateProcess(name, Map.copyOf(env), workDir);
    }

    /** Waits for the "Connected" line and returns the name the delegate registered under. */
    public String awaitConnected() {
        return awaitOutput(CONNECTED, Duration.ofSeconds(30));
    }

    private static Path jar() {
        return Path.of(System.getProperty("opendelegate.delegateJar", "../delegate/target/opendelegate-delegate.jar"))
                .toAbsolutePath()
                .normalize();
    }
}
