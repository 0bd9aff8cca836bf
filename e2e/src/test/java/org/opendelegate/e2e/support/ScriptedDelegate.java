package org.opendelegate.e2e.support;

import java.time.Duration;
import java.util.List;
import org.opendelegate.testkit.FakeDelegate;
import org.opendelegate.testkit.TestHttp;

/**
 * A delegate played by the test at the protocol level, with the end-to-end Manager's token: it registers
 * with whatever it is given (names a real delegate would never send, ECS identities without ECS) and
 * heartbeats until it is stopped. The testkit's {@link FakeDelegate} does the talking.
 */
public final class ScriptedDelegate implements AutoCloseable {
    private final FakeDelegate delegate;

    public ScriptedDelegate(String managerUrl, String name, String group) {
        this.delegate = new FakeDelegate(
                        managerUrl, ManagerProcess.ACCOUNT_ID, ManagerProcess.DELEGATE_TOKEN, name, group)
                .with("hostname", name)
                .with("ip", "10.0.1.20")
                .with("taskTypes", List.of("echo"));
    }

    public ScriptedDelegate with(String field, Object value) {
        delegate.with(field, value);
        return this;
    }

    /** An ECS task: {@code launchType} EC2 or FARGATE; Fargate names are container ids, so ephemeral. */
    public ScriptedDelegate ecs(String launchType) {
        return with("type", "ECS")
                .with("launchType", launchType)
                .with("identityKind", "FARGATE".equals(launchType) ? "EPHEMERAL" : "STABLE");
    }

    /** Registers and heartbeats every 500 ms until {@link #stopHeartbeats()} or {@link #deregister()}. */
    public ScriptedDelegate start() {
        TestHttp.Response answer = delegate.register();
        if (answer.status() != 200) {
            throw new IllegalStateException("registration answered " + answer);
        }
        delegate.keepAlive(Duration.ofMillis(500));
        return this;
    }

    /** Goes silent, as a killed process does. */
    public void stopHeartbeats() {
        delegate.close();
    }

    /** Says goodbye, as a stopped process does. */
    public void deregister() {
        stopHeartbeats();
        TestHttp.Response answer = delegate.deregister();
        if (answer.status() >= 300) {
            throw new IllegalStateException("deregistration answered " + answer);
        }
    }

    public String id() {
        return delegate.delegateId;
    }

    @Override
    public void close() {
        stopHeartbeats();
    }
}
