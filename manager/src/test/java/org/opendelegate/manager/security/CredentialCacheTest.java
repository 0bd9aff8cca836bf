package org.opendelegate.manager.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
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
}
