package org.opendelegate.manager.delegates;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.opendelegate.manager.store.DelegateToken;
import org.opendelegate.manager.store.DelegateTokenDao;

/**
 * Delegate tokens by id, as the store had them at most {@link #TTL} ago: every session call checks that
 * the token behind it is still live, and thousands of heartbeats must not each read the store. The TTL is
 * below the shortest heartbeat interval, so a revocation on any replica is felt within one heartbeat; the
 * replica that revokes forgets the token at once.
 */
final class LiveTokens {
    static final Duration TTL = Duration.ofSeconds(3);

    private final DelegateTokenDao tokens;
    private final Cache<String, Optional<DelegateToken>> byId;

    LiveTokens(DelegateTokenDao tokens, Clock clock) {
        this.tokens = tokens;
        this.byId = Caffeine.newBuilder()
                .ticker(() -> TimeUnit.MILLISECONDS.toNanos(clock.millis()))
                .expireAfterWrite(TTL)
                .maximumSize(50_000)
                .build();
    }

    Optional<DelegateToken> find(String accountId, String tokenId) {
        return byId.get(accountId + "/" + tokenId, key -> tokens.find(accountId, tokenId));
    }

    void forget(String tokenId) {
        byId.asMap().keySet().removeIf(key -> key.endsWith("/" + tokenId));
    }
}
