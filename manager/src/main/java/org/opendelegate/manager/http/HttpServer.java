package org.opendelegate.manager.http;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.json.JavalinJackson;
import java.time.Duration;
import java.util.List;
import org.opendelegate.manager.config.TransportConfig;
import org.opendelegate.manager.metrics.ManagerMetrics;
import org.opendelegate.protocol.ProtocolJson;

/**
 * The Manager's HTTP server: Javalin on Jetty, JSON via the protocol's mapper, problem+json errors,
 * security headers on every response, and request metrics by route.
 */
public final class HttpServer {
    /** Content-Security-Policy for everything we serve: no inline scripts, no framing, own origin only. */
    static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'";

    /** HSTS, only when the Manager serves HTTPS itself: a year, the value browsers' preload lists expect. */
    static final String HSTS = "max-age=31536000";
    /** The array each answer is copied through (see the constructor). */
    static final int RESPONSE_COPY_BYTES = 1024;

    private final Javalin app;

    /**
     * @param tls the HTTPS connector for the one port, or null to serve plain HTTP
     */
    public HttpServer(
            String host,
            int port,
            TransportConfig transport,
            TlsConnector tls,
            ManagerMetrics metrics,
            ApiAuthenticator apiAuth,
            ProblemPage pages,
            List<Routes> routes) {
        this.app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.startup.showOldJavalinVersionWarning = false;
            new Transport(transport).applyTo(config, host, port, tls);
            config.http.maxRequestSize = JsonBody.MAX_BYTES;
            config.http.asyncTimeout = Duration.ofSeconds(60).toMillis();
            // Javalin copies each answer into Jetty's (pooled) output buffer through an array of this size,
            // allocated per answer: by default Jetty's 32 KiB, for answers mostly under 1 KiB. At 10,000 delegates
            // that array was a fifth of all the Manager allocated, and at 4 KiB still 7 %. Larger answers are copied
            // in more steps into Jetty's buffer, which writes to the socket no more often for that.
            config.http.responseBufferSize = RESPONSE_COPY_BYTES;
            config.jsonMapper(new JavalinJackson(ProtocolJson.mapper(), false));
            config.router.ignoreTrailingSlashes = true;
            config.requestLogger.http((ctx, ms) -> metrics.request(
                    ctx.method().name(), routeOf(ctx), ctx.statusCode(), Duration.ofNanos((long) (ms * 1_000_000))));
            config.routes.before(HttpServer::securityHeaders);
            if (tls != null) {
                config.routes.before(ctx -> ctx.header("Strict-Transport-Security", HSTS));
            }
            Routes.beforeUnder(config.routes, "/api/v1", apiAuth::authenticate);
            ProblemRenderer.install(config.routes, pages);
            for (Routes group : routes) {
                group.addTo(config.routes);
            }
        });
    }

    /** Starts listening; returns the bound port. */
    public int start() {
        app.start();
        return app.port();
    }

    public void stop() {
        app.stop();
    }

    private static void securityHeaders(Context ctx) {
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("X-Frame-Options", "DENY");
        // Nothing leaves for other sites; same-origin keeps the browser's Origin header on console forms
        // (with no-referrer, Chromium sends "Origin: null", which the sign-in check must refuse).
        ctx.header("Referrer-Policy", "same-origin");
        ctx.header("Content-Security-Policy", CSP);
        if (!ctx.path().startsWith("/assets/")) {
            // API answers and console pages carry account data and CSRF tokens: never cache them.
            ctx.header("Cache-Control", "no-store");
        }
    }

    private static String routeOf(Context ctx) {
        try {
            return ctx.endpoint().path;
        } catch (RuntimeException e) {
            return "unmatched";
        }
    }
}
