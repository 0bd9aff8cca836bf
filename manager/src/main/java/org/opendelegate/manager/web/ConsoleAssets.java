package org.opendelegate.manager.web;

import io.javalin.config.RoutesConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import org.opendelegate.manager.http.Routes;
import org.opendelegate.manager.problems.DomainProblem;

/**
 * The console's static files, served by the Manager itself (it works offline, no CDN): our CSS and
 * scripts (the frame's, the Download Delegate dialog's, the Tasks pages'), and htmx from its WebJar. A fixed list, read once; links carry {@code ?v=<version>}.
 */
public final class ConsoleAssets implements Routes {
    static final String HTMX = "META-INF/resources/webjars/htmx.org/2.0.4/dist/htmx.min.js";

    private record Asset(byte[] bytes, String contentType) {}

    private final Map<String, Asset> assets = Map.of(
            "console.css", load("console/console.css", "text/css; charset=utf-8"),
            "console.js", load("console/console.js", "text/javascript; charset=utf-8"),
            "install.js", load("console/install.js", "text/javascript; charset=utf-8"),
            "tasks.js", load("console/tasks.js", "text/javascript; charset=utf-8"),
            "deployments.js", load("console/deployments.js", "text/javascript; charset=utf-8"),
            "profiles.js", load("console/profiles.js", "text/javascript; charset=utf-8"),
            "technical-details.js", load("console/technical-details.js", "text/javascript; charset=utf-8"),
            "htmx.min.js", load(HTMX, "text/javascript; charset=utf-8"),
            "favicon.svg", load("console/favicon.svg", "image/svg+xml"));

    @Override
    public void addTo(RoutesConfig routes) {
        routes.get("/assets/{file}", ctx -> {
            Asset asset = assets.get(ctx.pathParam("file"));
            if (asset == null) {
                throw DomainProblem.notFound("asset", ctx.pathParam("file"));
            }
            ctx.header("Cache-Control", "public, max-age=300")
                    .contentType(asset.contentType())
                    .result(asset.bytes());
        });
        routes.get("/favicon.ico", ctx -> ctx.redirect("/assets/favicon.svg"));
    }

    private static Asset load(String resource, String contentType) {
        try (InputStream in = ConsoleAssets.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("the console asset " + resource + " is missing from the build");
            }
            return new Asset(in.readAllBytes(), contentType);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
