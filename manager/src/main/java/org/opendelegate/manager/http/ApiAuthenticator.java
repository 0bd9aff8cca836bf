package org.opendelegate.manager.http;

import io.javalin.http.Context;
import java.util.Locale;
import org.opendelegate.manager.problems.DomainProblem;
import org.opendelegate.manager.users.ApiKeys;

/**
 * Authenticates calls to {@code /api/v1} with {@code Authorization: Bearer <api key>}: reads the header
 * here, asks {@link ApiKeys} who the key is.
 */
public final class ApiAuthenticator {
    private final ApiKeys keys;

    public ApiAuthenticator(ApiKeys keys) {
        this.keys = keys;
    }

    /** A before-handler: puts the principal on the request or refuses it with 401. */
    public void authenticate(Context ctx) {
        if (RequestPrincipal.isPresent(ctx)) {
            return;
        }
        String header = ctx.header("Authorization");
        if (header == null || header.isBlank()) {
            throw unauthorized(ctx, "This API needs an API key: send `Authorization: Bearer <api key>`.");
        }
        if (!header.toLowerCase(Locale.ROOT).startsWith("bearer ")) {
            throw unauthorized(ctx, "The Authorization header must have the form `Bearer <api key>`.");
        }
        RequestPrincipal.attach(
                ctx,
                keys.authenticate(header.substring(7).trim())
                        .orElseThrow(() -> unauthorized(ctx, "The API key is not valid or was revoked.")));
    }

    private static DomainProblem unauthorized(Context ctx, String detail) {
        ctx.header("WWW-Authenticate", "Bearer realm=\"opendelegate\"");
        return DomainProblem.unauthorized(detail);
    }
}
