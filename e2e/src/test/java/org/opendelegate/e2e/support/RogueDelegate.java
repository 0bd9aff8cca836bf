package org.opendelegate.e2e.support;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.opendelegate.testkit.FakeDelegate;
import org.opendelegate.testkit.TestHttp;

/**
 * A rogue delegate played at the protocol level: it holds a valid account-wide delegate token, registers
 * in a group of its own with whatever selectors it likes to declare, heartbeats, and long-polls for work
 * without ever running it, keeping every poll answer so a test can prove what it was (never) given.
 *
 * <p>The one place the trust tests craft protocol calls by hand (through the testkit's {@link FakeDelegate}),
 * so a change of the delegate protocol is adapted here once.
 */
public final class RogueDelegate implements AutoCloseable {
    private final FakeDelegate delegate;
    private final List<String> pollAnswers = new CopyOnWriteArrayList<>();
    private final Thread poller;
    private volatile boolean polling = true;

    private RogueDelegate(FakeDelegate delegate) {
        this.delegate = delegate;
        this.poller = new Thread(this::pollUntilClosed, "rogue-delegate-poll");
        this.poller.setDaemon(true);
    }

    /**
     * Registers with the end-to-end Manager's account-wide token, declaring {@code selectors} and the
     * {@code taskTypes} it claims to run, then heartbeats and polls until closed.
     */
    public static RogueDelegate start(
            String managerUrl, String name, String group, List<String> selectors, List<String> taskTypes) {
        FakeDelegate delegate = new FakeDelegate(
                        managerUrl, ManagerProcess.ACCOUNT_ID, ManagerProcess.DELEGATE_TOKEN, name, group)
                .with("hostname", name)
                .with("selectors", selectors)
                .with("taskTypes", taskTypes);
        TestHttp.Response answer = delegate.register();
        if (answer.status() != 200) {
            throw new IllegalStateException("the rogue's registration answered " + answer);
        }
        delegate.keepAlive(Duration.ofMillis(500));
        RogueDelegate rogue = new RogueDelegate(delegate);
        rogue.poller.start();
        return rogue;
    }

    /** Every poll answer body so far, in order. */
    public List<String> pollAnswers() {
        return List.copyOf(pollAnswers);
    }

    public String id() {
        return delegate.delegateId;
    }

    private void pollUntilClosed() {
        while (polling) {
            TestHttp.Response r = delegate.poll(4);
            pollAnswers.add(r.status() + " " + r.body());
            if (r.status() != 200) {
                return;
            }
        }
    }

    /** Stops heartbeats and polling; waits for the poll in flight (under the poll wait) to end. */
    @Override
    public void close() {
        polling = false;
        delegate.close();
        try {
            poller.join(Duration.ofSeconds(35).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
