package org.opendelegate.manager.providers;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.opendelegate.testkit.MutableClock;

class LookupCacheTest {
    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final LookupCache cache = new LookupCache(clock, Duration.ofSeconds(60));
    private final AtomicInteger loads = new AtomicInteger();

    private static LookupCache.Key key(String provider, String vpc) {
        return new LookupCache.Key("a1", provider, Lookup.SUBNETS, "us-east-1", Map.of("vpcId", vpc));
    }

    private CompletableFuture<LookupResult> load() {
        int n = loads.incrementAndGet();
        return CompletableFuture.completedFuture(new LookupResult(
                "p",
                "subnets",
                "us-east-1",
                Map.of(),
                JsonNodeFactory.instance.arrayNode(),
                n,
                null,
                null,
                "t" + n,
                null,
                false));
    }

    @Test
    void anAnswerIsReusedUntilItsTimeIsUpAndMarkedAsCached() {
        assertThat(cache.get(key("p", "vpc-1"), false, this::load).join().cached())
                .isFalse();
        clock.advance(Duration.ofSeconds(59));
        LookupResult again = cache.get(key("p", "vpc-1"), false, this::load).join();

        assertThat(again.cached()).isTrue();
        assertThat(loads).hasValue(1);
        clock.advance(Duration.ofSeconds(2));
        assertThat(cache.get(key("p", "vpc-1"), false, this::load).join().count())
                .isEqualTo(2);
    }

    @Test
    void refreshOtherParametersAndAnEditOfTheProviderLoadAgain() {
        cache.get(key("p", "vpc-1"), false, this::load).join();

        cache.get(key("p", "vpc-1"), true, this::load).join();
        cache.get(key("p", "vpc-2"), false, this::load).join();
        cache.invalidate("p");
        cache.get(key("p", "vpc-1"), false, this::load).join();
        cache.get(key("q", "vpc-1"), false, this::load).join();

        assertThat(loads).hasValue(5);
    }

    @Test
    void aLookupInFlightIsSharedAndAFailureIsNotKept() {
        CompletableFuture<LookupResult> slow = new CompletableFuture<>();
        CompletableFuture<LookupResult> first = cache.get(key("p", "vpc-1"), false, () -> slow);
        CompletableFuture<LookupResult> second = cache.get(key("p", "vpc-1"), true, this::load);

        slow.completeExceptionally(new IllegalStateException("no delegate"));

        assertThat(first).isCompletedExceptionally();
        assertThat(second).isCompletedExceptionally();
        assertThat(loads).hasValue(0);
        assertThat(cache.get(key("p", "vpc-1"), false, this::load).join().count())
                .isEqualTo(1);
    }
}
