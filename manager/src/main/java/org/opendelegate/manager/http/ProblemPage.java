package org.opendelegate.manager.http;

import io.javalin.http.Context;
import org.opendelegate.protocol.Problem;

/**
 * Renders a problem for people instead of programs: the web console answers its own requests with an
 * HTML page (or, for htmx, a short text the page shows), while the APIs keep problem+json.
 */
public interface ProblemPage {
    /** True when this request should get the page rather than problem+json. */
    boolean wants(Context ctx);

    /** Writes the problem as the response. */
    void render(Context ctx, Problem problem);

    /** No pages: every problem is problem+json. */
    ProblemPage NONE = new ProblemPage() {
        @Override
        public boolean wants(Context ctx) {
            return false;
        }

        @Override
        public void render(Context ctx, Problem problem) {
            throw new UnsupportedOperationException("no problem pages");
        }
    };
}
