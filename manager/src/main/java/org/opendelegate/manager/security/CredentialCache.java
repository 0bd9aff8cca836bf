package org.opendelegate.manager.security;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Bearer credentials (API keys, delegate tokens, session credentials) on the hot path: looked up by the hash of
 * their secret and kept for a time to live, so a revocation takes effect within it on every replica (API keys and
 * delegate tokens: {@link #LOOKUP_TTL}); and their "last
 * used" time written at most once per {@link #RECORD_USE_EVERY} and credential on this replica, not on
 * every request (the time shown is therefore at most that old). Both maps are Caffeine caches, which bound
 * their size and expire entries by the injected clock.
 *
 * <p>A lookup reads the store outside the cache's map: the caller that misses puts its read's future in the map,
 * reads, and completes it; callers of the same hash meanwhile wait for that read. (Caffeine's computing
 * {@code get} reads inside its map's lock on a bin of keys, so during a registration burst, when reads wait seconds
 * for a store connection, lookups of other credentials in the same bin waited with them.) A read that fails
 * leaves nothing behind; one that is forgotten while it runs is answered to its callers but not kept.
 *
 * @param <T> the stored credential
 */
public final class CredentialCache<T> {
    /** How long API keys and delegate tokens are kept: the bound on a revocation reaching every replica. */
    public static final Duration LOOKUP_TTL = Duration.ofSeconds(5);

    static final Duration RECORD_USE_EVERY = Duration.ofMinutes(1);

    private final Clock clock;
    private final Function<String, Optional<T>> findByHash;
    private final BiConsumer<String, Instant> recordUse;
    private final AsyncCache<String, Optional<T>> byHash;
    private final Cache<String, Instant> useRecorded;

    /**
     * @param lookupTtl how long a lookup is reused
     * @param findByHash reads a credential by the hash of its secret from the store
     * @param recordUse writes a credential's last use (its id, the time) to the store
     */
    public CredentialCache(
            Clock clock,
            Duration lookupTtl,
            int maxEntries,
            Function<String, Optional<T>> findByHash,
            BiConsumer<String, Instant> recordUse) {
        this.clock = clock;
        this.findByHash = findByHash;
        this.recordUse = recordUse;
        Ticker ticker = () -> TimeUnit.MILLISECONDS.toNanos(clock.millis());
        this.byHash = Caffeine.newBuilder()
                .ticker(ticker)
                .expireAfterWrite(lookupTtl)
                .maximumSize(maxEntries)
                .buildAsync();
        this.useRecorded = Caffeine.newBuilder()
                .ticker(ticker)
                .expireAfterWrite(RECORD_USE_EVERY)
                .maximumSize(maxEntries)
                .build();
    }

    /** The credential whose secret this is, as the store had it at most the time to live ago. */
    public Optional<T> find(String secret) {
        return lookUp(Secrets.hash(secret));
    }

    /**
     * As {@link #find(String)}, but a kept lookup that {@code stillSo} no longer holds for is read from the store
     * again: for credentials kept long whose change this replica learns of another way.
     */
    public Optional<T> find(String secret, Predicate<T> stillSo) {
        String hash = Secrets.hash(secret);
        Optional<T> found = lookUp(hash);
        if (found.isPresent() && !stillSo.test(found.get())) {
            byHash.synchronous().invalidate(hash);
            found = lookUp(hash);
        }
        return found;
    }

    /** Forgets every looked-up credential, e.g. after a revocation on this replica. */
    public void forget() {
        byHash.synchronous().invalidateAll();
    }

    private Optional<T> lookUp(String hash) {
        CompletableFuture<Optional<T>> read = new CompletableFuture<>();
        CompletableFuture<Optional<T>> kept = byHash.asMap().putIfAbsent(hash, read);
        if (kept != null) {
            return joined(kept);
        }
        try {
            read.complete(findByHash.apply(hash));
        } catch (RuntimeException | Error e) {
            read.completeExceptionally(e); // Caffeine drops a failed future: the next lookup reads again
            throw e;
        }
        return read.join();
    }

    /** The value of another caller's read, or the exception that read failed with, as it was thrown there. */
    private static <V> V joined(CompletableFuture<V> read) {
        try {
            return read.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            if (e.getCause() instanceof Error cause) {
                throw cause;
            }
            throw e;
        }
    }

    /**
     * Notes that a credential was used; writes it unless it was written (or, by the stored time, used)
     * within {@link #RECORD_USE_EVERY}.
     */
    public void used(String id, Instant storedLastUsed) {
        Instant now = clock.instant();
        if (useRecorded.getIfPresent(id) != null
                || (storedLastUsed != null
                        && storedLastUsed.plus(RECORD_USE_EVERY).isAfter(now))) {
            return;
        }
        useRecorded.put(id, now);
        recordUse.accept(id, now);
    }
}
