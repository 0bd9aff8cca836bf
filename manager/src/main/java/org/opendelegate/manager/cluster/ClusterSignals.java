package org.opendelegate.manager.cluster;

import java.util.List;
import java.util.function.Consumer;

/**
 * How replicas of one Manager on one database wake each other ({@link Signal}). A single Manager (H2) uses
 * {@link #local()}, which sends nothing and is always connected; replicas on PostgreSQL use {@link
 * PostgresSignals} ({@code LISTEN/NOTIFY}). Signals are hints: every reader also polls the store, so a
 * lost signal only delays.
 */
public interface ClusterSignals extends AutoCloseable {

    /** Tells the other replicas; returns at once (sending happens in the background, coalesced). */
    void publish(Signal signal, String subject);

    /**
     * Runs {@code listener} with the subjects another replica signalled (several at once when they came
     * together); listeners run one at a time on one
     * thread of this object, so they may read the store but should not wait for long. Subscribe before
     * {@link #start()}.
     */
    void subscribe(Signal signal, Consumer<List<String>> listener);

    /**
     * Runs {@code listener} with true when this replica (re)gains its link to the store and with false when
     * it loses it. After a gap, signals may have been missed: listeners look at the store again.
     */
    void onLink(Consumer<Boolean> listener);

    /** True while this replica hears the store; a replica that does not takes no leases and is not ready. */
    boolean connected();

    /** Starts listening. */
    void start();

    @Override
    void close();

    /** The signals of a single Manager: nobody else to tell. */
    static ClusterSignals local() {
        return new ClusterSignals() {
            @Override
            public void publish(Signal signal, String subject) {}

            @Override
            public void subscribe(Signal signal, Consumer<List<String>> listener) {}

            @Override
            public void onLink(Consumer<Boolean> listener) {}

            @Override
            public boolean connected() {
                return true;
            }

            @Override
            public void start() {}

            @Override
            public void close() {}
        };
    }
}
