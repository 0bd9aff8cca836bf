package org.opendelegate.manager.cluster;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.opendelegate.manager.store.Database;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link ClusterSignals} over PostgreSQL {@code LISTEN/NOTIFY}. Each replica keeps one connection of its
 * own, outside the pool, listening on a channel named after the store's schema (so installations sharing a
 * database do not hear each other); it also asks that connection {@code SELECT 1} every {@link #CHECK_EVERY},
 * so a cut network is noticed within {@link #SOCKET_TIMEOUT_SECONDS} at most, and reconnects with a backoff
 * of {@link #FIRST_BACKOFF} doubling to {@link #MAX_BACKOFF}. While that connection is down the replica is
 * not {@link #connected()}.
 *
 * <p>Publishing only queues: one sender thread sends what queued up since its last send in one statement
 * (subjects of one signal share a notification, up to {@link #MAX_PAYLOAD} characters), so a burst of
 * submissions costs a few notifications, not one each. A notification is sent after the change it
 * announces was committed (callers publish after their store call returned). The payload is {@code
 * replicaId SIGNAL subject subject ...}; a replica ignores its own.
 */
public final class PostgresSignals implements ClusterSignals {
    private static final Logger LOG = LoggerFactory.getLogger(PostgresSignals.class);

    static final int SOCKET_TIMEOUT_SECONDS = 5;
    static final Duration CHECK_EVERY = Duration.ofSeconds(1);
    static final Duration FIRST_BACKOFF = Duration.ofMillis(100);
    static final Duration MAX_BACKOFF = Duration.ofSeconds(5);
    static final int MAX_PAYLOAD = 7000; // PostgreSQL's limit is 8000 bytes; ids are ASCII
    private static final int OUTBOX = 100_000;
    private static final int NOTIFICATIONS_PER_STATEMENT = 32;

    private record Pending(Signal signal, String subject) {}

    private final Database database;
    private final String replicaId;
    private final Map<Signal, List<Consumer<List<String>>>> listeners = new EnumMap<>(Signal.class);
    private final List<Consumer<Boolean>> linkListeners = new CopyOnWriteArrayList<>();
    private final LinkedBlockingQueue<Pending> outbox = new LinkedBlockingQueue<>(OUTBOX);
    private final ExecutorService delivery = Executors.newSingleThreadExecutor(r -> daemon(r, "cluster-signals"));
    private volatile String channel;
    private volatile boolean connected;
    private volatile boolean closed;
    private volatile Connection listening;
    private Thread listener;
    private Thread sender;

    /** @param replicaId this replica's id, so that it ignores its own notifications */
    public PostgresSignals(Database database, String replicaId) {
        this.database = database;
        this.replicaId = replicaId;
        for (Signal s : Signal.values()) {
            listeners.put(s, new CopyOnWriteArrayList<>());
        }
    }

    @Override
    public void publish(Signal signal, String subject) {
        if (subject != null && !closed && !outbox.offer(new Pending(signal, subject))) {
            // The outbox is full only when the store has been unreachable for long; the store polls cover.
            LOG.debug("Dropped a {} signal: the outbox is full", signal);
        }
    }

    @Override
    public void subscribe(Signal signal, Consumer<List<String>> listener) {
        listeners.get(signal).add(listener);
    }

    @Override
    public void onLink(Consumer<Boolean> listener) {
        linkListeners.add(listener);
    }

    @Override
    public boolean connected() {
        return connected;
    }

    /** The channel this installation's replicas talk on (after {@link #start()}). */
    String channel() {
        return channel;
    }

    @Override
    public void start() {
        this.channel = channelOf(database.jdbi()
                .withHandle(h -> h.createQuery("SELECT current_schema()")
                        .mapTo(String.class)
                        .one()));
        this.listener = daemon(this::listen, "cluster-listener");
        this.sender = daemon(this::send, "cluster-sender");
        listener.start();
        sender.start();
        // A replica that serves before it listens would refuse its first polls as unready: wait for the link
        // (the store answered the migrations a moment ago), but start anyway, unready, if it does not come.
        long giveUpAt = System.nanoTime() + TimeUnit.SECONDS.toNanos(SOCKET_TIMEOUT_SECONDS);
        while (!connected && System.nanoTime() < giveUpAt) {
            sleep(Duration.ofMillis(20));
        }
    }

    /** A channel name per schema, within PostgreSQL's 63-byte identifiers. */
    static String channelOf(String schema) {
        String name = "od_signals_" + (schema == null ? "public" : schema).replaceAll("[^A-Za-z0-9_]", "_");
        return name.length() > 63 ? name.substring(0, 63) : name;
    }

    private void listen() {
        Duration backoff = FIRST_BACKOFF;
        while (!closed) {
            try (Connection c = database.openDedicatedConnection(SOCKET_TIMEOUT_SECONDS)) {
                listening = c;
                try (Statement s = c.createStatement()) {
                    s.execute("LISTEN \"" + channel + "\"");
                }
                PGConnection pg = c.unwrap(PGConnection.class);
                link(true);
                backoff = FIRST_BACKOFF;
                long lastCheck = System.nanoTime();
                while (!closed) {
                    PGNotification[] received = pg.getNotifications(250);
                    if (received != null) {
                        for (PGNotification n : received) {
                            deliver(n.getParameter());
                        }
                    }
                    if (System.nanoTime() - lastCheck >= CHECK_EVERY.toNanos()) {
                        try (Statement s = c.createStatement()) {
                            s.execute("SELECT 1");
                        }
                        lastCheck = System.nanoTime();
                    }
                }
            } catch (SQLException | RuntimeException e) {
                if (closed) {
                    break;
                }
                if (connected) {
                    LOG.warn(
                            "Lost the store link of this replica ({}); taking no leases until it is back",
                            e.getMessage());
                }
                link(false);
                sleep(backoff);
                backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
            } finally {
                listening = null;
            }
        }
    }

    private void link(boolean up) {
        if (connected == up) {
            return;
        }
        connected = up;
        if (up) {
            LOG.info("Listening for other replicas on channel {}", channel);
        }
        for (Consumer<Boolean> l : linkListeners) {
            run(() -> l.accept(up));
        }
    }

    private void deliver(String payload) {
        String[] parts = payload.split(" ");
        if (parts.length < 3 || parts[0].equals(replicaId)) {
            return;
        }
        Signal signal;
        try {
            signal = Signal.valueOf(parts[1]);
        } catch (IllegalArgumentException unknown) {
            return; // a newer replica's signal during a rolling upgrade: the store polls cover it
        }
        List<String> subjects = List.of(parts).subList(2, parts.length);
        for (Consumer<List<String>> l : listeners.get(signal)) {
            run(() -> l.accept(subjects));
        }
    }

    private void run(Runnable work) {
        try {
            delivery.execute(() -> {
                try {
                    work.run();
                } catch (RuntimeException e) {
                    LOG.warn("A cross-replica signal could not be handled; the store poll covers it", e);
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException stopping) {
            // closing
        }
    }

    private void send() {
        while (!closed) {
            List<Pending> batch = new ArrayList<>();
            try {
                Pending first = outbox.poll(1, TimeUnit.SECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
            } catch (InterruptedException e) {
                return;
            }
            outbox.drainTo(batch);
            List<String> payloads = payloads(batch);
            try {
                for (int from = 0; from < payloads.size(); from += NOTIFICATIONS_PER_STATEMENT) {
                    notify(payloads.subList(from, Math.min(payloads.size(), from + NOTIFICATIONS_PER_STATEMENT)));
                }
            } catch (SQLException | RuntimeException e) {
                if (!closed) {
                    LOG.warn("Could not signal the other replicas ({}); their store polls cover it", e.getMessage());
                }
            }
        }
    }

    /** The notifications for a batch: per signal, its distinct subjects, as few payloads as fit. */
    List<String> payloads(List<Pending> batch) {
        Map<Signal, Set<String>> bySignal = new EnumMap<>(Signal.class);
        for (Pending p : batch) {
            bySignal.computeIfAbsent(p.signal(), s -> new LinkedHashSet<>()).add(p.subject());
        }
        List<String> payloads = new ArrayList<>();
        bySignal.forEach((signal, subjects) -> {
            String head = replicaId + " " + signal.name();
            StringBuilder payload = new StringBuilder(head);
            for (String subject : subjects) {
                if (payload.length() + 1 + subject.length() > MAX_PAYLOAD && payload.length() > head.length()) {
                    payloads.add(payload.toString());
                    payload = new StringBuilder(head);
                }
                payload.append(' ').append(subject);
            }
            payloads.add(payload.toString());
        });
        return payloads;
    }

    private void notify(List<String> payloads) throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT ");
        for (int i = 0; i < payloads.size(); i++) {
            sql.append(i == 0 ? "" : ", ").append("pg_notify(?, ?)");
        }
        database.jdbi().useHandle(h -> {
            try (PreparedStatement ps = h.getConnection().prepareStatement(sql.toString())) {
                int i = 1;
                for (String p : payloads) {
                    ps.setString(i++, channel);
                    ps.setString(i++, p);
                }
                ps.execute(); // pg_notify returns nothing worth reading
            }
        });
    }

    @Override
    public void close() {
        closed = true;
        Connection c = listening;
        if (c != null) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // closing anyway
            }
        }
        if (sender != null) {
            sender.interrupt();
        }
        if (listener != null) {
            listener.interrupt();
        }
        joinQuietly(listener);
        joinQuietly(sender);
        delivery.shutdownNow();
    }

    private static void joinQuietly(Thread t) {
        if (t == null) {
            return;
        }
        try {
            t.join(TimeUnit.SECONDS.toMillis(SOCKET_TIMEOUT_SECONDS + 1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }
}
