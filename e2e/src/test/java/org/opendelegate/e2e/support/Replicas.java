package org.opendelegate.e2e.support;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.BiFunction;
import java.util.function.IntFunction;
import org.opendelegate.testkit.FreePorts;
import org.opendelegate.testkit.PostgresSchemas;

/**
 * Several Manager replicas on one PostgreSQL schema of their own, with one shared master key and one data
 * directory each, on fixed ports so a killed replica comes back at the same address (where the balancer
 * looks for it). Closing stops them all, and every process it ever started, and drops the schema.
 */
public final class Replicas implements AutoCloseable {
    private final Path work;
    private final String schema = PostgresSchemas.newName();
    private final String masterKey;
    private final List<Integer> ports = new ArrayList<>();
    private final AtomicReferenceArray<ManagerProcess> current;
    private final List<ManagerProcess> everyProcess = Collections.synchronizedList(new ArrayList<>());
    private final int[] generations;
    private final Map<String, String> env;
    private final IntFunction<String> dbUrlOf;

    /**
     * @param env settings every replica gets on top of the test defaults
     * @param dbUrlOf the JDBC URL replica {@code i} (from 0) connects with, given the shared one (a test may
     *     send one replica through a proxy); {@code null} for the shared one everywhere
     */
    private Replicas(Path work, int count, Map<String, String> env, BiFunction<Integer, String, String> dbUrlOf) {
        this.work = work;
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        this.masterKey = Base64.getEncoder().encodeToString(key);
        for (int i = 0; i < count; i++) {
            ports.add(FreePorts.next());
        }
        this.current = new AtomicReferenceArray<>(count);
        this.generations = new int[count];
        this.env = Map.copyOf(env);
        this.dbUrlOf = i -> dbUrlOf.apply(i, sharedDbUrl(PostgresSchemas.URL));
    }

    /**
     * Starts {@code count} replicas at once on the empty schema and returns when every one listens, as
     * {@code ./opendelegate up --replicas} does: one migrates it (Flyway's lock) and one bootstraps it (the
     * store's start-up lock) while the others wait. A replica that fails to start is stopped; so are the others.
     */
    public static Replicas start(
            Path work, int count, Map<String, String> env, BiFunction<Integer, String, String> dbUrlOf) {
        Replicas replicas = new Replicas(work, count, env, dbUrlOf);
        try {
            List<CompletableFuture<ManagerProcess>> starting = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                int index = i;
                starting.add(CompletableFuture.supplyAsync(() -> replicas.startReplica(index)));
            }
            // Every start ends (listening, or failed and stopped) before a failure is thrown: none is left behind.
            CompletableFuture.allOf(starting.toArray(CompletableFuture[]::new))
                    .exceptionally(failed -> null)
                    .join();
            starting.forEach(CompletableFuture::join);
            return replicas;
        } catch (RuntimeException e) {
            replicas.close();
            throw e;
        }
    }

    public static Replicas start(Path work, int count, Map<String, String> env) {
        return start(work, count, env, (i, url) -> url);
    }

    /** The JDBC URL of the replicas' schema, on {@code baseUrl} (host and port of a proxy, say). */
    public String sharedDbUrl(String baseUrl) {
        return baseUrl + "?currentSchema=" + schema;
    }

    public String schema() {
        return schema;
    }

    public int size() {
        return ports.size();
    }

    public List<Integer> ports() {
        return List.copyOf(ports);
    }

    /** Replica {@code i} as it runs now (a restarted one is a new process). */
    public ManagerProcess replica(int i) {
        return current.get(i);
    }

    /** Every Manager process started so far, killed ones included, to read their logs. */
    public List<ManagerProcess> everyProcess() {
        return new ArrayList<>(everyProcess);
    }

    /** kill -9 of replica {@code i}. */
    public void kill9(int i) {
        current.get(i).kill9();
    }

    /** Starts replica {@code i} again at its port; returns when it listens. */
    public ManagerProcess restart(int i) {
        return startReplica(i);
    }

    private ManagerProcess startReplica(int i) {
        int generation;
        synchronized (generations) {
            generation = generations[i]++;
        }
        Map<String, String> replicaEnv = new HashMap<>(env);
        replicaEnv.put("OPENDELEGATE_DB_URL", dbUrlOf.apply(i));
        replicaEnv.put("OPENDELEGATE_DB_USER", PostgresSchemas.USER);
        replicaEnv.put("OPENDELEGATE_MASTER_KEY", masterKey);
        ManagerProcess p = ManagerProcess.start(
                "replica-" + (i + 1) + "-" + generation,
                work.resolve("replica-" + (i + 1)).resolve("data"),
                ports.get(i),
                replicaEnv);
        everyProcess.add(p);
        current.set(i, p);
        return p;
    }

    /** Lines where a replica logged an unexpected error (what a 500 answer logs), over every process. */
    public List<String> unexpectedErrors() {
        List<String> lines = new ArrayList<>();
        for (ManagerProcess p : everyProcess()) {
            p.output().lines().filter(l -> l.contains("Unexpected error")).forEach(l -> lines.add(p.name() + ": " + l));
        }
        return lines;
    }

    @Override
    public void close() {
        for (ManagerProcess p : everyProcess()) {
            p.close();
        }
        try {
            PostgresSchemas.drop(schema);
        } catch (RuntimeException e) {
            System.err.println("could not drop schema " + schema + ": " + e);
        }
    }
}
