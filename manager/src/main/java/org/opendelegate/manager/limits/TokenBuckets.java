package org.opendelegate.manager.limits;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * One token bucket per key (a delegate token, a delegate), in memory: a burst of {@code capacity}, refilled
 * at {@code perSecond}. Each replica keeps its own buckets, so behind N replicas a client gets up to N times
 * the rate; that still bounds it. Buckets not used for a while are forgotten (a full bucket is the same as
 * none), and there are at most {@value #MAX_KEYS}, so the map cannot grow with an attacker's keys.
 */
final class TokenBuckets {
    private static final int MAX_KEYS = 100_000;

    private final double capacity;
    private final double perMilli;
    private final Clock clock;
    private final Cache<String, Bucket> buckets;

    TokenBuckets(double capacity, double perSecond, Clock clock) {
        this.capacity = capacity;
        this.perMilli = perSecond / 1000.0;
        this.clock = clock;
        Ticker ticker = () -> TimeUnit.MILLISECONDS.toNanos(clock.millis());
        long refillMillis = (long) Math.ceil(capacity / perMilli);
        this.buckets = Caffeine.newBuilder()
                .ticker(ticker)
                .expireAfterAccess(Duration.ofMillis(Math.max(1000, refillMillis)))
                .maximumSize(MAX_KEYS)
                .build();
    }

    /**
     * Takes {@code n} tokens (at most the capacity, so one large request can pass on a full bucket) if there
     * are that many; otherwise takes none and answers how long until there will be.
     *
     * @return {@link Duration#ZERO} when taken, else the wait
     */
    Duration take(String key, long n) {
        double wanted = Math.min((double) n, capacity);
        Bucket bucket = buckets.get(key, k -> new Bucket(capacity, clock.millis()));
        synchronized (bucket) {
            long now = clock.millis();
            bucket.tokens = Math.min(capacity, bucket.tokens + Math.max(0, now - bucket.at) * perMilli);
            bucket.at = now;
            if (bucket.tokens >= wanted) {
                bucket.tokens -= wanted;
                return Duration.ZERO;
            }
            return Duration.ofMillis((long) Math.ceil((wanted - bucket.tokens) / perMilli));
        }
    }

    private static final class Bucket {
        double tokens;
        long at;

        Bucket(double tokens, long at) {
            this.tokens = tokens;
            this.at = at;
        }
    }
}
