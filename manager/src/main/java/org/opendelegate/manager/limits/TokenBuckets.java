package org.opendelegate.manager.limits;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;
import org.opendelegate.manager.store.RateBucketDao;
import org.opendelegate.manager.store.RateBucketDao.Level;

/**
 * One token bucket per key (a delegate token, a delegate): a burst of {@code capacity}, refilled at
 * {@code perSecond}. The buckets are kept either
 * <ul>
 *   <li>in the store ({@link #shared}), one row per bucket changed under its row lock, so that the limit holds
 *       across replicas: for rare events (registrations), where a store transaction per event costs nothing;
 *   <li>or in this replica's memory ({@link #perReplica}): behind N replicas a client gets up to N times the
 *       rate, which still bounds it, for frequent events (log lines) that must not cost a store write each.
 *       Buckets not used for a while are forgotten (a full bucket is the same as none), and there are at
 *       most {@value #MAX_KEYS}, so the map cannot grow with an attacker's keys.
 * </ul>
 * Both take tokens by the same rule ({@link #take}).
 */
final class TokenBuckets {
    private static final int MAX_KEYS = 100_000;

    private final double capacity;
    private final double perMilli;
    private final Clock clock;
    private final Cache<String, Level> memory;
    private final RateBucketDao store;
    private final String storePrefix;

    private TokenBuckets(double capacity, double perSecond, Clock clock, RateBucketDao store, String storePrefix) {
        this.capacity = capacity;
        this.perMilli = perSecond / 1000.0;
        this.clock = clock;
        this.store = store;
        this.storePrefix = storePrefix;
        if (store == null) {
            Ticker ticker = () -> TimeUnit.MILLISECONDS.toNanos(clock.millis());
            long refillMillis = (long) Math.ceil(capacity / perMilli);
            this.memory = Caffeine.newBuilder()
                    .ticker(ticker)
                    .expireAfterAccess(Duration.ofMillis(Math.max(1000, refillMillis)))
                    .maximumSize(MAX_KEYS)
                    .build();
        } else {
            this.memory = null;
        }
    }

    /** Buckets in this replica's memory. */
    static TokenBuckets perReplica(double capacity, double perSecond, Clock clock) {
        return new TokenBuckets(capacity, perSecond, clock, null, null);
    }

    /** Buckets in the store, shared by the replicas; their keys there start with {@code prefix}. */
    static TokenBuckets shared(double capacity, double perSecond, Clock clock, RateBucketDao store, String prefix) {
        return new TokenBuckets(capacity, perSecond, clock, store, prefix);
    }

    /**
     * Takes {@code n} tokens (at most the capacity, so one large request can pass on a full bucket) if there
     * are that many; otherwise takes none and answers how long until there will be.
     *
     * @return {@link Duration#ZERO} when taken, else the wait
     */
    Duration take(String key, long n) {
        double wanted = Math.min((double) n, capacity);
        AtomicReference<Duration> wait = new AtomicReference<>(Duration.ZERO);
        UnaryOperator<Level> takeFrom = level -> {
            long now = clock.millis();
            double tokens = Math.min(capacity, level.tokens() + Math.max(0, now - level.atMillis()) * perMilli);
            if (tokens >= wanted) {
                wait.set(Duration.ZERO);
                return new Level(tokens - wanted, now);
            }
            wait.set(Duration.ofMillis((long) Math.ceil((wanted - tokens) / perMilli)));
            return new Level(tokens, now);
        };
        Level full = new Level(capacity, clock.millis());
        if (store != null) {
            store.change(storePrefix + key, full, takeFrom);
        } else {
            memory.asMap().compute(key, (k, level) -> takeFrom.apply(level == null ? full : level));
        }
        return wait.get();
    }
}
