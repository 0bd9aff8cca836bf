package org.opendelegate.manager.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.opendelegate.testkit.MutableClock;

class CredentialCacheTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private final MutableClock clock = new MutableClock(T0);
    private final AtomicInteger reads = new AtomicInteger();
    private final List<String> writes = new ArrayList<>();
    private final CredentialCache<String> cache = new CredentialCache<>(
            clock,
            CredentialCache.LOOKUP_TTL,
            100,
            hash -> {
                reads.incrementAndGet();
                return hash.equals(Secrets.hash("known")) ? Optional.of("credential") : Optional.empty();
            },
            (id, at) -> writes.add(id + "@" + at));

    @Test
    void aLookupIsReusedForItsTimeToLiveThenReadAgainAndForgottenOnRequest() {
        assertThat(cache.find("known")).contains("credential");
        assertThat(cache.find("unknown")).isEmpty();
        clock.advance(CredentialCache.LOOKUP_TTL.minusMillis(1));
        assertThat(cache.find("known")).contains("credential");
        assertThat(reads).hasValue(2);

        clock.advance(Duration.ofMillis(1));
        cache.find("known");
        assertThat(reads).hasValue(3);

        cache.forget();
        cache.find("known");
        assertThat(reads).hasValue(4);
    }

    @Test
    void useIsWrittenAtMostOncePerIntervalAndNotWhenTheStoredTimeIsRecent() {
        cache.used("k1", null);
        cache.used("k1", null);
        clock.advance(CredentialCache.RECORD_USE_EVERY.minusSeconds(1));
        cache.used("k1", null);
        assertThat(writes).containsExactly("k1@" + T0);

        clock.advance(Duration.ofSeconds(1));
        cache.used("k1", null);
        assertThat(writes).hasSize(2);

        // Another replica wrote it a moment ago: nothing to write here.
        cache.used("k2", clock.instant().minusSeconds(10));
        assertThat(writes).hasSize(2);
    }

    /** A store whose reads of the "slow" secret wait until released, and whose reads of "failing" fail once. */
    private final CountDownLatch release = new CountDownLatch(1);

    private final CountDownLatch slowReadStarted = new CountDownLatch(1);
    private final AtomicInteger failures = new AtomicInteger();
    private final CredentialCache<String> slowStore = new CredentialCache<>(
            clock,
            CredentialCache.LOOKUP_TTL,
            100,
            hash -> {
                reads.incrementAndGet();
                if (hash.equals(Secrets.hash("slow"))) {
                    slowReadStarted.countDown();
                    try {
                        release.await(10, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return Optional.of("slow credential");
                }
                if (hash.equals(Secrets.hash("failing")) && failures.getAndIncrement() == 0) {
                    throw new IllegalStateException("the store is unavailable");
                }
                return Optional.of("credential of " + hash.substring(0, 8));
            },
            (id, at) -> {});

    @Test
    void aLookupWaitingOnTheStoreHoldsUpNoOtherCredentialsLookup() throws Exception {
        // A secret whose hash falls in the same bin of the cache's map as the slow one's, for tables up to 1,024 bins:
        // a read inside the map's lock would hold its lookup up.
        String neighbour = secretInTheSameBinAs("slow");
        CompletableFuture<Optional<String>> slow = CompletableFuture.supplyAsync(() -> slowStore.find("slow"));
        assertThat(slowReadStarted.await(5, TimeUnit.SECONDS)).isTrue();

        CompletableFuture<Optional<String>> other = CompletableFuture.supplyAsync(() -> slowStore.find(neighbour));

        assertThat(other.get(5, TimeUnit.SECONDS)).isPresent();
        assertThat(slow).isNotDone();
        release.countDown();
        assertThat(slow.get(5, TimeUnit.SECONDS)).contains("slow credential");
    }

    @Test
    void lookupsOfOneCredentialWhileItIsReadShareTheRead() throws Exception {
        CompletableFuture<Optional<String>> first = CompletableFuture.supplyAsync(() -> slowStore.find("slow"));
        assertThat(slowReadStarted.await(5, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<Optional<String>> second = CompletableFuture.supplyAsync(() -> slowStore.find("slow"));

        release.countDown();

        assertThat(first.get(5, TimeUnit.SECONDS)).contains("slow credential");
        assertThat(second.get(5, TimeUnit.SECONDS)).contains("slow credential");
        assertThat(reads).hasValue(1);
    }

    @Test
    void aReadThatFailsFailsItsLookupAsThrownAndIsReadAgainNextTime() throws Exception {
        assertThatThrownBy(() -> slowStore.find("failing"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("the store is unavailable");

        assertThat(CompletableFuture.supplyAsync(() -> slowStore.find("failing"))
                        .get(5, TimeUnit.SECONDS))
                .isPresent();
        assertThat(reads).hasValue(2);
    }

    @Test
    void aCredentialForgottenWhileItIsReadIsAnsweredButNotKept() throws Exception {
        CompletableFuture<Optional<String>> during = CompletableFuture.supplyAsync(() -> slowStore.find("slow"));
        assertThat(slowReadStarted.await(5, TimeUnit.SECONDS)).isTrue();

        slowStore.forget(); // a revocation on this replica while the read runs
        release.countDown();

        assertThat(during.get(5, TimeUnit.SECONDS)).contains("slow credential");
        assertThat(slowStore.find("slow")).contains("slow credential");
        assertThat(reads).as("read again after the forget").hasValue(2);
    }

    /** A secret whose hash key lands in the same bin as {@code secret}'s in a ConcurrentHashMap of up to 1,024 bins. */
    private static String secretInTheSameBinAs(String secret) {
        int bin = bin(Secrets.hash(secret));
        for (int i = 0; ; i++) {
            String candidate = "neighbour-" + i;
            if (bin(Secrets.hash(candidate)) == bin) {
                return candidate;
            }
        }
    }

    /** ConcurrentHashMap's spread of a key's hash code, to 10 bits. */
    private static int bin(String key) {
        int h = key.hashCode();
        return (h ^ (h >>> 16)) & 1023;
    }
}
