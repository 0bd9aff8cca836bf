package org.opendelegate.manager.providers;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Lookup answers for a short while, per provider, lookup and parameters, so that browsing a provider does
 * not send a task for every click. A lookup in flight is shared by everyone who asks for the same thing;
 * failures are not kept; an edit of the provider drops everything about it.
 */
final class LookupCache {
    static final int MAX_ENTRIES = 10_000;

    /** What is cached: one provider's lookup with its region and parameters. */
    record Key(String accountId, String providerId, Lookup lookup, String region, Map<String, String> params) {}

    private record Entry(CompletableFuture<LookupResult> future, Instant expiresAt) {}

    private final Clock clock;
    private final Duration ttl;
    private final Map<Key, Entry> entries = new ConcurrentHashMap<>();

    LookupCache(Clock clock, Duration ttl) {
        this.clock = clock;
        this.ttl = ttl;
    }

    /**
     * The cached answer, the one in flight, or a fresh one from {@code load}.
     *
     * @param refresh skip what is cached (a lookup in flight is still shared)
     */
    CompletableFuture<LookupResult> get(Key key, boolean refresh, Supplier<CompletableFuture<LookupResult>> load) {
        Instant now = clock.instant();
        CompletableFuture<LookupResult> future = new CompletableFuture<>();
        boolean[] hit = {false};
        if (entries.size() >= MAX_ENTRIES) {
            entries.clear();
        }
        Entry entry = entries.compute(key, (k, old) -> {
            if (old != null && !old.future().isDone()) {
                return old;
            }
            if (old != null && !refresh && old.expiresAt().isAfter(now)) {
                hit[0] = true;
                return old;
            }
            return new Entry(future, Instant.MAX);
        });
        if (entry.future() != future) {
            return hit[0] ? entry.future().thenApply(LookupResult::fromCache) : entry.future();
        }
        CompletableFuture<LookupResult> loading;
        try {
            loading = load.get();
        } catch (RuntimeException e) {
            loading = CompletableFuture.failedFuture(e);
        }
        var unused = loading.whenComplete((result, error) -> {
            if (error != null || ttl.isZero()) {
                entries.remove(key, entry);
            } else {
                entries.replace(key, entry, new Entry(future, clock.instant().plus(ttl)));
            }
            if (error != null) {
                future.completeExceptionally(error);
            } else {
                future.complete(result);
            }
        });
        return future;
    }

    /** Forgets everything about a provider (it was edited or deleted). */
    void invalidate(String providerId) {
        entries.keySet().removeIf(k -> k.providerId().equals(providerId));
    }
}
