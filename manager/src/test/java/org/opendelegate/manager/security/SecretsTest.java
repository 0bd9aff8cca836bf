package org.opendelegate.manager.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class SecretsTest {
    @Test
    void timeOrderedIdsAreVersion7UuidsThatStartWithTheirMillisecondAndDiffer() {
        long before = System.currentTimeMillis();
        String id = Secrets.newTimeOrderedId();
        long after = System.currentTimeMillis();

        UUID uuid = UUID.fromString(id);
        assertThat(uuid.toString()).isEqualTo(id);
        assertThat(uuid.version()).isEqualTo(7);
        assertThat(uuid.variant()).isEqualTo(2);
        assertThat(uuid.getMostSignificantBits() >>> 16).isBetween(before, after);

        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            ids.add(Secrets.newTimeOrderedId());
        }
        assertThat(ids).hasSize(10_000);
    }

    @Test
    void timeOrderedIdsOfLaterMillisecondsSortAfterEarlierOnesAsText() throws InterruptedException {
        String earlier = Secrets.newTimeOrderedId();
        long millis = UUID.fromString(earlier).getMostSignificantBits() >>> 16;
        while (System.currentTimeMillis() <= millis) {
            Thread.sleep(1);
        }
        String later = Secrets.newTimeOrderedId();

        assertThat(later).isGreaterThan(earlier);
    }

    @Test
    void timeOrderedIdsKeep74RandomBits() {
        // Every random bit position takes both values over many ids of the same millisecond or not.
        long highOr = 0;
        long highAnd = -1;
        long lowOr = 0;
        long lowAnd = -1;
        for (int i = 0; i < 2_000; i++) {
            UUID u = UUID.fromString(Secrets.newTimeOrderedId());
            highOr |= u.getMostSignificantBits();
            highAnd &= u.getMostSignificantBits();
            lowOr |= u.getLeastSignificantBits();
            lowAnd &= u.getLeastSignificantBits();
        }
        long randomHigh = 0x0fffL;
        long randomLow = 0x3fffffffffffffffL;
        assertThat(Long.bitCount((highOr & ~highAnd) & randomHigh) + Long.bitCount((lowOr & ~lowAnd) & randomLow))
                .isEqualTo(74);
    }
}
