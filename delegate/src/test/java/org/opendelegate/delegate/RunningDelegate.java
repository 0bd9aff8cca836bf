package org.opendelegate.delegate;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.opendelegate.delegate.config.ConfigParser;
import org.opendelegate.delegate.stop.ExitCode;
import org.opendelegate.testkit.FakeManager;

/**
 * A delegate running on a thread of the test, against a {@link FakeManager}, with settings that suit
 * tests: no health port, a short drain, a fixed name.
 */
final class RunningDelegate implements AutoCloseable {
    private final Delegate delegate;
    private final CompletableFuture<ExitCode> exit = new CompletableFuture<>();

    private RunningDelegate(Delegate delegate) {
        this.delegate = delegate;
        Thread thread = new Thread(() -> exit.complete(delegate.run()), "test-delegate-main");
        thread.setDaemon(true);
        thread.start();
    }

    /** The environment tests start from. */
    public static Map<String, String> env(FakeManager manager) {
        Map<String, String> env = new HashMap<>();
        env.put("MANAGER_URL", manager.url().toString());
        env.put("ACCOUNT_ID", "acc-1");
        env.put("DELEGATE_TOKEN", "token-1");
        env.put("DELEGATE_GROUP_NAME", "test-group");
        env.put("DELEGATE_NAME", "test-delegate");
        env.put("DELEGATE_HEALTH_PORT", "0");
        env.put("DELEGATE_DRAIN_SECONDS", "1");
        env.put("HOSTNAME", "test-host");
        env.put("DELEGATE_WORK_DIR", "target/delegate-work/" + java.util.UUID.randomUUID());
        return env;
    }

    /** Starts a delegate wired by the real composition root from {@code env}. */
    public static RunningDelegate start(Map<String, String> env) throws Exception {
        return new RunningDelegate(DelegateMain.assemble(ConfigParser.parse(env), env));
    }

    public Delegate delegate() {
        return delegate;
    }

    /** Sends the delegate what the SIGTERM hook sends. */
    public void sigterm() {
        delegate.requestStop("SIGTERM");
    }

    /** Waits for the delegate to end; fails the test after 20 s. */
    public ExitCode awaitExit() throws Exception {
        return exit.get(20, TimeUnit.SECONDS);
    }

    public boolean hasExited() {
        return exit.isDone();
    }

    @Override
    public void close() throws ExecutionException, TimeoutException {
        if (!exit.isDone()) {
            sigterm();
            try {
                exit.get(20, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
