package org.opendelegate.manager.http;

import io.javalin.http.Context;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import org.opendelegate.manager.security.Secrets;
import org.opendelegate.manager.store.ApiKey;
import org.opendelegate.manager.store.ApiKeyDao;

/**
 * Authenticates calls to {@code /api/v1} with {@code Authorization: Bearer <api key>}. Keys are looked
 * up by hash and cached briefly, so a revocation takes effect within {@link #CACHE_TTL} on every replica.
 */
public final class ApiAuthenticator {
    static final Duration CACHE_TTL = Duration.ofSeconds(5);
    private static final Duration TOUCH_EVERY = Duration.ofMinutes(1);

    private final ApiKeyDao keys;
    private final ExpiringCache<String, Optional<ApiKey>> cache;
    private final UsageRecorder usage;

    public ApiAuthenticator(ApiKeyDao keys, Clock clock) {
        this.keys = keys;
        this.cache = new ExpiringCache<>(clock, CACHE_TTL, 10_000);
        this.usage = new UsageRecorder(clock, TOUCH_EVERY, keys::touch);
    }

    /** A before-handler: puts the {@link Principal} on the request or refuses it with 401. */
    public void authenticate(Context ctx) {
        if (ctx.attribute(Principal.ATTRIBUTE) != null) {
            return;
        }
        String header = ctx.header("Authorization");
        if (header == null || header.isBlank()) {
            throw unauthorized(ctx, "This API needs an API key: send `Authorization: Bearer <api key>`.");
        }
        if (!header.toLowerCase(Locale.ROOT).startsWith("bearer ")) {
            throw unauthorized(ctx, "The Authorization header must have the form `Bearer <api key>`.");
        }
        String secret = header.substring(7).trim();
        ApiKey key = cache.get(Secrets.hash(secret), keys::findByHash)
                .filter(k -> k.revokedAt() == null)
                .orElseThrow(() -> unauthorized(ctx, "The API key is not valid or was revoked."));
        touch(key);
        ctx.attribute(Principal.ATTRIBUTE, new Principal(key.accountId(), "api-key:" + key.name(), key.role()));
    }

    private void touch(ApiKey key) {
        usage.used(key.id(), key.lastUsedAt());
    }

    private static ApiException unauthorized(Context ctx, String detail) {
        ctx.header("WWW-Authenticate", "Bearer realm=\"opendelegate\"");
        return ApiException.unauthorized(detail);
    }
}
