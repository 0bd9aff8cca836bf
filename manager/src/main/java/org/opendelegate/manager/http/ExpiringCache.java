package org.opendelegate.manager.http;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * A small time-bounded cache for lookups on the hot path (credentials). Entries expire after a fixed
 * time; when it grows past its bound, it is simply cleared, which is cheap and safe for a cache.
 */
public final class ExpiringCache<K, V> {
    private record Entry<V>(V value, Instant expiresAt) {
    }

    private final Clock clock;
    private final Duration ttl;
    private final int maxEntries;
    private final ConcurrentHashMap<K, Entry<V>> entries = new ConcurrentHashMap<>();

    public ExpiringCache(Clock clock, Duration ttl, int maxEntries) {
        this.clock = clock;
        this.ttl = ttl;
        this.maxEntries = maxEntries;
    }

    /** The cached value, or a freshly loaded one. */
    public V get(K key, Function<K, V> loader) {
        Instant now = clock.instant();
        Entry<V> entry = entries.get(key);
        if (entry != null && entry.expiresAt().isAfter(now)) {
            return entry.value();
        }
        V value = loader.apply(key);
        if (entries.size() >= maxEntries) {
            entries.clear();
        }
        entries.put(key, new Entry<>(value, now.plus(ttl)));
        return value;
    }

    /** Forgets everything, e.g. after a revocation on this replica. */
    public void clear() {
        entries.clear();
    }
}
